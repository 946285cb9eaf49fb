import type { PolicyCondition, PolicyDocument, PolicyStatement, SourceLocation } from "../model/index.js";
import { type Maybe, Unknown, unknown } from "../model/index.js";

/**
 * An IAM policy document as plain data (parsed JSON, or Terraform's evaluated value) → the model's normalized
 * statements, the same for every source: principals `*`, `AWS:<x>`, `Service:<x>`, `Federated:<x>` (`{"AWS": "*"}`
 * is `*`); condition keys lower-cased; numbers and booleans mean their text, as IAM reads them. What does not have
 * the shape of a policy is Unknown with the reason, never an empty policy. `statementAt(i)` locates statement i.
 */
export function normalizePolicy(
  doc: unknown,
  at?: SourceLocation,
  statementAt: (index: number) => SourceLocation | undefined = () => at,
): Maybe<PolicyDocument> {
  const where = at ? ` (${at.file} line ${at.line})` : "";
  if (doc instanceof Unknown) return doc;
  if (!isObject(doc)) return unknown(`the policy is not a JSON object${where}`, at);
  const raw = doc.Statement;
  if (raw === undefined) return { statements: [] };
  if (raw instanceof Unknown) return { statements: raw };
  const items = Array.isArray(raw) ? raw : [raw];
  const statements: PolicyStatement[] = [];
  for (const [i, item] of items.entries()) {
    const location = statementAt(i);
    if (item instanceof Unknown) return { statements: item };
    if (!isObject(item))
      return { statements: unknown(`a policy statement is not an object${where}`, location) };
    statements.push(readStatement(item, location, where));
  }
  return { statements: fitted(statements) };
}

/** A policy given as JSON text (`get-bucket-policy`'s `Policy`, a Terraform policy string). */
export function parsePolicyJson(text: string, at?: SourceLocation): Maybe<PolicyDocument> {
  try {
    return normalizePolicy(JSON.parse(text), at);
  } catch (error) {
    const where = at ? ` (${at.file} line ${at.line})` : "";
    return unknown(`the policy is not JSON${where}: ${(error as Error).message}`, at);
  }
}

function readStatement(
  s: Record<string, unknown>,
  at: SourceLocation | undefined,
  where: string,
): PolicyStatement {
  const effect = s.Effect;
  const statement: PolicyStatement = {
    sid: typeof s.Sid === "string" ? s.Sid : null,
    effect:
      effect === "Allow" || effect === "Deny" || effect instanceof Unknown
        ? effect
        : unknown(`Effect ${JSON.stringify(effect)} is not Allow or Deny${where}`, at),
    principals: s.Principal === undefined ? [] : principals(s.Principal, at, where),
    notPrincipals: s.NotPrincipal === undefined ? null : principals(s.NotPrincipal, at, where),
    actions: strings(s.Action, "Action", at, where),
    notActions: s.NotAction === undefined ? null : strings(s.NotAction, "NotAction", at, where),
    resources: strings(s.Resource, "Resource", at, where),
    conditions: conditions(s.Condition, at, where),
  };
  if (at) statement.location = at;
  return statement;
}

function principals(value: unknown, at: SourceLocation | undefined, where: string): Maybe<string[]> {
  if (value === "*") return ["*"];
  if (value instanceof Unknown) return value;
  if (!isObject(value))
    return unknown(`Principal ${JSON.stringify(value)} is neither "*" nor an object${where}`, at);
  const out: string[] = [];
  for (const [kind, raw] of Object.entries(value)) {
    const list = strings(raw, `Principal ${kind}`, at, where);
    if (list instanceof Unknown) return list;
    for (const p of list) out.push(kind === "AWS" && p === "*" ? "*" : `${kind}:${p}`);
  }
  return fitted(out);
}

function conditions(value: unknown, at: SourceLocation | undefined, where: string): Maybe<PolicyCondition[]> {
  if (value === undefined || value === null) return [];
  if (value instanceof Unknown) return value;
  if (!isObject(value)) return unknown(`Condition is not an object${where}`, at);
  const out: PolicyCondition[] = [];
  for (const [operator, byKey] of Object.entries(value)) {
    if (byKey instanceof Unknown) return byKey;
    if (!isObject(byKey)) return unknown(`Condition ${operator} does not map keys to values${where}`, at);
    for (const [key, raw] of Object.entries(byKey)) {
      out.push({
        operator,
        key: key.toLowerCase(),
        values: strings(raw, `Condition ${operator} ${key}`, at, where),
      });
    }
  }
  return fitted(out);
}

/** A string or a list of them (numbers and booleans as their text); absent is an empty list. */
function strings(
  value: unknown,
  what: string,
  at: SourceLocation | undefined,
  where: string,
): Maybe<string[]> {
  if (value instanceof Unknown) return value;
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (item instanceof Unknown) return item;
    if (typeof item === "string") out.push(item);
    else if (typeof item === "number" || typeof item === "boolean") out.push(String(item));
    else return unknown(`${what} holds ${JSON.stringify(item)}, not a string${where}`, at);
  }
  return fitted(out);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

/**
 * A list without the spare room `push` leaves (a list grown from empty has room for 17 items): the normalized
 * statements are kept for the whole scan, a few short lists for every policy.
 */
function fitted<T>(list: T[]): T[] {
  return list.slice();
}
