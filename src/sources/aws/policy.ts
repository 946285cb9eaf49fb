import type { PolicyCondition, PolicyDocument, PolicyStatement } from "../../model/index.js";
import { type Maybe, unknown } from "../../model/index.js";

/**
 * A policy document as an API returns it (JSON text) → normalized statements, the same shape every source gives:
 * principals `*`, `AWS:<x>`, `Service:<x>`; condition keys lower-cased.
 */
export function parsePolicyDocument(text: string): Maybe<PolicyDocument> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return unknown(`the policy is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(doc)) return unknown("the policy is not a JSON object");
  const raw = doc.Statement;
  if (raw === undefined) return { statements: [] };
  const items = Array.isArray(raw) ? raw : [raw];
  const statements: PolicyStatement[] = [];
  for (const item of items) {
    if (!isObject(item)) return { statements: unknown("a policy statement is not an object") };
    statements.push(readStatement(item));
  }
  return { statements };
}

function readStatement(s: Record<string, unknown>): PolicyStatement {
  const effect = s.Effect;
  return {
    sid: typeof s.Sid === "string" ? s.Sid : null,
    effect:
      effect === "Allow" || effect === "Deny"
        ? effect
        : unknown(`Effect ${JSON.stringify(effect)} is not Allow or Deny`),
    principals: s.Principal === undefined ? [] : readPrincipals(s.Principal),
    notPrincipals: s.NotPrincipal === undefined ? null : readPrincipals(s.NotPrincipal),
    actions: strings(s.Action, "Action"),
    notActions: s.NotAction === undefined ? null : strings(s.NotAction, "NotAction"),
    resources: strings(s.Resource, "Resource"),
    conditions: readConditions(s.Condition),
  };
}

function readPrincipals(value: unknown): Maybe<string[]> {
  if (value === "*") return ["*"];
  if (!isObject(value)) return unknown(`Principal ${JSON.stringify(value)} is neither "*" nor an object`);
  const out: string[] = [];
  for (const [kind, raw] of Object.entries(value)) {
    const values = strings(raw, `Principal ${kind}`);
    if (!Array.isArray(values)) return values;
    for (const v of values) out.push(kind === "AWS" && v === "*" ? "*" : `${kind}:${v}`);
  }
  return out;
}

function readConditions(value: unknown): Maybe<PolicyCondition[]> {
  if (value === undefined) return [];
  if (!isObject(value)) return unknown("Condition is not an object");
  const out: PolicyCondition[] = [];
  for (const [operator, keys] of Object.entries(value)) {
    if (!isObject(keys)) return unknown(`Condition ${operator} does not map keys to values`);
    for (const [key, raw] of Object.entries(keys)) {
      out.push({ operator, key: key.toLowerCase(), values: strings(raw, `Condition ${operator} ${key}`) });
    }
  }
  return out;
}

/** A string or a list of them; IAM also accepts numbers and booleans, which mean their text. */
function strings(value: unknown, what: string): Maybe<string[]> {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === "string") out.push(item);
    else if (typeof item === "number" || typeof item === "boolean") out.push(String(item));
    else return unknown(`${what} holds a value that is not a string`);
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
