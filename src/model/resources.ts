import type { ResourceOrigin, SourceLocation } from "./location.js";
import type { Maybe, Unknown } from "./value.js";

/**
 * The normalized inventory: every source (CloudFormation, Terraform, AWS CLI exports, snapshots, live accounts)
 * produces these shapes and nothing else. A field is a known value, `null` when it is known to be unset, or an
 * `Unknown` carrying the reason it could not be read.
 *
 * Field names follow the AWS API (camelCased) so that rules read like the documentation.
 */

export type ResourceKind =
  | "trail"
  | "bucket"
  | "key"
  | "log-group"
  | "metric-filter"
  | "alarm"
  | "topic"
  | "event-data-store"
  | "organization";

export interface ResourceBase<K extends ResourceKind> {
  kind: K;
  /** Unique within one account inventory; sources use the logical address when no ARN is known. */
  id: string;
  origin: ResourceOrigin;
  /** Source location of individual fields, keyed by field path (`isMultiRegionTrail`, `publicAccessBlock.blockPublicAcls`). */
  fieldLocations: Record<string, SourceLocation>;
  /** Inline suppressions found at the resource's declaration. */
  suppressions?: Suppression[];
  /**
   * Set when the source cannot tell whether the resource is created at all (a CloudFormation `Condition` that does
   * not resolve, a Terraform `count`/`for_each` that is unknown), with the reason. Undefined: it is created. Account
   * rules never pass thanks to a resource that may not exist.
   */
  existence?: Unknown;
  /**
   * Ids of the resources this one points at, keyed by relation name (relations.ts): set by the source when it
   * resolved the reference itself, else by the link step.
   */
  links?: Links;
  /**
   * Set when the resource is handed to configuration the source could not read (a Terraform module that is not
   * downloaded), which may make it a trail's bucket, key, log group or topic: the rules about those are then unknown
   * for it, with the reason, instead of not applicable.
   */
  trailUse?: Unknown;
  /**
   * The account that owns the resource, when that is another account of the same scan (an organization trail held
   * by each member it covers, see organization.ts): rules about the resource are decided once, in the owner; here it
   * only shows what covers this account.
   */
  sharedFrom?: string;
}

export type Links = Record<string, string | string[] | undefined>;

export interface Suppression {
  ruleId: string;
  reason: string;
  location?: SourceLocation;
  /** `YYYY-MM-DD`: the last day it applies (`expires=` in the comment); absent: no end. */
  expires?: string;
}

// ---------------------------------------------------------------- CloudTrail

export type ReadWriteType = "All" | "ReadOnly" | "WriteOnly";

export interface DataResource {
  type: Maybe<string>;
  values: Maybe<string[]>;
}

export interface EventSelector {
  readWriteType: Maybe<ReadWriteType>;
  includeManagementEvents: Maybe<boolean>;
  excludeManagementEventSources: Maybe<string[]>;
  dataResources: Maybe<DataResource[]>;
}

export interface AdvancedFieldSelector {
  field: string;
  equals: string[] | null;
  notEquals: string[] | null;
  startsWith: string[] | null;
  notStartsWith: string[] | null;
  endsWith: string[] | null;
  notEndsWith: string[] | null;
}

export interface AdvancedEventSelector {
  name: Maybe<string | null>;
  fieldSelectors: Maybe<AdvancedFieldSelector[]>;
}

export interface Trail extends ResourceBase<"trail"> {
  name: Maybe<string>;
  arn: Maybe<string | null>;
  accountId: Maybe<string | null>;
  homeRegion: Maybe<string | null>;
  isMultiRegionTrail: Maybe<boolean>;
  isOrganizationTrail: Maybe<boolean>;
  isLogging: Maybe<boolean>;
  includeGlobalServiceEvents: Maybe<boolean>;
  logFileValidationEnabled: Maybe<boolean>;
  kmsKeyId: Maybe<string | null>;
  s3BucketName: Maybe<string | null>;
  s3KeyPrefix: Maybe<string | null>;
  snsTopic: Maybe<string | null>;
  cloudWatchLogsLogGroupArn: Maybe<string | null>;
  cloudWatchLogsRoleArn: Maybe<string | null>;
  /**
   * Basic event selectors. `null` means the trail has none configured, which AWS treats as the default selector
   * (all management events, read and write); sources decide that, not rules.
   */
  eventSelectors: Maybe<EventSelector[] | null>;
  advancedEventSelectors: Maybe<AdvancedEventSelector[] | null>;
  /** Insight types enabled on management events (`ApiCallRateInsight`, `ApiErrorRateInsight`). */
  insightTypes: Maybe<string[]>;
  /** Resolved by the link step: ids of the resources this trail writes to, when they are in the inventory. */
  links: TrailLinks;
}

