import type { AccountInventory, Maybe, Resource, ResourceListName, Scope, Trail } from "../model/index.js";
import {
  BOOKKEEPING_FIELDS,
  grantsCloudTrail,
  isKnown,
  isUnknown,
  KINDS,
  linksOf,
  RELATIONS,
  RESOURCE_LISTS,
  resourcesOfKind,
  trailUsage,
  unknown,
} from "../model/index.js";
import { classFieldName, MONITORING_CLASSES } from "../patterns/classes.js";
import { type ChainOptions, type FilterJudge, monitoringChain } from "./monitoring.js";
import { effectivePublicAccessBlock } from "./public-access.js";
import { managementCoverage, s3DataCoverage } from "./selectors.js";

export interface ViewOptions {
  /** Judges metric filters for `account.cisMonitoring`; without it that field is unknown. */
  filterJudge?: FilterJudge;
  monitoring?: ChainOptions;
}

/**
 * The data a rule sees: each resource's model fields plus the derived fields declared in the model's kinds table
 * (documented in docs/rules.md), under the binding names of that table. Views are plain data; sources are
 * invisible here.
 */
type View = Record<string, unknown>;

const BOOKKEEPING = new Set<string>(BOOKKEEPING_FIELDS);

/** Model fields without the bookkeeping that rules must not depend on, plus derived fields. */
function fieldsOf(resource: Resource, derived?: View): View {
  const view: View = { address: resource.origin.address };
  for (const key in resource) {
    if (!BOOKKEEPING.has(key)) view[key] = resource[key as keyof Resource];
  }
  return derived ? Object.assign(view, derived) : view;
}

export interface AccountViews {
  /** The account as account-scope rules see it (built on demand: only whole accounts need it). */
  account(): View;
  /**
   * Resource bindings per scope: what each rule of that scope is evaluated against. Made one target at a time, as
   * they are judged: views of all resources at once would be held through the whole evaluation.
   */
  targets(): Iterable<Target>;
}

interface Target {
  scope: Scope;
  resource: Resource;
  bindings: Record<string, unknown>;
}

/** The relations whose targets trail-scope rules see beside the trail. */
const BOUND = RELATIONS.filter((r) => r.from === "trail" && r.bind);

export function buildViews(account: AccountInventory, options: ViewOptions = {}): AccountViews {
  const byId = new Map<string, Resource>();
  for (const spec of KINDS)
    for (const resource of resourcesOfKind(account, spec.kind)) byId.set(resource.id, resource);
  const usage = trailUsage(account);
  const usedByTrail = (r: Resource): Maybe<boolean> =>
    usage.used.has(r.id) ? true : (usage.maybe.get(r.id) ?? false);
  // Views are made when a target needs them and then dropped, except those of resources a trail links to: they are
  // bound beside every trail that links them as well as judged on their own, and are made once.
  const linkedIds = new Set<unknown>();
  for (const trail of account.trails) for (const r of BOUND) linkedIds.add(linksOf(trail)?.[r.name]);
  const kept = new Map<string, View>();
  /** The view of the resource the inventory holds under `id`. */
  const viewOf = (id: string): View | undefined => {
    const known = kept.get(id);
    if (known) return known;
    const resource = byId.get(id);
    const view = resource && fieldsOf(resource, derivedFields(resource, usedByTrail, usage.trailsOf));
    if (view && linkedIds.has(id)) kept.set(id, view);
    return view;
  };

  // A list the source did not see whole, or holding a resource that may not be created, is unknown as a whole: a
  // quantifier over the part that was seen could pass or fail on resources that happen to be missing.
  const listView = (list: ResourceListName) => {
    const coverage = account.coverage[list];
    if (coverage.state !== "complete") {
      const how = coverage.state === "partial" ? "only partly collected" : "not collected";
      return unknown(`the account's ${list} are ${how}${coverage.reason ? `: ${coverage.reason}` : ""}`);
    }
    const resources = account[list] as Resource[];
    const uncertain = resources.find((r) => r.existence !== undefined);
    if (uncertain) {
      return unknown(
        `${uncertain.origin.address} may not be created (${uncertain.existence?.reason}), so the account's ${list} are not known`,
      );
    }
    return resources.map((r) => viewOf(r.id));
  };
  const org = account.organization;
  const accountView = (): View => ({
    accountId: account.accountId,
    regions: account.regions,
    completeAccount: account.completeAccount,
    ...Object.fromEntries(RESOURCE_LISTS.map((list) => [list, listView(list)])),
    organization: org && isKnown(org) ? viewOf(org.id) : org,
    cisMonitoring: cisMonitoring(account, options),
  });

  function* targets(): Iterable<Target> {
    for (const spec of KINDS) {
      for (const resource of resourcesOfKind(account, spec.kind)) {
        const bindings: Record<string, unknown> = { [spec.binding]: viewOf(resource.id) };
        if (spec.kind === "trail") {
          for (const relation of BOUND) {
            const id = linksOf(resource)?.[relation.name];
            bindings[relation.name] = linked(
              viewOf,
              id,
              resource[relation.field as keyof Resource],
              relation.what,
            );
          }
        }
        yield { scope: spec.kind, resource, bindings };
      }
    }
  }
  return { account: accountView, targets };
}

