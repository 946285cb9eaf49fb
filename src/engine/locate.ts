import type { Resource, SourceLocation } from "../model/index.js";

/**
 * Whether the rule's assertion fails on the resource's view with the list at `steps` replaced by `list`: how a
 * failing finding finds the list item that decides it.
 */
export type FailsWith = (steps: readonly string[], list: readonly unknown[]) => boolean;

/**
 * Where a finding points. Each evidence entry is a field path of the resource (`objectLock`,
 * `publicAccessBlock.blockPublicAcls`); the first that gives a location wins (a path without a location of its
 * own uses its longest prefix that has one), else the resource's own location.
 *
 * `list[]` in a path stands for the list item that decides a failing finding (`failsWith` given): the first item
 * that fails the assertion alone, in a list whose emptying would not fail it. The item is located by the source's
 * field location of the item (`lifecycleRules[1].expirationDays`, then `lifecycleRules[1]`) or by the item's own
 * `location` (policy statements carry one). When there is no such item (a passing finding; a missing Deny
 * statement; another setting that fails the rule too), the entry gives way to the next one.
 */
export function evidenceLocation(
  evidence: readonly string[],
  resource: Resource,
  view: unknown,
  failsWith?: FailsWith,
): SourceLocation | undefined {
  const locations = resource.fieldLocations;
  for (const path of parsedEvidence(evidence)) {
    if (path.kind === "field") {
      const location = firstLocation(locations, path.prefixes);
      if (location) return location;
      continue;
    }
    if (!failsWith) continue;
    const items = valueAt(view, path.listSteps);
    if (!Array.isArray(items)) continue;
    const index = decidingItem(path.listSteps, items, failsWith);
    if (index === undefined) continue;
    const base = `${path.list}[${index}]`;
    let location: SourceLocation | undefined;
    for (const prefix of path.restPrefixes) {
      location = locations[`${base}.${prefix}`];
      if (location) break;
    }
    location ??= locations[base] ?? ownLocation(items[index]);
    if (location) return location;
  }
  return resource.origin.location;
}

/** An evidence entry, split once per rule rather than once per finding. */
type EvidencePath =
  | { kind: "field"; prefixes: readonly string[] }
  | {
      kind: "list";
      /** The steps to the list, and their dotted form (`policy.statements`). */
      listSteps: readonly string[];
      list: string;
      /** The dotted prefixes of the path after the list item, longest first (`expirationDays`). */
      restPrefixes: readonly string[];
    };

const parsedPaths = new WeakMap<readonly string[], EvidencePath[]>();

function parsedEvidence(evidence: readonly string[]): EvidencePath[] {
  let parsed = parsedPaths.get(evidence);
  if (!parsed) {
    parsed = evidence.map(parseEvidencePath);
    parsedPaths.set(evidence, parsed);
  }
  return parsed;
}

function parseEvidencePath(path: string): EvidencePath {
  const steps = path.split(".");
  const marked = steps.findIndex((step) => step.endsWith("[]"));
  if (marked < 0) return { kind: "field", prefixes: prefixesOf(steps) };
  const listSteps = [...steps.slice(0, marked), (steps[marked] as string).slice(0, -2)];
  const rest = steps.slice(marked + 1).map((step) => step.replace(/\[\]$/, ""));
  return { kind: "list", listSteps, list: listSteps.join("."), restPrefixes: prefixesOf(rest) };
}

/** `a.b.c` as `a.b.c`, `a.b`, `a`: where a path without a location of its own looks next. */
function prefixesOf(steps: readonly string[]): string[] {
  const prefixes: string[] = [];
  for (let k = steps.length; k > 0; k--) prefixes.push(steps.slice(0, k).join("."));
  return prefixes;
}

function firstLocation(
  locations: Record<string, SourceLocation>,
  keys: readonly string[],
): SourceLocation | undefined {
  for (const key of keys) {
    const location = locations[key];
    if (location) return location;
  }
  return undefined;
}

/** The first item that fails the assertion on its own, when an empty list would not fail it. */
function decidingItem(steps: readonly string[], items: unknown[], failsWith: FailsWith): number | undefined {
  if (items.length === 0 || failsWith(steps, [])) return undefined;
  for (let i = 0; i < items.length; i++) if (failsWith(steps, [items[i]])) return i;
  return undefined;
}

function valueAt(view: unknown, steps: readonly string[]): unknown {
  let value = view;
  for (const step of steps) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

function ownLocation(item: unknown): SourceLocation | undefined {
  if (typeof item !== "object" || item === null || !("location" in item)) return undefined;
  const location = (item as { location?: SourceLocation }).location;
  return location && typeof location.file === "string" ? location : undefined;
}