export type TrailLinks = {
  bucket?: string;
  key?: string;
  logGroup?: string;
  topic?: string;
  organization?: string;
};

export interface EventDataStore extends ResourceBase<"event-data-store"> {
  name: Maybe<string>;
  arn: Maybe<string | null>;
  status: Maybe<string | null>;
  multiRegionEnabled: Maybe<boolean>;
  organizationEnabled: Maybe<boolean>;
  retentionPeriodDays: Maybe<number>;
  terminationProtectionEnabled: Maybe<boolean>;
  kmsKeyId: Maybe<string | null>;
  advancedEventSelectors: Maybe<AdvancedEventSelector[] | null>;
}

// ---------------------------------------------------------------- S3

export interface PublicAccessBlock {
  blockPublicAcls: Maybe<boolean>;
  ignorePublicAcls: Maybe<boolean>;
  blockPublicPolicy: Maybe<boolean>;
  restrictPublicBuckets: Maybe<boolean>;
}

export interface PolicyCondition {
  /** As written, e.g. `StringEquals`, `ForAnyValue:StringLike`, `Bool`. */
  operator: string;
  /** Condition key, lower-cased (IAM keys are case-insensitive): `aws:sourcearn`. */
  key: string;
  values: Maybe<string[]>;
}

export interface PolicyStatement {
  sid: string | null;
  effect: Maybe<"Allow" | "Deny">;
  /** Normalized principals: `*`, `AWS:<arn or account>`, `Service:cloudtrail.amazonaws.com`, `Federated:...`. */
  principals: Maybe<string[]>;
  notPrincipals: Maybe<string[] | null>;
  actions: Maybe<string[]>;
  notActions: Maybe<string[] | null>;
  resources: Maybe<string[]>;
  conditions: Maybe<PolicyCondition[]>;
  location?: SourceLocation;
  /**
   * The principal types the statement names (`AWS`, `Service`, …), when they are known but a value is not: an
   * `AWS` principal from a parameter without default can never be the CloudTrail service.
   */
  principalTypes?: string[];
}

export interface PolicyDocument {
  statements: Maybe<PolicyStatement[]>;
}

export interface AclGrant {
  /** `AllUsers`, `AuthenticatedUsers`, `LogDelivery`, `CanonicalUser:<id>`, `Email:<addr>`, `Owner`. */
  grantee: string;
  permission: string;
}

export interface LifecycleRule {
  id: string | null;
  enabled: Maybe<boolean>;
  prefix: Maybe<string | null>;
  expirationDays: Maybe<number | null>;
  noncurrentVersionExpirationDays: Maybe<number | null>;
}

export interface BucketEncryption {
  algorithm: Maybe<string>;
  kmsKeyId: Maybe<string | null>;
}

export interface ObjectLock {
  enabled: Maybe<boolean>;
  mode: Maybe<string | null>;
  retentionDays: Maybe<number | null>;
}

export interface BucketLogging {
  targetBucket: Maybe<string | null>;
  targetPrefix: Maybe<string | null>;
}

