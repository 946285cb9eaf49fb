import type {
  AccountInventory,
  Bucket,
  Maybe,
  Resource,
  ResourceListName,
  Scope,
  Trail,
} from "../model/index.js";
import { isKnown, isUnknown, RESOURCE_LISTS, type Unknown, unknown } from "../model/index.js";
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

const BOOKKEEPING = new Set(["fieldLocations", "origin", "suppressions", "links", "existence", "trailUse"]);

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
  // A trail whose target cannot be told (its bucket name is unknown) might write to any unlinked resource of the
  // kind: those are then not known to be unused, so the rules about trail buckets, keys and log groups say unknown.
  const unresolved = {
    bucket: unresolvedTarget(account.trails, "bucket", (t) => t.s3BucketName),
    key: unresolvedTarget(account.trails, "key", (t) => t.kmsKeyId),
    logGroup: unresolvedTarget(account.trails, "logGroup", (t) => t.cloudWatchLogsLogGroupArn),
    topic: unresolvedTarget(account.trails, "topic", (t) => t.snsTopic),
  };
  for (const bucket of account.buckets) {
    const trails = trailsByBucket.get(bucket.id) ?? [];
    byId.set(
      bucket.id,
      fieldsOf(bucket, {
        isTrailBucket:
          trails.length > 0
            ? true
            : anyOf(anyOf(grantsCloudTrail(bucket), unresolved.bucket), bucket.trailUse ?? false),
        trailNames: trails.map((t) => t.name),
      }),
    );
  }
  const unresolvedFor: Partial<Record<Resource["kind"], Maybe<boolean>>> = {
    key: unresolved.key,
    "log-group": unresolved.logGroup,
    topic: unresolved.topic,
  };
  for (const resource of [
    ...account.keys,
    ...account.logGroups,
    ...account.metricFilters,
    ...account.alarms,
    ...account.topics,
    ...account.eventDataStores,
  ]) {
    const usedByTrail = linkedIds.has(resource.id)
      ? true
      : anyOf(unresolvedFor[resource.kind] ?? false, resource.trailUse ?? false);
    byId.set(resource.id, fieldsOf(resource, { usedByTrail }));
  }
  const org = account.organization;
  if (org && isKnown(org)) byId.set(org.id, fieldsOf(org));

  const viewsOf = (items: Resource[]) => items.map((r) => byId.get(r.id));
  // A list the source did not see whole is unknown as a whole: a quantifier over the part that was seen could pass
  // or fail on resources that happen to be missing.
  const listView = (list: ResourceListName) => {
    const coverage = account.coverage[list];
    if (coverage.state === "complete") {
      const uncertain = account[list].find((r) => r.existence !== undefined);
      if (!uncertain) return viewsOf(account[list]);
      return unknown(
        `${uncertain.origin.address} may not be created (${uncertain.existence?.reason}), so the account's ${list} are not known`,
      );
    }
    const how = coverage.state === "partial" ? "only partly collected" : "not collected";
    return unknown(`the account's ${list} are ${how}${coverage.reason ? `: ${coverage.reason}` : ""}`);
  };
  const accountView = (): View => ({
    accountId: account.accountId,
    regions: account.regions,
    completeAccount: account.completeAccount,
    ...Object.fromEntries(RESOURCE_LISTS.map((list) => [list, listView(list)])),
    organization: org && isKnown(org) ? byId.get(org.id) : org,
  });

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
  if (id) return byId.get(id) ?? unknown(`${what} ${id} is linked but missing from the inventory`);
  if (isUnknown(reference)) return reference;
  if (reference === null || reference === "") return null;
  return unknown(`${what} ${reference} is not among the scanned inputs`);
}

/**
 * A bucket whose policy lets CloudTrail write to it is a trail bucket even when the trail is defined elsewhere; an
 * unreadable policy leaves that unknown.
 */
function grantsCloudTrail(bucket: Bucket): Maybe<boolean> {
  const policy = bucket.policy;
  if (policy === null) return false;
  if (isUnknown(policy))
    return unknown(`whether CloudTrail writes to it: the policy is unknown (${policy.reason})`);
  if (isUnknown(policy.statements)) return policy.statements;
  let undecided: Unknown | undefined;
  for (const s of policy.statements) {
    if (isUnknown(s.effect) || isUnknown(s.principals)) {
      undecided ??= isUnknown(s.effect) ? s.effect : (s.principals as Unknown);
      continue;
    }
    if (s.effect === "Allow" && s.principals.includes("Service:cloudtrail.amazonaws.com")) return true;
  }
  return undecided ?? false;
}

/** Unknown when some trail points at a resource of this kind that could not be told; else false. */
function unresolvedTarget(
  trails: Trail[],
  link: keyof Trail["links"],
  reference: (trail: Trail) => Maybe<string | null>,
): Maybe<boolean> {
  for (const trail of trails) {
    const value = reference(trail);
    if (!trail.links[link] && isUnknown(value)) {
      return unknown(
        `trail ${trail.origin.address} points at a ${link} that cannot be told (${value.reason})`,
      );
    }
  }
  return false;
}

/** true if either is true; else Unknown if either is Unknown; else false (CEL's `||`, on model values). */
function anyOf(a: Maybe<boolean>, b: Maybe<boolean>): Maybe<boolean> {
  if (a === true || b === true) return true;
  if (isUnknown(a)) return a;
  if (isUnknown(b)) return b;
  return false;
}
