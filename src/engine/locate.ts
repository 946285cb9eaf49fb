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
  for (const path of evidence) {
    const steps = path.split(".");
    const marked = steps.findIndex((step) => step.endsWith("[]"));
    if (marked < 0) {
      const location = longestPrefixLocation(resource, steps);
      if (location) return location;
      continue;
    }
    if (!failsWith) continue;
    const listSteps = [...steps.slice(0, marked), (steps[marked] as string).slice(0, -2)];
    const items = valueAt(view, listSteps);
    if (!Array.isArray(items)) continue;
    const index = decidingItem(listSteps, items, failsWith);
    if (index === undefined) continue;
    const base = `${listSteps.join(".")}[${index}]`;
    const rest = steps.slice(marked + 1).map((step) => step.replace(/\[\]$/, ""));
    const location =
      longestPrefixLocation(resource, rest, base) ??
      resource.fieldLocations[base] ??
      ownLocation(items[index]);
    if (location) return location;
  }
  return resource.origin.location;
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

/** The location of the longest prefix of `steps` (under `base`, an item's key, when given) that has one. */
function longestPrefixLocation(
  resource: Resource,
  steps: readonly string[],
  base?: string,
): SourceLocation | undefined {
  for (let k = steps.length; k > 0; k--) {
    const key = [...(base ? [base] : []), ...steps.slice(0, k)].join(".");
    const location = resource.fieldLocations[key];
    if (location) return location;
  }
  return undefined;
}

function ownLocation(item: unknown): SourceLocation | undefined {
  if (typeof item !== "object" || item === null || !("location" in item)) return undefined;
  const location = (item as { location?: SourceLocation }).location;
  return location && typeof location.file === "string" ? location : undefined;
}
