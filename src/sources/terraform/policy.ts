import type { PolicyCondition, PolicyDocument, PolicyStatement, SourceLocation } from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import type { Obj, Val } from "./values.js";

/**
 * A bucket policy as Terraform gives it (a JSON string from `jsonencode`, `aws_iam_policy_document` or a heredoc)
 * → normalized statements. `statementLocations` says where each statement was written, when known.
 */
export function readPolicy(
  value: Val | undefined,
  at: SourceLocation,
  statementLocations: SourceLocation[] | undefined,
): Maybe<PolicyDocument | null> {
  if (value === undefined || value === null || value === "") return null;
  if (value instanceof Unknown) return value;
  let doc: unknown = value;
  if (typeof value === "string") {
    try {
      doc = JSON.parse(value);
    } catch (err) {
      return unknown(`the policy is a string that is not JSON: ${(err as Error).message}`, at);
    }
  }
  if (!isPlainObject(doc)) return unknown("the policy is not a JSON object", at);
  const raw = doc.Statement;
  if (raw === undefined) return { statements: [] };
  const items = Array.isArray(raw) ? raw : [raw];
  const statements: PolicyStatement[] = [];
  for (const [i, item] of items.entries()) {
    const where = statementLocations?.[i] ?? at;
    if (!isPlainObject(item)) return { statements: unknown("a policy statement is not an object", where) };
    statements.push(readStatement(item, where));
  }
  return { statements };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Unknown);
}

function strings(v: unknown, what: string, at: SourceLocation): Maybe<string[]> {
  if (v === undefined || v === null) return [];
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  return unknown(`${what} must be a string or a list of strings`, at);
}

function readStatement(s: Record<string, unknown>, at: SourceLocation): PolicyStatement {
  const effect = s.Effect;
  return {
    sid: typeof s.Sid === "string" ? s.Sid : null,
    effect:
      effect === "Allow" || effect === "Deny"
        ? effect
        : unknown(`Effect ${JSON.stringify(effect)} is not Allow or Deny`, at),
    principals: s.Principal === undefined ? [] : principals(s.Principal, at),
    notPrincipals: s.NotPrincipal === undefined ? null : principals(s.NotPrincipal, at),
    actions: strings(s.Action, "Action", at),
    notActions: s.NotAction === undefined ? null : strings(s.NotAction, "NotAction", at),
    resources: strings(s.Resource, "Resource", at),
    conditions: conditions(s.Condition, at),
    location: at,
  };
}

/** `*`, `{AWS: "*"}` → `*`; `{AWS: x}` → `AWS:x`, `{Service: x}` → `Service:x`. */
function principals(p: unknown, at: SourceLocation): Maybe<string[]> {
  if (p === "*") return ["*"];
  if (!isPlainObject(p)) return unknown(`Principal ${JSON.stringify(p)} is neither "*" nor an object`, at);
  const out: string[] = [];
  for (const [type, ids] of Object.entries(p)) {
    const list = strings(ids, `Principal ${type}`, at);
    if (list instanceof Unknown) return list;
    for (const id of list) out.push(type === "AWS" && id === "*" ? "*" : `${type}:${id}`);
  }
  return out;
}

function conditions(c: unknown, at: SourceLocation): Maybe<PolicyCondition[]> {
  if (c === undefined || c === null) return [];
  if (!isPlainObject(c)) return unknown("Condition must be an object", at);
  const out: PolicyCondition[] = [];
  for (const [operator, byKey] of Object.entries(c)) {
    if (!isPlainObject(byKey)) return unknown(`Condition ${operator} must map keys to values`, at);
    for (const [key, values] of Object.entries(byKey)) {
      const list =
        typeof values === "boolean" || typeof values === "number"
          ? [String(values)]
          : Array.isArray(values)
            ? strings(
                values.map((v) => (typeof v === "boolean" || typeof v === "number" ? String(v) : v)),
                `Condition ${operator} ${key}`,
                at,
              )
            : strings(values, `Condition ${operator} ${key}`, at);
      out.push({ operator, key: key.toLowerCase(), values: list });
    }
  }
  return out;
}

export type { Obj };
