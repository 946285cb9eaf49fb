import {
  BOOKKEEPING_FIELDS,
  type Fields,
  type FieldType,
  KIND,
  type ResourceKind,
} from "../../model/index.js";
import type { JsonNode, Pos } from "./json.js";

/**
 * Checks a resource of a snapshot against the model's kinds table before it is read: every field the kind
 * declares is present, holds a value of its shape (or `null`, or `{"$unknown": …}`), and no other field is there.
 * A snapshot that fails is an input error at the offending line, never a crash and never a half-read account.
 */
export function checkResourceShape(
  node: JsonNode,
  kind: ResourceKind,
  report: (message: string, pos: Pos) => void,
) {
  if (node.kind !== "object") {
    report(`a ${kind} must be an object`, node.pos);
    return;
  }
  const allowed = new Set<string>(["kind", "id", ...BOOKKEEPING_FIELDS]);
  checkObject(node, KIND[kind].fields, kind, report, allowed);
}

function checkObject(
  node: JsonNode & { kind: "object" },
  fields: Fields,
  path: string,
  report: (message: string, pos: Pos) => void,
  extra: ReadonlySet<string> = new Set(),
): void {
  const seen = new Set<string>();
  for (const entry of node.entries) {
    seen.add(entry.key);
    const type = fields[entry.key];
    if (type === undefined) {
      if (!extra.has(entry.key)) report(`${path}.${entry.key} is not a field of the model`, entry.keyPos);
      continue;
    }
    checkValue(entry.value, type, `${path}.${entry.key}`, report);
  }
  for (const name of Object.keys(fields)) {
    if (!seen.has(name)) report(`${path}.${name} is missing (write null when it is not set)`, node.pos);
  }
}

function checkValue(
  node: JsonNode,
  type: FieldType,
  path: string,
  report: (message: string, pos: Pos) => void,
) {
  if (node.kind === "scalar" && node.value === null) return;
  if (node.kind === "object" && node.entries.some((e) => e.key === "$unknown")) {
    const reason = node.entries.find((e) => e.key === "$unknown")?.value;
    if (reason?.kind !== "scalar" || typeof reason.value !== "string") {
      report(`${path}: $unknown must hold the reason as a string`, node.pos);
    }
    return;
  }
  if (type === "any") return;
  if (typeof type === "string") {
    if (node.kind !== "scalar" || typeof node.value !== type) report(`${path} must be a ${type}`, node.pos);
    return;
  }
  if ("list" in type) {
    if (node.kind !== "array") {
      report(`${path} must be a list`, node.pos);
      return;
    }
    node.items.forEach((item, i) => {
      checkValue(item, type.list, `${path}[${i}]`, report);
    });
    return;
  }
  if (node.kind !== "object") {
    report(`${path} must be an object`, node.pos);
    return;
  }
  // A policy statement records where it is written; that is bookkeeping, not a setting.
  checkObject(node, type.object, path, report, new Set(["location", "principalTypes"]));
}
