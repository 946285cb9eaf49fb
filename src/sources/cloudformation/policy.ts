import type { PolicyCondition, PolicyDocument, PolicyStatement } from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import type { FileMapping, ResourceInput } from "./context.js";
import { type FieldReader, type Got, refsOf, warn } from "./fields.js";
import type { Pos, RNode } from "./tree.js";

/**
 * `AWS::S3::BucketPolicy`: its statements become the policy of the bucket it names, by reference (a bucket of this
 * template) or by name or ARN (any bucket of the scan). Attaching, and refusing two policies on one bucket, is the
 * model's cross-source step; a policy that may not be created is an unknown policy on its bucket.
 */
export function attachBucketPolicy(m: FileMapping, input: ResourceInput): void {
  const { decl, props, reader: r } = input;
  const bucketGot = r.get(props, "Bucket", null);
  const docGot = r.get(props, "PolicyDocument", null);
  const policy = readPolicyDocument(r, docGot, "policy");
  const declaredBy = { address: m.addressOf(decl.logicalId), location: r.loc(decl.pos) };
  m.deferred.push(() => {
    const bucket = m.find(refsOf(bucketGot.node), "bucket");
    const name = r.str(bucketGot, "Bucket");
    if (!bucket && name instanceof Unknown) {
      warn(
        m.ctx,
        `${decl.logicalId} (line ${decl.pos.line}) applies to a bucket that cannot be told: ${name.reason}`,
        decl.pos,
      );
    }
    m.attachments.push({
      target: bucket ? { id: bucket.id } : { name: name ?? unknown("the policy names no Bucket") },
      field: "policy",
      value: input.existence
        ? unknown(`the bucket's policy is not known: ${input.existence.reason}`, input.existence.location)
        : policy,
      declaredBy,
      fieldLocations: { ...r.fieldLocations },
    });
  });
}

/** A policy document (a mapping, or a JSON string as some templates give it) → normalized statements. */
export function readPolicyDocument(r: FieldReader, got: Got, field: string): Maybe<PolicyDocument | null> {
  let node = got.node;
  r.record(field, got.pos);
  if (!node) return null;
  if (node.kind === "scalar" && typeof node.value === "string") {
    const parsed = parseJsonPolicy(node.value, node.pos);
    if (parsed instanceof Unknown) return parsed;
    node = parsed;
  }
  const doc: Got = { node, pos: got.pos };
  const stmtGot = r.get(doc, "Statement", `${field}.statements`);
  const sn = stmtGot.node;
  if (!sn) return { statements: [] };
  if (sn.kind === "unknown") return { statements: r.unknownOf(sn) };
  const items = sn.kind === "seq" ? sn.items : [sn];
  const statements: PolicyStatement[] = [];
  for (const item of items) {
    const s = readStatement(r, item);
    if (s instanceof Unknown) return { statements: s };
    statements.push(s);
  }
  return { statements };
}

function readStatement(r: FieldReader, item: RNode): PolicyStatement | Unknown {
  if (item.kind === "unknown") return r.unknownOf(item);
  if (item.kind !== "map")
    return unknown(`a policy statement must be a mapping (line ${item.pos.line})`, r.loc(item.pos));
  const st: Got = { node: item, pos: item.pos };
  const sid = r.str(r.get(st, "Sid", null), "Sid");
  const effect = r.str(r.get(st, "Effect", null), "Effect");
  const principalGot = r.get(st, "Principal", null);
  const notPrincipalGot = r.get(st, "NotPrincipal", null);
  const notActions = r.get(st, "NotAction", null);
  const principals = principalGot.node ? readPrincipals(r, principalGot.node) : [];
  return {
    sid: typeof sid === "string" ? sid : null,
    effect:
      effect === "Allow" || effect === "Deny" || effect instanceof Unknown
        ? effect
        : unknown(`Effect ${JSON.stringify(effect)} is not Allow or Deny`, r.loc(item.pos)),
    principals,
    // Only needed where a value is unknown: the types still say what the principals can be.
    ...(principals instanceof Unknown ? principalTypesOf(principalGot.node) : {}),
    notPrincipals: notPrincipalGot.node ? readPrincipals(r, notPrincipalGot.node) : null,
    actions: r.strList(r.get(st, "Action", null), "Action", true) ?? [],
    notActions: notActions.node ? r.strList(notActions, "NotAction", true) : null,
    resources: r.strList(r.get(st, "Resource", null), "Resource", true) ?? [],
    conditions: readConditions(r, r.get(st, "Condition", null)),
    location: r.loc(item.pos),
  };
}

/** `*`, `{AWS: "*"}` → `*`; `{AWS: x}` → `AWS:x`, `{Service: x}` → `Service:x`, ... */
/** `Principal: {AWS: …, Service: …}` names its types even where a value is not known. */
function principalTypesOf(node: RNode | undefined): { principalTypes?: string[] } {
  return node?.kind === "map" ? { principalTypes: node.entries.map((e) => e.key) } : {};
}

function readPrincipals(r: FieldReader, node: RNode): Maybe<string[]> {
  if (node.kind === "unknown") return r.unknownOf(node);
  if (node.kind === "scalar") {
    if (node.value === "*") return ["*"];
    return unknown(`Principal ${JSON.stringify(node.value)} is neither "*" nor a mapping`, r.loc(node.pos));
  }
  if (node.kind !== "map")
    return unknown(`Principal must be "*" or a mapping (line ${node.pos.line})`, r.loc(node.pos));
  const out: string[] = [];
  for (const e of node.entries) {
    const values = r.strList({ node: e.value, pos: e.keyPos }, `Principal ${e.key}`, true);
    if (values instanceof Unknown) return values;
    for (const v of values ?? []) out.push(e.key === "AWS" && v === "*" ? "*" : `${e.key}:${v}`);
  }
  return out;
}

function readConditions(r: FieldReader, got: Got): Maybe<PolicyCondition[]> {
  const node = got.node;
  if (!node) return [];
  if (node.kind === "unknown") return r.unknownOf(node);
  if (node.kind !== "map")
    return unknown(`Condition must be a mapping (line ${node.pos.line})`, r.loc(node.pos));
  const out: PolicyCondition[] = [];
  for (const op of node.entries) {
    if (op.value.kind === "unknown") return r.unknownOf(op.value);
    if (op.value.kind !== "map") {
      return unknown(
        `Condition ${op.key} must map keys to values (line ${op.keyPos.line})`,
        r.loc(op.keyPos),
      );
    }
    for (const k of op.value.entries) {
      const values = r.strList({ node: k.value, pos: k.keyPos }, `Condition ${op.key} ${k.key}`, true);
      out.push({ operator: op.key, key: k.key.toLowerCase(), values: values ?? [] });
    }
  }
  return out;
}

/** A policy given as a JSON string: every node is placed at the string's position. */
function parseJsonPolicy(text: string, pos: Pos): RNode | Unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return unknown(`policy document is a string that is not JSON: ${(err as Error).message}`);
  }
  return fromPlain(value, pos);
}

function fromPlain(value: unknown, pos: Pos): RNode {
  if (Array.isArray(value)) return { kind: "seq", items: value.map((v) => fromPlain(v, pos)), pos };
  if (value !== null && typeof value === "object") {
    return {
      kind: "map",
      entries: Object.entries(value).map(([key, v]) => ({ key, keyPos: pos, value: fromPlain(v, pos) })),
      pos,
    };
  }
  const scalar =
    typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : null;
  return { kind: "scalar", value: scalar, pos, refs: [] };
}