/**
 * `account.cisMonitoring.<class>`: each class's chain, walked only when a rule reads it (getters), so that scans
 * without CIS rules never judge a filter.
 */
function cisMonitoring(account: AccountInventory, options: ViewOptions): View {
  const view: View = {};
  for (const id of MONITORING_CLASSES) {
    let result: unknown;
    Object.defineProperty(view, classFieldName(id), {
      enumerable: true,
      get: () => {
        result ??= options.filterJudge
          ? monitoringChain(account, id, options.filterJudge, options.monitoring)
          : unknown("metric filters were not judged (the filter-pattern judge was not loaded)");
        return result;
      },
    });
  }
  return view;
}

/** The kinds whose view has the derived `usedByTrail` (per the kinds table), found once rather than per resource. */
const USED_BY_TRAIL = new Set(KINDS.filter((k) => "usedByTrail" in k.derived).map((k) => k.kind));

/** The derived fields of a resource's view (declared per kind in the model's kinds table). */
function derivedFields(
  resource: Resource,
  usedByTrail: (r: Resource) => Maybe<boolean>,
  trailsOf: ReadonlyMap<string, Resource[]>,
): View | undefined {
  switch (resource.kind) {
    case "trail":
      return { managementEvents: managementCoverage(resource), s3DataEvents: s3DataCoverage(resource) };
    case "bucket": {
      const trails = (trailsOf.get(resource.id) ?? []) as Trail[];
      // A trail bucket is one a trail of the inputs writes to, or one whose policy lets CloudTrail write (a trail
      // elsewhere may use it). A policy that cannot be read leaves that open; a known policy that grants CloudTrail
      // nothing rules it out, unless a trail whose bucket cannot be told may write to it.
      const used = usedByTrail(resource);
      const grants = grantsCloudTrail(resource);
      return {
        isTrailBucket: used === true || grants === true ? true : isUnknown(grants) ? grants : used,
        trailNames: trails.map((t) => t.name),
        effectivePublicAccessBlock: effectivePublicAccessBlock(resource),
      };
    }
    case "organization":
      return undefined;
    default:
      return USED_BY_TRAIL.has(resource.kind) ? { usedByTrail: usedByTrail(resource) } : undefined;
  }
}

/**
 * The resource a trail points at. When the trail names one that is not in the inventory, the binding is Unknown
 * (rules about it cannot be decided); when the trail names none, it is null.
 */
function linked(viewOf: (id: string) => View | undefined, id: unknown, reference: unknown, what: string) {
  if (typeof id === "string")
    return viewOf(id) ?? unknown(`${what} ${id} is linked but missing from the inventory`);
  if (isUnknown(reference)) return reference;
  if (reference === null || reference === "" || reference === undefined) return null;
  return unknown(`${what} ${String(reference)} is not among the scanned inputs`);
}
