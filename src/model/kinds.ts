import { classFieldName, MONITORING_CLASSES } from "../patterns/classes.js";
import type { ResourceKind } from "./resources.js";

/**
 * The resource kinds of the model, declared once. Everything that walks resources by kind derives from this
 * table: the account's lists and their order, the names rules bind resources to, the snapshot's lists, the pack
 * schema's scopes (a test checks it), the fields a rule may read (pack loading checks every path against them) and
 * the bookkeeping fields rules never see.
 */

/** The shape of a field as rules see it; nullability and unknown-ness are not part of it (any field may be either). */
export type FieldType =
  | "string"
  | "boolean"
  | "number"
  /** Any value: a field whose content rules read only as a whole. */
  | "any"
  | { list: FieldType }
  | { object: Fields };

export type Fields = Readonly<Record<string, FieldType>>;

const list = (of: FieldType): FieldType => ({ list: of });
const object = (fields: Fields): FieldType => ({ object: fields });
const strings = list("string");

export interface KindSpec {
  kind: ResourceKind;
  /** The account's list of resources of this kind; the organization is a single value, not a list. */
  list: string | null;
  /** The variable a rule of this scope reads the resource as. */
  binding: string;
  /** What people call it, for messages. */
  title: string;
  /** The model fields rules may read (besides `address`, `id` and `kind`, which every view has). */
  fields: Fields;
  /** Fields the engine derives for rules (docs/rules.md); declared here so that rules reading them are checked. */
  derived: Fields;
}

/** Fields of every resource that are bookkeeping, not settings: rules never see them, snapshots keep them apart. */
export const BOOKKEEPING_FIELDS = [
  "origin",
  "fieldLocations",
  "suppressions",
  "links",
  "existence",
  "trailUse",
  "sharedFrom",
] as const;

/** Every view has these besides the kind's own fields. */
export const COMMON_FIELDS: Fields = { id: "string", kind: "string", address: "string" };

const advancedSelector = object({
  name: "string",
  fieldSelectors: list(
    object({
      field: "string",
      equals: strings,
      notEquals: strings,
      startsWith: strings,
      notStartsWith: strings,
      endsWith: strings,
      notEndsWith: strings,
    }),
  ),
});

const policyDocument = object({
  statements: list(
    object({
      sid: "string",
      effect: "string",
      principals: strings,
      notPrincipals: strings,
      actions: strings,
      notActions: strings,
      resources: strings,
      conditions: list(object({ operator: "string", key: "string", values: strings })),
    }),
  ),
});

const publicAccessBlock = object({
  blockPublicAcls: "boolean",
  ignorePublicAcls: "boolean",
  blockPublicPolicy: "boolean",
  restrictPublicBuckets: "boolean",
});

/** What a trail points at and what it records, as derived by the engine. */
const usedByTrail: Fields = { usedByTrail: "boolean" };

