import type { AccountInventory, Bucket, Maybe, Resource, Trail } from "../model/index.js";
import { isKnown, isUnknown, unknown } from "../model/index.js";
import type { Scope } from "./finding.js";
import { managementCoverage, s3DataCoverage } from "./selectors.js";

/**
 * The data a rule sees: each resource's model fields plus a few derived ones (documented in docs/rules.md), under
 * the binding names below. Views are plain data; sources are invisible here.
 */
export const BINDING_NAMES: Record<Scope, string> = {
  account: "account",
  trail: "trail",
  bucket: "bucket",
  key: "key",
  "log-group": "logGroup",
  "metric-filter": "metricFilter",
  alarm: "alarm",
  topic: "topic",
  "event-data-store": "eventDataStore",
  organization: "organization",
};

type View = Record<string, unknown>;

const BOOKKEEPING = new Set(["fieldLocations", "origin", "suppressions", "links"]);

/** Model fields without the bookkeeping that rules must not depend on, plus derived fields. */
function fieldsOf(resource: Resource, derived?: View): View {
  const view: View = { address: resource.origin.address };
  for (const key in resource) {
    if (!BOOKKEEPING.has(key)) view[key] = resource[key as keyof Resource];
  }
  return derived ? Object.assign(view, derived) : view;
}

export interface AccountViews {
  account: View;
  byId: Map<string, View>;
  /** Resource bindings per scope: what each rule of that scope is evaluated against. */
  targets: { scope: Scope; resource: Resource; bindings: Record<string, unknown> }[];
}

export function buildViews(account: AccountInventory): AccountViews {
  const byId = new Map<string, View>();
  const trailsByBucket = new Map<string, Trail[]>();
  const linkedIds = new Set<string>();
  for (const trail of account.trails) {
    for (const id of Object.values(trail.links)) if (id) linkedIds.add(id);
    if (trail.links.bucket) {
      const list = trailsByBucket.get(trail.links.bucket) ?? [];
      list.push(trail);
      trailsByBucket.set(trail.links.bucket, list);
    }
  }

  for (const trail of account.trails) {
    byId.set(
      trail.id,
      fieldsOf(trail, { managementEvents: managementCoverage(trail), s3DataEvents: s3DataCoverage(trail) }),
    );
  }
  for (const bucket of account.buckets) {
    const trails = trailsByBucket.get(bucket.id) ?? [];
    byId.set(
      bucket.id,
      fieldsOf(bucket, {
        isTrailBucket: trails.length > 0 || grantsCloudTrail(bucket),
        trailNames: trails.map((t) => t.name),
      }),
    );
  }
  for (const resource of [
    ...account.keys,
    ...account.logGroups,
    ...account.metricFilters,
    ...account.alarms,
    ...account.topics,
    ...account.eventDataStores,
  ]) {
    byId.set(resource.id, fieldsOf(resource, { usedByTrail: linkedIds.has(resource.id) }));
  }
  const org = account.organization;
  if (org && isKnown(org)) byId.set(org.id, fieldsOf(org));

  const viewsOf = (items: Resource[]) => items.map((r) => byId.get(r.id));
  const accountView: View = {
    accountId: account.accountId,
    regions: account.regions,
    completeAccount: account.completeAccount,
    trails: viewsOf(account.trails),
    buckets: viewsOf(account.buckets),
    keys: viewsOf(account.keys),
    logGroups: viewsOf(account.logGroups),
    metricFilters: viewsOf(account.metricFilters),
    alarms: viewsOf(account.alarms),
    topics: viewsOf(account.topics),
    eventDataStores: viewsOf(account.eventDataStores),
    organization: org && isKnown(org) ? byId.get(org.id) : org,
  };

  const targets: AccountViews["targets"] = [];
  for (const trail of account.trails) {
    targets.push({
      scope: "trail",
      resource: trail,
      bindings: {
        trail: byId.get(trail.id),
        bucket: linked(byId, trail.links.bucket, trail.s3BucketName, "S3 bucket"),
        key: linked(byId, trail.links.key, trail.kmsKeyId, "KMS key"),
        logGroup: linked(
          byId,
          trail.links.logGroup,
          trail.cloudWatchLogsLogGroupArn,
          "CloudWatch Logs group",
        ),
        topic: linked(byId, trail.links.topic, trail.snsTopic, "SNS topic"),
      },
    });
  }
  const simple: [Scope, Resource[]][] = [
    ["bucket", account.buckets],
    ["key", account.keys],
    ["log-group", account.logGroups],
    ["metric-filter", account.metricFilters],
    ["alarm", account.alarms],
    ["topic", account.topics],
    ["event-data-store", account.eventDataStores],
    ["organization", org && isKnown(org) ? [org] : []],
  ];
  for (const [scope, resources] of simple) {
    for (const resource of resources) {
      targets.push({ scope, resource, bindings: { [BINDING_NAMES[scope]]: byId.get(resource.id) } });
    }
  }
  return { account: accountView, byId, targets };
}

/**
 * The resource a trail points at. When the trail names one that is not in the inventory, the binding is Unknown
 * (rules about it cannot be decided); when the trail names none, it is null.
 */
function linked(
  byId: Map<string, View>,
  id: string | undefined,
  reference: Maybe<string | null>,
  what: string,
) {
  if (id) return byId.get(id) ?? null;
  if (isUnknown(reference)) return reference;
  if (reference === null || reference === "") return null;
  return unknown(`${what} ${reference} is not among the scanned inputs`);
}

/** A bucket whose policy lets CloudTrail write to it is a trail bucket even when the trail is defined elsewhere. */
function grantsCloudTrail(bucket: Bucket): boolean {
  const policy = bucket.policy;
  if (!policy || !isKnown(policy) || !isKnown(policy.statements)) return false;
  return policy.statements.some(
    (s) =>
      s.effect === "Allow" &&
      isKnown(s.principals) &&
      s.principals.includes("Service:cloudtrail.amazonaws.com"),
  );
}
