import type { ResourceKind } from "./resources.js";

/**
 * How resources point at each other, declared once. The link step (link.ts) resolves every relation the same way
 * for every source; the engine's views derive from it which resources a rule of the trail scope sees beside the
 * trail (`bind`), and which resources are used by a trail (`usage`). Sources that resolved a reference themselves
 * (a CloudFormation `!Ref`, a Terraform address) set `links[name]` directly; the link step fills in the rest.
 */
export interface Relation {
  /** The link's key in `links` of the `from` resource; for bound relations also the variable rules read. */
  name: string;
  from: ResourceKind;
  /** The field of `from` that holds the reference (a dotted path for nested fields). */
  field: string;
  to: ResourceKind;
  /** How a reference is matched against resources of `to`. */
  match: MatchKind;
  /** The field holds several references (a list); the link is a list of ids. */
  many?: boolean;
  /** Trail-scope rules see the target beside the trail under `name` (null when unset, unknown when missing). */
  bind?: boolean;
  /**
   * How "used by a trail" flows along the relation: `forward` — the target of a used resource (or of a trail) is
   * used; `backward` — a resource pointing at a used one is used (a metric filter on a trail's log group);
   * `none` — it does not flow.
   */
  usage: "forward" | "backward" | "none";
  /** What the target is, for messages ("S3 bucket"). */
  what: string;
}

export type MatchKind =
  /** A bucket name, or an S3 ARN `arn:aws:s3:::name`. */
  | "bucket-name"
  /** A key id, key ARN, alias name or alias ARN. */
  | "kms-key"
  /** A log group ARN: name, account and region must agree (a group of the same name elsewhere is not it). */
  | "log-group-arn"
  /** A log group name within the account (and region where both are known). */
  | "log-group-name"
  /** An SNS topic ARN, or a topic name. */
  | "topic"
  /** An alarm's namespace and metric name, against a metric filter's transformations. */
  | "metric"
  /** The account's organization, when the trail is an organization trail. */
  | "organization";

export const RELATIONS: readonly Relation[] = [
  {
    name: "bucket",
    from: "trail",
    field: "s3BucketName",
    to: "bucket",
    match: "bucket-name",
    bind: true,
    usage: "forward",
    what: "S3 bucket",
  },
  {
    name: "key",
    from: "trail",
    field: "kmsKeyId",
    to: "key",
    match: "kms-key",
    bind: true,
    usage: "forward",
    what: "KMS key",
  },
  {
    name: "logGroup",
    from: "trail",
    field: "cloudWatchLogsLogGroupArn",
    to: "log-group",
    match: "log-group-arn",
    bind: true,
    usage: "forward",
    what: "CloudWatch Logs group",
  },
  {
    name: "topic",
    from: "trail",
    field: "snsTopic",
    to: "topic",
    match: "topic",
    bind: true,
    usage: "forward",
    what: "SNS topic",
  },
  {
    name: "organization",
    from: "trail",
    field: "isOrganizationTrail",
    to: "organization",
    match: "organization",
    usage: "none",
    what: "organization",
  },
  {
    name: "loggingTarget",
    from: "bucket",
    field: "logging.targetBucket",
    to: "bucket",
    match: "bucket-name",
    usage: "none",
    what: "S3 bucket",
  },
  {
    name: "logGroup",
    from: "metric-filter",
    field: "logGroupName",
    to: "log-group",
    match: "log-group-name",
    usage: "backward",
    what: "CloudWatch Logs group",
  },
  {
    name: "metricFilters",
    from: "alarm",
    field: "metricName",
    to: "metric-filter",
    match: "metric",
    many: true,
    usage: "backward",
    what: "metric filter",
  },
  {
    name: "topics",
    from: "alarm",
    field: "alarmActions",
    to: "topic",
    match: "topic",
    many: true,
    usage: "forward",
    what: "SNS topic",
  },
];
