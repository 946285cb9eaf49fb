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
  const topics = indexBy(account.topics, (t) => [t.name, t.arn]);

  for (const trail of account.trails) {
    const links = trail.links;
    links.bucket ??= lookup(bucketsByName, trail.s3BucketName);
    links.key ??= findKey(account.keys, trail.kmsKeyId);
    links.logGroup ??= lookup(groupsByName, logGroupNameFromArn(trail.cloudWatchLogsLogGroupArn));
    links.topic ??= lookup(topics, trail.snsTopic) ?? lookup(topics, lastArnSegment(trail.snsTopic));
  }
  for (const bucket of account.buckets) {
    const target = bucket.logging;
    if (isKnown(target) && target) bucket.links.loggingTarget ??= lookup(bucketsByName, target.targetBucket);
  }
  for (const filter of account.metricFilters) {
    filter.links.logGroup ??= lookup(groupsByName, filter.logGroupName);
  }
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