export interface Bucket extends ResourceBase<"bucket"> {
  name: Maybe<string>;
  arn: Maybe<string | null>;
  accountId: Maybe<string | null>;
  region: Maybe<string | null>;
  publicAccessBlock: Maybe<PublicAccessBlock | null>;
  /**
   * The S3 Block Public Access settings of the account that owns the bucket (S3 applies the most restrictive of the
   * bucket's and the account's). `null`: none set, or infrastructure code that declares none.
   */
  accountPublicAccessBlock: Maybe<PublicAccessBlock | null>;
  policy: Maybe<PolicyDocument | null>;
  /**
   * AWS's own verdict on the policy (`GetBucketPolicyStatus`): true when S3 deems it public, for instance a statement
   * whose conditions do not pin fixed values. `null`: no policy, or a source without that verdict (infrastructure code).
   */
  policyIsPublic: Maybe<boolean | null>;
  /** Canned ACL (`private`, `log-delivery-write`, ...) when the source gives one. */
  cannedAcl: Maybe<string | null>;
  aclGrants: Maybe<AclGrant[]>;
  versioning: Maybe<"Enabled" | "Suspended" | null>;
  mfaDelete: Maybe<boolean>;
  objectLock: Maybe<ObjectLock | null>;
  logging: Maybe<BucketLogging | null>;
  lifecycleRules: Maybe<LifecycleRule[]>;
  encryption: Maybe<BucketEncryption | null>;
  website: Maybe<boolean>;
  /** Object ownership setting (`BucketOwnerEnforced` disables ACLs). */
  objectOwnership: Maybe<string | null>;
  /** Resolved by the link step: id of the bucket it writes its access logs to. */
  links: { loggingTarget?: string };
}

// ---------------------------------------------------------------- KMS, CloudWatch, SNS, Organizations

export interface KmsKey extends ResourceBase<"key"> {
  keyId: Maybe<string>;
  arn: Maybe<string | null>;
  aliases: Maybe<string[]>;
  keyManager: Maybe<"CUSTOMER" | "AWS">;
  keySpec: Maybe<string>;
  keyState: Maybe<string>;
  rotationEnabled: Maybe<boolean>;
}

export interface LogGroup extends ResourceBase<"log-group"> {
  name: Maybe<string>;
  arn: Maybe<string | null>;
  retentionInDays: Maybe<number | null>;
  kmsKeyId: Maybe<string | null>;
}

export interface MetricTransformation {
  metricName: Maybe<string>;
  metricNamespace: Maybe<string>;
}

export interface MetricFilter extends ResourceBase<"metric-filter"> {
  name: Maybe<string>;
  logGroupName: Maybe<string>;
  filterPattern: Maybe<string>;
  metricTransformations: Maybe<MetricTransformation[]>;
  links: { logGroup?: string };
}

export interface Alarm extends ResourceBase<"alarm"> {
  name: Maybe<string>;
  /** `null` for an alarm on metric math (several metrics) or on another alarm. */
  metricName: Maybe<string | null>;
  namespace: Maybe<string | null>;
  /** `Sum`, `Average`, `SampleCount`, `Minimum`, `Maximum`; `null` for an extended statistic (`p99`). */
  statistic: Maybe<string | null>;
  /** Seconds. */
  period: Maybe<number | null>;
  evaluationPeriods: Maybe<number | null>;
  /** `null`: the alarm's evaluation periods (AWS's default). */
  datapointsToAlarm: Maybe<number | null>;
  threshold: Maybe<number | null>;
  /** `GreaterThanOrEqualToThreshold`, `GreaterThanThreshold`, `LessThanThreshold`, ... */
  comparisonOperator: Maybe<string | null>;
  /** `breaching`, `notBreaching`, `ignore`, `missing` (AWS's default when unset). */
  treatMissingData: Maybe<string | null>;
  actionsEnabled: Maybe<boolean>;
  alarmActions: Maybe<string[]>;
  /** Resolved by the link step: the metric filters publishing the alarm's metric, the topics it notifies. */
  links?: { metricFilters?: string[]; topics?: string[] };
}

export interface Subscription {
  protocol: Maybe<string>;
  endpoint: Maybe<string>;
  /** false while the subscription is `PendingConfirmation` (an email not yet confirmed): it receives nothing. */
  confirmed: Maybe<boolean>;
}

export interface Topic extends ResourceBase<"topic"> {
  name: Maybe<string>;
  arn: Maybe<string | null>;
  subscriptions: Maybe<Subscription[]>;
}

export interface Organization extends ResourceBase<"organization"> {
  organizationId: Maybe<string>;
  managementAccountId: Maybe<string | null>;
  featureSet: Maybe<string | null>;
  memberAccountIds: Maybe<string[]>;
}

export type Resource =
  | Trail
  | Bucket
  | KmsKey
  | LogGroup
  | MetricFilter
  | Alarm
  | Topic
  | EventDataStore
  | Organization;