export const KINDS = [
  {
    kind: "trail",
    list: "trails",
    binding: "trail",
    title: "CloudTrail trail",
    fields: {
      name: "string",
      arn: "string",
      accountId: "string",
      homeRegion: "string",
      isMultiRegionTrail: "boolean",
      isOrganizationTrail: "boolean",
      isLogging: "boolean",
      includeGlobalServiceEvents: "boolean",
      logFileValidationEnabled: "boolean",
      kmsKeyId: "string",
      s3BucketName: "string",
      s3KeyPrefix: "string",
      snsTopic: "string",
      cloudWatchLogsLogGroupArn: "string",
      cloudWatchLogsRoleArn: "string",
      eventSelectors: list(
        object({
          readWriteType: "string",
          includeManagementEvents: "boolean",
          excludeManagementEventSources: strings,
          dataResources: list(object({ type: "string", values: strings })),
        }),
      ),
      advancedEventSelectors: list(advancedSelector),
      insightTypes: strings,
    },
    derived: {
      managementEvents: object({ read: "boolean", write: "boolean", excludedSources: strings }),
      s3DataEvents: object({ read: "boolean", write: "boolean" }),
    },
  },
  {
    kind: "bucket",
    list: "buckets",
    binding: "bucket",
    title: "S3 bucket",
    fields: {
      name: "string",
      arn: "string",
      accountId: "string",
      region: "string",
      publicAccessBlock: publicAccessBlock,
      accountPublicAccessBlock: publicAccessBlock,
      policy: policyDocument,
      policyIsPublic: "boolean",
      cannedAcl: "string",
      aclGrants: list(object({ grantee: "string", permission: "string" })),
      versioning: "string",
      mfaDelete: "boolean",
      objectLock: object({ enabled: "boolean", mode: "string", retentionDays: "number" }),
      logging: object({ targetBucket: "string", targetPrefix: "string" }),
      lifecycleRules: list(
        object({
          id: "string",
          enabled: "boolean",
          prefix: "string",
          expirationDays: "number",
          noncurrentVersionExpirationDays: "number",
        }),
      ),
      encryption: object({ algorithm: "string", kmsKeyId: "string" }),
      website: "boolean",
      objectOwnership: "string",
    },
    derived: { isTrailBucket: "boolean", trailNames: strings, effectivePublicAccessBlock: publicAccessBlock },
  },
  {
    kind: "key",
    list: "keys",
    binding: "key",
    title: "KMS key",
    fields: {
      keyId: "string",
      arn: "string",
      aliases: strings,
      keyManager: "string",
      keySpec: "string",
      keyState: "string",
      rotationEnabled: "boolean",
    },
    derived: usedByTrail,
  },
  {
    kind: "log-group",
    list: "logGroups",
    binding: "logGroup",
    title: "CloudWatch Logs group",
    fields: { name: "string", arn: "string", retentionInDays: "number", kmsKeyId: "string" },
    derived: usedByTrail,
  },
  {
    kind: "metric-filter",
    list: "metricFilters",
    binding: "metricFilter",
    title: "CloudWatch Logs metric filter",
    fields: {
      name: "string",
      logGroupName: "string",
      filterPattern: "string",
      metricTransformations: list(object({ metricName: "string", metricNamespace: "string" })),
    },
    derived: usedByTrail,
  },
  {
    kind: "alarm",
    list: "alarms",
    binding: "alarm",
    title: "CloudWatch alarm",
    fields: {
      name: "string",
      metricName: "string",
      namespace: "string",
      statistic: "string",
      period: "number",
      evaluationPeriods: "number",
      datapointsToAlarm: "number",
      threshold: "number",
      comparisonOperator: "string",
      treatMissingData: "string",
      actionsEnabled: "boolean",
      alarmActions: strings,
    },
    derived: usedByTrail,
  },
  {
    kind: "topic",
    list: "topics",
    binding: "topic",
    title: "SNS topic",
    fields: {
      name: "string",
      arn: "string",
      subscriptions: list(object({ protocol: "string", endpoint: "string", confirmed: "boolean" })),
    },
    derived: usedByTrail,
  },
  {
    kind: "event-data-store",
    list: "eventDataStores",
    binding: "eventDataStore",
    title: "CloudTrail Lake event data store",
    fields: {
      name: "string",
      arn: "string",
      status: "string",
      multiRegionEnabled: "boolean",
      organizationEnabled: "boolean",
      retentionPeriodDays: "number",
      terminationProtectionEnabled: "boolean",
      kmsKeyId: "string",
      advancedEventSelectors: list(advancedSelector),
    },
    derived: usedByTrail,
  },
  {
    kind: "organization",
    list: null,
    binding: "organization",
    title: "AWS Organization",
    fields: {
      organizationId: "string",
      managementAccountId: "string",
      featureSet: "string",
      memberAccountIds: strings,
    },
    derived: {},
  },
] as const satisfies readonly KindSpec[];

/** The names of the account's resource lists (`trails`, `buckets`, …). */
export type ResourceListName = NonNullable<(typeof KINDS)[number]["list"]>;

export const KIND = Object.fromEntries(KINDS.map((spec) => [spec.kind, spec])) as unknown as {
  readonly [K in ResourceKind]: KindSpec;
};

/** The kinds held in lists, in the fixed order every walk over an account's resources uses. */
export const LISTED_KINDS = KINDS.filter(
  (k): k is Extract<(typeof KINDS)[number], { list: ResourceListName }> => k.list !== null,
) as readonly (KindSpec & { list: ResourceListName })[];

/** The account's resource lists, in table order. */
export const RESOURCE_LISTS: readonly ResourceListName[] = LISTED_KINDS.map((k) => k.list);

/** The kind held by each list. */
export const KIND_OF_LIST = Object.fromEntries(LISTED_KINDS.map((k) => [k.list, k])) as unknown as {
  readonly [L in ResourceListName]: KindSpec & { list: L };
};

/** What account-scope rules see as `account`. */
export const ACCOUNT_FIELDS: Fields = {
  accountId: "string",
  regions: strings,
  completeAccount: "boolean",
  ...Object.fromEntries(
    LISTED_KINDS.map((spec) => [
      spec.list,
      list(object({ ...COMMON_FIELDS, ...spec.fields, ...spec.derived })),
    ]),
  ),
  organization: object({ ...COMMON_FIELDS, ...KIND.organization.fields }),
  /**
   * Derived: per CIS monitoring class (`rootAccountUsage`, …), whether the whole alarm chain holds (trail → log
   * group → metric filter → alarm → topic → confirmed subscription), the chain or its first broken link in
   * `reason`, and whether the filter is the exact CIS/Security Hub text in `exactText` (null when no filter
   * covers the class).
   */
  cisMonitoring: object(
    Object.fromEntries(
      MONITORING_CLASSES.map((id) => [
        classFieldName(id),
        object({ holds: "boolean", reason: "string", exactText: "boolean" }),
      ]),
    ),
  ),
};

/** The full field tree of a resource view of the kind, as rules see it. */
export function viewFields(spec: KindSpec): Fields {
  return { ...COMMON_FIELDS, ...spec.fields, ...spec.derived };
}
