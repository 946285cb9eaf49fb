import type { PolicyCondition, PolicyDocument, PolicyStatement, SourceLocation } from "../../model/index.js";
import { type Maybe, unknown } from "../../model/index.js";

/**
 * An IAM policy document given as a JSON string (`get-bucket-policy`'s `Policy`), normalized as every source does:
 * principals `*`, `AWS:<arn>`, `Service:<name>`; condition keys lower-cased. Statements are located at the string.
 */
export function readPolicyString(text: string, at: SourceLocation): Maybe<PolicyDocument> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return unknown(`the policy in ${at.file} line ${at.line} is not JSON: ${(err as Error).message}`, at);
  }
  if (!isObject(doc)) return unknown(`the policy in ${at.file} line ${at.line} is not a JSON object`, at);
  const raw = doc.Statement;
  if (raw === undefined) return { statements: [] };
  const items = Array.isArray(raw) ? raw : [raw];
  const statements: PolicyStatement[] = [];
  for (const item of items) {
    if (!isObject(item)) {
      return { statements: unknown(`a statement of the policy in ${at.file} is not an object`, at) };
    }
    statements.push(readStatement(item, at));
  }
  return { statements };
}

function readStatement(s: Record<string, unknown>, at: SourceLocation): PolicyStatement {
  const effect = s.Effect;
  return {
    sid: typeof s.Sid === "string" ? s.Sid : null,
    effect:
      effect === "Allow" || effect === "Deny"
        ? effect
        : unknown(`Effect ${JSON.stringify(effect)} is not Allow or Deny (${at.file} line ${at.line})`, at),
    principals: s.Principal === undefined ? [] : principals(s.Principal, at),
    notPrincipals: s.NotPrincipal === undefined ? null : principals(s.NotPrincipal, at),
    actions: strings(s.Action, "Action", at) ?? [],
    notActions: strings(s.NotAction, "NotAction", at),
    resources: strings(s.Resource, "Resource", at) ?? [],
    conditions: conditions(s.Condition, at),
    location: at,
  };
}

function principals(value: unknown, at: SourceLocation): Maybe<string[]> {
  if (value === "*") return ["*"];
  if (!isObject(value)) return unknown(`Principal ${JSON.stringify(value)} is neither "*" nor an object`, at);
  const out: string[] = [];
  for (const [kind, v] of Object.entries(value)) {
    const list = strings(v, `Principal ${kind}`, at);
    if (list === null) continue;
    if (!Array.isArray(list)) return list;
    for (const p of list) out.push(kind === "AWS" && p === "*" ? "*" : `${kind}:${p}`);
  }
  return out;
}

function conditions(value: unknown, at: SourceLocation): Maybe<PolicyCondition[]> {
  if (value === undefined) return [];
  if (!isObject(value)) return unknown(`Condition is not an object (${at.file} line ${at.line})`, at);
  const out: PolicyCondition[] = [];
  for (const [operator, byKey] of Object.entries(value)) {
    if (!isObject(byKey))
      return unknown(`Condition ${operator} is not an object (${at.file} line ${at.line})`, at);
    for (const [key, v] of Object.entries(byKey)) {
      out.push({
        operator,
        key: key.toLowerCase(),
        values: strings(v, `Condition ${operator} ${key}`, at) ?? [],
      });
    }
  }
  return out;
}

/** A string or a list of scalars as strings; absent → null. */
function strings(value: unknown, what: string, at: SourceLocation): Maybe<string[]> | null {
  if (value === undefined || value === null) return null;
  const list = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const v of list) {
    if (typeof v === "string") out.push(v);
    else if (typeof v === "number" || typeof v === "boolean") out.push(String(v));
    else return unknown(`${what} holds ${JSON.stringify(v)}, not a string (${at.file} line ${at.line})`, at);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
