import type { AccountInventory } from "./inventory.js";
import type { KmsKey } from "./resources.js";
import { isKnown, type Maybe } from "./value.js";

/**
 * Connects resources by the names and ARNs they use to point at each other (trail → bucket, key, log group, topic;
 * bucket → access-log bucket; metric filter → log group). Sources that resolved a reference themselves (a
 * CloudFormation `!Ref`, a Terraform address) set the link directly; this step fills in the rest, the same way for
 * every source.
 */
export function linkAccount(account: AccountInventory): void {
  const bucketsByName = indexBy(account.buckets, (b) => [b.name]);
  const groupsByName = indexBy(account.logGroups, (g) => [g.name, logGroupNameFromArn(g.arn)]);
  const groupsByArn = indexBy(account.logGroups, (g) => [withoutStar(g.arn)]);
  const groupsWithoutArn = indexBy(
    account.logGroups.filter((g) => !isKnownString(g.arn)),
    (g) => [g.name],
  );
  const topicsByArn = indexBy(account.topics, (t) => [t.arn]);
  const topicsByName = indexBy(account.topics, (t) => [t.name]);
  const topicsWithoutArn = indexBy(
    account.topics.filter((t) => !isKnownString(t.arn)),
    (t) => [t.name],
  );

  for (const trail of account.trails) {
    const links = trail.links;
    links.bucket ??= lookup(bucketsByName, trail.s3BucketName);
    links.key ??= findKey(account.keys, trail.kmsKeyId);
    const groupArn = trail.cloudWatchLogsLogGroupArn;
    links.logGroup ??= isArn(groupArn)
      ? byArn(account, groupArn, groupsByArn, groupsWithoutArn, logGroupNameFromArn(groupArn))
      : lookup(groupsByName, groupArn);
    const topic = trail.snsTopic;
    links.topic ??= isArn(topic)
      ? byArn(account, topic, topicsByArn, topicsWithoutArn, lastArnSegment(topic))
      : lookup(topicsByName, topic);
  }
  for (const bucket of account.buckets) {
    const target = bucket.logging;
    if (isKnown(target) && target) bucket.links.loggingTarget ??= lookup(bucketsByName, target.targetBucket);
  }
  for (const filter of account.metricFilters) {
    filter.links.logGroup ??= lookup(groupsByName, filter.logGroupName);
  }
}

/**
 * A reference by ARN names one account and region: it links to the resource with that ARN, never to a namesake of
 * another account (an organization trail's log group in the management account is not the member's group of the same
 * name). A resource whose ARN the source does not know is taken by name only when the ARN is of the inventory's own
 * account; otherwise the reference stays unlinked, and what depends on it is unknown.
 */
function byArn(
  account: AccountInventory,
  arn: string,
  byArnIndex: Map<string, string>,
  withoutArn: Map<string, string>,
  name: string | null,
): string | undefined {
  const found = byArnIndex.get(withoutStar(arn) ?? arn);
  if (found) return found;
  const owner = arn.split(":")[4];
  return owner && owner === account.accountId ? lookup(withoutArn, name) : undefined;
}

function isArn(value: Maybe<string | null>): value is string {
  return typeof value === "string" && value.startsWith("arn:");
}

function isKnownString(value: Maybe<string | null>): value is string {
  return typeof value === "string" && value !== "";
}

/** Log group ARNs come with and without the trailing `:*`. */
function withoutStar(arn: Maybe<string | null>): string | null {
  return typeof arn === "string" ? arn.replace(/:\*$/, "") : null;
}

function indexBy<T extends { id: string }>(
  items: T[],
  keys: (item: T) => Maybe<string | null>[],
): Map<string, string> {
  const index = new Map<string, string>();
  for (const item of items) {
    for (const key of keys(item)) if (typeof key === "string" && !index.has(key)) index.set(key, item.id);
  }
  return index;
}

function lookup(index: Map<string, string>, key: Maybe<string | null>): string | undefined {
  return typeof key === "string" ? index.get(key) : undefined;
}

/** `arn:aws:logs:us-east-1:123456789012:log-group:name:*` → `name`. */
export function logGroupNameFromArn(arn: Maybe<string | null>): string | null {
  if (typeof arn !== "string") return null;
  const match = /:log-group:([^:]+)(?::\*)?$/.exec(arn);
  return match?.[1] ?? null;
}

function lastArnSegment(value: Maybe<string | null>): string | null {
  if (typeof value !== "string" || !value.startsWith("arn:")) return null;
  return value.split(":").pop() ?? null;
}

/** A trail's `KmsKeyId` may be a key id, key ARN, alias name or alias ARN. */
function findKey(keys: KmsKey[], ref: Maybe<string | null>): string | undefined {
  if (typeof ref !== "string") return undefined;
  const alias = /(?:^|:)(alias\/.+)$/.exec(ref)?.[1];
  for (const key of keys) {
    if (key.keyId === ref || key.arn === ref) return key.id;
    if (alias && isKnown(key.aliases) && key.aliases.includes(alias)) return key.id;
    if (typeof key.keyId === "string" && ref.endsWith(`:key/${key.keyId}`)) return key.id;
  }
  return undefined;
}
