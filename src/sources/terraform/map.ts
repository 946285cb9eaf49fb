import type {
  AclGrant,
  AdvancedEventSelector,
  AdvancedFieldSelector,
  Alarm,
  Bucket,
  BucketEncryption,
  EventDataStore,
  EventSelector,
  InputError,
  KmsKey,
  LifecycleRule,
  LogGroup,
  MetricFilter,
  ObjectLock,
  Organization,
  PublicAccessBlock,
  ReadWriteType,
  Resource,
  ResourceKind,
  SourceLocation,
  Subscription,
  Suppression,
  Topic,
  Trail,
} from "../../model/index.js";
import { append, compactLocations, isKnown, type Maybe, Unknown, unknown } from "../../model/index.js";
import { readAlarmSettings } from "../alarm-settings.js";
import { emptyFragment, type InventoryFragment } from "../fragment.js";
import { NEW_BUCKET } from "../s3-defaults.js";
import { emptyFieldSelector, FIELD_SELECTOR_OPERATORS } from "../selectors.js";
import { Fields, type Got, ReadNames, type Src } from "./fields.js";
import { readPolicy } from "./policy.js";
import { placeholder, type Val } from "./values.js";

/** One resource instance to map, from a `.tf` folder or a plan. */
export interface ResourceRecord {
  type: string;
  /** Terraform address, module path and instance key included: `module.logs.aws_s3_bucket.this[0]`. */
  address: string;
  /** `<relative file>#<address>`: the model id and origin address. */
  id: string;
  src: Src;
  location: SourceLocation;
  suppressions: Suppression[];
  /** Whether the resource is created cannot be decided (see `ResourceBase.existence`). */
  existence?: Unknown;
  /** Handed to configuration that is not read (see `ResourceBase.trailUse`). */
  trailUse?: Unknown;
}

export interface MapOptions {
  /** JSON text of a policy → where its statements were written. */
  policyLocations?: Map<string | object, SourceLocation[]>;
}

const ACCOUNT = placeholder("aws:account_id");
const REGION = placeholder("aws:region");
/** The fields `Mapping.make` gives every resource. */
type CommonField = "kind" | "id" | "origin" | "fieldLocations" | "existence" | "trailUse";

const NOT_FIELDS = new Set(["kind", "id", "origin", "fieldLocations", "suppressions", "links"]);
const SELF_CONFIRMED = new Set(["lambda", "sqs", "firehose", "sms", "application"]);

/** The key a policy's statement locations are kept under: its JSON text, or the object of a partly known one. */
function policyKey(value: Val | undefined): string | object {
  return typeof value === "object" && value !== null ? value : String(value);
}

/** Maps resource instances to the normalized inventory, attaching split bucket resources, aliases and subscriptions. */
export function mapResources(records: ResourceRecord[], options: MapOptions = {}): InventoryFragment {
  return new Mapping(records, options).run();
}

class Mapping {
  readonly fragment = emptyFragment();
  readonly byAddress = new Map<string, Resource>();
  readonly deferred: (() => void)[] = [];
  /** Alias address → the addresses its target_key_id refers to. */
  readonly aliasTargets = new Map<string, string[]>();

  constructor(
    readonly records: ResourceRecord[],
    readonly options: MapOptions,
  ) {}

  warn(message: string, at: SourceLocation): void {
    this.fragment.errors.push({
      code: "unresolved",
      file: at.file,
      line: at.line,
      column: at.column,
      message,
      severity: "warning",
    });
  }

  run(): InventoryFragment {
    const attachments: ResourceRecord[] = [];
    // Arguments no mapper read are found as soon as a record is read, so that what it read is not kept for the
    // whole module; they are reported after the mappers' own warnings, in the records' order, as always.
    const unread: { message: string; at: SourceLocation }[] = [];
    for (const rec of this.records) {
      const mapper = MAPPERS[rec.type];
      if (mapper) {
        const fields = new Fields(rec.address, (m, at) => this.warn(m, at));
        const read = new ReadNames(rec.src);
        const resource = mapper.map(this, { ...rec, src: read }, fields);
        if (resource) {
          this.register(rec, resource);
          // Compacted now, while the record it replaces is young; what attachers add later is compacted below.
          resource.fieldLocations = compactLocations(resource.fieldLocations);
        }
        append(unread, unreadArguments(rec, read));
      } else if (ATTACHERS[rec.type]) attachments.push(rec);
    }
    // Split resources and their likes configure resources mapped above; the later ones win, as in Terraform's apply.
    for (const rec of attachments) {
      const fields = new Fields(rec.address, (m, at) => this.warn(m, at));
      const read = new ReadNames(rec.src);
      ATTACHERS[rec.type]?.attach(this, { ...rec, src: read }, fields);
      append(unread, unreadArguments(rec, read));
    }
    for (const { message, at } of unread) this.warn(message, at);
    for (const run of this.deferred) run();
    for (const { bucket, setting, reason } of this.conflicts)
      (bucket as unknown as Record<string, unknown>)[setting] = reason;
    for (const rec of this.records) {
      const resource = this.byAddress.get(rec.address);
      if (!resource) continue;
      for (const field of Object.keys(resource)) {
        if (NOT_FIELDS.has(field) || resource.fieldLocations[field]) continue;
        resource.fieldLocations[field] = rec.location;
      }
    }
    for (const resource of new Set(this.byAddress.values()))
      resource.fieldLocations = compactLocations(resource.fieldLocations);
    return this.fragment;
  }

  register(rec: ResourceRecord, resource: Resource): void {
    if (rec.suppressions.length > 0) resource.suppressions = rec.suppressions;
    this.byAddress.set(rec.address, resource);
    const f = this.fragment;
    switch (resource.kind) {
      case "trail":
        f.trails.push(resource);
        break;
      case "bucket":
        f.buckets.push(resource);
        break;
      case "key":
        f.keys.push(resource);
        break;
      case "log-group":
        f.logGroups.push(resource);
        break;
      case "metric-filter":
        f.metricFilters.push(resource);
        break;
      case "alarm":
        f.alarms.push(resource);
        break;
      case "topic":
        f.topics.push(resource);
        break;
      case "event-data-store":
        f.eventDataStores.push(resource);
        break;
      case "organization":
        f.organization = resource;
        break;
    }
  }

  /** The first mapped resource of `kind` a reference list points at (`aws_s3_bucket.logs.id` → the bucket). */
  find<K extends ResourceKind>(refs: string[], kind: K): Extract<Resource, { kind: K }> | undefined {
    for (const ref of refs) {
      let address = ref;
      for (;;) {
        const r = this.byAddress.get(address);
        if (r?.kind === kind) return r as Extract<Resource, { kind: K }>;
        const cut = address.lastIndexOf(".");
        if (cut <= 0) break;
        address = address.slice(0, cut);
      }
    }
    return undefined;
  }

  keyFor(refs: string[]): KmsKey | undefined {
    const direct = this.find(refs, "key");
    if (direct) return direct;
    for (const ref of refs) {
      for (const [alias, targets] of this.aliasTargets) {
        if (ref === alias || ref.startsWith(`${alias}.`)) {
          const key = this.find(targets, "key");
          if (key) return key;
        }
      }
    }
    return undefined;
  }

  /**
   * A resource of `kind`: the fields every resource has, then `own`, in one object literal that starts with named
   * properties. Both other ways cost memory per resource in V8: a literal that starts with a spread (`{ ...base,
   * name }`) gives each object a shape of its own (a map, its descriptors and key cache), and `Object.assign` of many
   * properties leaves the object in dictionary mode; this way the resources of a kind share one compact shape.
   */
  make<T extends Resource>(
    kind: T["kind"],
    rec: ResourceRecord,
    fields: Fields,
    own: Omit<T, CommonField>,
  ): T {
    return {
      kind,
      id: rec.id,
      origin: { location: rec.location, address: rec.id },
      fieldLocations: fields.fieldLocations,
      ...(rec.existence ? { existence: rec.existence } : {}),
      ...(rec.trailUse ? { trailUse: rec.trailUse } : {}),
      ...own,
    } as unknown as T;
  }

  /**
   * The bucket a split resource configures: by reference, else by a known name. When it cannot be told, the settings
   * it would make (`configures`) are unknown on every bucket of the module, since any of them may be the one.
   */
  bucketOf(rec: ResourceRecord, fields: Fields, configures: BucketSetting[]): Bucket | undefined {
    const bucket = this.findBucketOf(rec, fields, configures);
    if (bucket) for (const setting of configures) this.claim(bucket, setting, rec);
    return bucket;
  }

  /** Which resource configures each bucket setting: two of them fight on every apply (see `conflicts`). */
  readonly configuredBy = new Map<Bucket, Map<BucketSetting, ResourceRecord>>();
  readonly conflicts: { bucket: Bucket; setting: BucketSetting; reason: Unknown }[] = [];

  claim(bucket: Bucket, setting: BucketSetting, rec: ResourceRecord): void {
    const claims = this.configuredBy.get(bucket) ?? new Map<BucketSetting, ResourceRecord>();
    this.configuredBy.set(bucket, claims);
    const first = claims.get(setting);
    if (first && first.address !== rec.address) {
      const message = `${setting} of bucket ${first.address} is configured both by ${first.address} (${first.location.file}:${first.location.line}) and by ${rec.address} (${rec.location.file}:${rec.location.line}); the provider applies both, so the result is not decided`;
      this.warn(message, rec.location);
      this.conflicts.push({ bucket, setting, reason: unknown(message, rec.location) });
    } else claims.set(setting, rec);
  }

  private findBucketOf(rec: ResourceRecord, fields: Fields, configures: BucketSetting[]): Bucket | undefined {
    const got = rec.src.get("bucket");
    const byRef = this.find(got.refs, "bucket");
    if (byRef) return byRef;
    const name = fields.str(got, "bucket");
    if (typeof name === "string") {
      const byName = this.fragment.buckets.find((b) => b.name === name);
      if (!byName) {
        this.warn(
          `${rec.address}: bucket ${name} is not declared in this module; the settings are not checked with it`,
          got.loc,
        );
      }
      return byName;
    }
    if (name instanceof Unknown && this.fragment.buckets.length > 0) {
      const reason = `${rec.address} configures a bucket that cannot be told (${name.reason})`;
      this.warn(`${reason}; those settings are unknown on every bucket of the module`, got.loc);
      for (const bucket of this.fragment.buckets) {
        for (const setting of configures)
          (bucket as unknown as Record<string, unknown>)[setting] = unknown(reason, got.loc);
      }
    }
    return undefined;
  }
}

/** The settings split bucket resources make. */
type BucketSetting = keyof Pick<
  Bucket,
  | "versioning"
  | "mfaDelete"
  | "publicAccessBlock"
  | "logging"
  | "policy"
  | "encryption"
  | "lifecycleRules"
  | "objectLock"
  | "cannedAcl"
  | "aclGrants"
  | "objectOwnership"
  | "website"
>;

type Mapper = (m: Mapping, rec: ResourceRecord, f: Fields) => Resource | undefined;
type Attacher = (m: Mapping, rec: ResourceRecord, f: Fields) => void;

// ------------------------------------------------------------------ CloudTrail

function mapTrail(m: Mapping, rec: ResourceRecord, f: Fields): Trail {
  const s = rec.src;
  const bucketGot = f.get(s, "s3_bucket_name", "s3BucketName");
  const kmsGot = f.get(s, "kms_key_id", "kmsKeyId");
  const groupGot = f.get(s, "cloud_watch_logs_group_arn", "cloudWatchLogsLogGroupArn");
  const topicGot = f.get(s, "sns_topic_name", "snsTopic");
  const trail = m.make<Trail>("trail", rec, f, {
    name: f.str(f.get(s, "name", "name"), "name", placeholder(`${rec.address}.name`)),
    arn: placeholder(`${rec.address}.arn`),
    accountId: ACCOUNT,
    homeRegion: REGION,
    // Provider defaults: not multi-region, not organization-wide, logging, global service events, no validation.
    isMultiRegionTrail: f.bool(
      f.get(s, "is_multi_region_trail", "isMultiRegionTrail"),
      "is_multi_region_trail",
      false,
    ),
    isOrganizationTrail: f.bool(
      f.get(s, "is_organization_trail", "isOrganizationTrail"),
      "is_organization_trail",
      false,
    ),
    isLogging: f.bool(f.get(s, "enable_logging", "isLogging"), "enable_logging", true),
    includeGlobalServiceEvents: f.bool(
      f.get(s, "include_global_service_events", "includeGlobalServiceEvents"),
      "include_global_service_events",
      true,
    ),
    logFileValidationEnabled: f.bool(
      f.get(s, "enable_log_file_validation", "logFileValidationEnabled"),
      "enable_log_file_validation",
      false,
    ),
    kmsKeyId: f.str(kmsGot, "kms_key_id"),
    s3BucketName: f.str(bucketGot, "s3_bucket_name"),
    s3KeyPrefix: f.str(f.get(s, "s3_key_prefix", "s3KeyPrefix"), "s3_key_prefix"),
    snsTopic: f.str(topicGot, "sns_topic_name"),
    cloudWatchLogsLogGroupArn: f.str(groupGot, "cloud_watch_logs_group_arn"),
    cloudWatchLogsRoleArn: f.str(
      f.get(s, "cloud_watch_logs_role_arn", "cloudWatchLogsRoleArn"),
      "cloud_watch_logs_role_arn",
    ),
    eventSelectors: readEventSelectors(f, s),
    advancedEventSelectors: readAdvancedSelectors(f, s, "advancedEventSelectors"),
    insightTypes: readInsights(f, s),
    links: {},
  });
  m.deferred.push(() => {
    const bucket = m.find(bucketGot.refs, "bucket");
    if (bucket) trail.links.bucket = bucket.id;
    const group = m.find(groupGot.refs, "log-group");
    if (group) trail.links.logGroup = group.id;
    const topic = m.find(topicGot.refs, "topic");
    if (topic) trail.links.topic = topic.id;
    const key = m.keyFor(kmsGot.refs);
    if (key) trail.links.key = key.id;
  });
  return trail;
}

const READ_WRITE = new Set(["All", "ReadOnly", "WriteOnly"]);

function readEventSelectors(f: Fields, s: Src): Maybe<EventSelector[] | null> {
  const blocks = f.blocks(s, "event_selector", "eventSelectors");
  if (blocks instanceof Unknown) return blocks;
  // No event_selector block: AWS's default selector (all management events).
  if (blocks.length === 0) return null;
  return blocks.map((b, i): EventSelector => {
    const path = `eventSelectors[${i}]`;
    f.record(path, b.loc);
    const rw = f.str(f.get(b, "read_write_type", `${path}.readWriteType`), "read_write_type", "All");
    const data = f.blocks(b, "data_resource", `${path}.dataResources`);
    let dataResources: EventSelector["dataResources"];
    if (data instanceof Unknown) dataResources = data;
    else {
      dataResources = data.map((d, j) => {
        const type = f.str(f.get(d, "type", `${path}.dataResources[${j}].type`), "type");
        const values = f.strList(f.get(d, "values", `${path}.dataResources[${j}].values`), "values");
        return {
          type: type === null ? unknown("data_resource type is required and missing", d.loc) : type,
          values: values ?? [],
        };
      });
    }
    const excluded = f.strList(
      f.get(b, "exclude_management_event_sources", `${path}.excludeManagementEventSources`),
      "exclude_management_event_sources",
    );
    return {
      readWriteType:
        typeof rw === "string" && !READ_WRITE.has(rw)
          ? unknown(`read_write_type ${JSON.stringify(rw)} is not All, ReadOnly or WriteOnly`, b.loc)
          : (rw as Maybe<ReadWriteType>),
      includeManagementEvents: f.bool(
        f.get(b, "include_management_events", `${path}.includeManagementEvents`),
        "include_management_events",
        true,
      ),
      excludeManagementEventSources: excluded ?? [],
      dataResources,
    };
  });
}

function readAdvancedSelectors(f: Fields, s: Src, field: string): Maybe<AdvancedEventSelector[] | null> {
  const blocks = f.blocks(s, "advanced_event_selector", field);
  if (blocks instanceof Unknown) return blocks;
  if (blocks.length === 0) return null;
  return blocks.map((b, i): AdvancedEventSelector => {
    const path = `${field}[${i}]`;
    f.record(path, b.loc);
    const fsBlocks = f.blocks(b, "field_selector", `${path}.fieldSelectors`);
    let fieldSelectors: Maybe<AdvancedFieldSelector[]>;
    if (fsBlocks instanceof Unknown) fieldSelectors = fsBlocks;
    else {
      const out: AdvancedFieldSelector[] = [];
      let bad: Unknown | undefined;
      for (const [j, fsb] of fsBlocks.entries()) {
        const name = f.str(f.get(fsb, "field", `${path}.fieldSelectors[${j}].field`), "field");
        if (name instanceof Unknown || name === null) {
          bad ??= name ?? unknown("field_selector field is required and missing", fsb.loc);
          continue;
        }
        const sel = emptyFieldSelector(name);
        for (const { terraform, model } of FIELD_SELECTOR_OPERATORS) {
          const values = f.strList(f.get(fsb, terraform, `${path}.fieldSelectors[${j}].${model}`), terraform);
          if (values instanceof Unknown) bad ??= values;
          else sel[model] = values;
        }
        out.push(sel);
      }
      fieldSelectors = bad ?? out;
    }
    return { name: f.str(f.get(b, "name", `${path}.name`), "name"), fieldSelectors };
  });
}

function readInsights(f: Fields, s: Src): Maybe<string[]> {
  const blocks = f.blocks(s, "insight_selector", "insightTypes");
  if (blocks instanceof Unknown) return blocks;
  const out: string[] = [];
  for (const [i, b] of blocks.entries()) {
    const t = f.str(f.get(b, "insight_type", `insightTypes[${i}]`), "insight_type");
    if (t instanceof Unknown) return t;
    if (t !== null) out.push(t);
  }
  return out;
}

function mapEventDataStore(m: Mapping, rec: ResourceRecord, f: Fields): EventDataStore {
  const s = rec.src;
  const suspend = f.bool(f.get(s, "suspend", "status"), "suspend", false);
  const retention = f.num(f.get(s, "retention_period", "retentionPeriodDays"), "retention_period");
  return m.make<EventDataStore>("event-data-store", rec, f, {
    name: f.str(f.get(s, "name", "name"), "name", placeholder(`${rec.address}.name`)),
    arn: placeholder(`${rec.address}.arn`),
    status: typeof suspend === "boolean" ? (suspend ? "STOPPED_INGESTION" : "ENABLED") : suspend,
    // Provider defaults: multi-Region, not organization-wide, 2555 days, termination protection on.
    multiRegionEnabled: f.bool(
      f.get(s, "multi_region_enabled", "multiRegionEnabled"),
      "multi_region_enabled",
      true,
    ),
    organizationEnabled: f.bool(
      f.get(s, "organization_enabled", "organizationEnabled"),
      "organization_enabled",
      false,
    ),
    retentionPeriodDays: retention === null ? 2555 : retention,
    terminationProtectionEnabled: f.bool(
      f.get(s, "termination_protection_enabled", "terminationProtectionEnabled"),
      "termination_protection_enabled",
      true,
    ),
    kmsKeyId: f.str(f.get(s, "kms_key_id", "kmsKeyId"), "kms_key_id"),
    advancedEventSelectors: readAdvancedSelectors(f, s, "advancedEventSelectors"),
  });
}

// ------------------------------------------------------------------ S3

function mapBucket(m: Mapping, rec: ResourceRecord, f: Fields): Bucket {
  const s = rec.src;
  const nameGot = f.get(s, "bucket", "name");
  const name = f.str(nameGot, "bucket", placeholder(`${rec.address}.bucket`));
  const versioning = readInlineVersioning(f, s);
  const loggingBlocks = f.blocks(s, "logging", "logging");
  const bucket = m.make<Bucket>("bucket", rec, f, {
    name,
    arn: placeholder(`${rec.address}.arn`),
    accountId: ACCOUNT,
    region: REGION,
    publicAccessBlock: NEW_BUCKET.publicAccessBlock(),
    // Infrastructure code is judged on what it declares: no account-level setting, no AWS verdict yet.
    accountPublicAccessBlock: null,
    policy: null,
    policyIsPublic: null,
    cannedAcl: f.str(f.get(s, "acl", "cannedAcl"), "acl"),
    aclGrants: readGrants(f, s),
    versioning: versioning.status,
    mfaDelete: versioning.mfaDelete,
    objectLock: readInlineObjectLock(f, s),
    logging: null,
    lifecycleRules: readLifecycle(f, s, "lifecycle_rule", true),
    encryption: NEW_BUCKET.encryption(),
    website: false,
    objectOwnership: NEW_BUCKET.objectOwnership,
    links: {},
  });
  if (loggingBlocks instanceof Unknown) bucket.logging = loggingBlocks;
  else if (loggingBlocks[0]) {
    const target = f.get(loggingBlocks[0], "target_bucket", "logging.targetBucket");
    bucket.logging = {
      targetBucket: f.str(target, "target_bucket"),
      targetPrefix: f.str(f.get(loggingBlocks[0], "target_prefix", "logging.targetPrefix"), "target_prefix"),
    };
    m.deferred.push(() => {
      const t = m.find(target.refs, "bucket");
      if (t) bucket.links.loggingTarget = t.id;
    });
  }
  const sse = f.blocks(s, "server_side_encryption_configuration", "encryption");
  if (sse instanceof Unknown) bucket.encryption = sse;
  else if (sse[0]) bucket.encryption = readEncryption(f, sse[0]);
  const website = f.blocks(s, "website", "website");
  bucket.website = website instanceof Unknown ? website : website.length > 0;
  const policyGot = f.get(s, "policy", "policy");
  if (policyGot.value !== undefined)
    bucket.policy = readPolicy(
      policyGot.value,
      policyGot.loc,
      m.options.policyLocations?.get(policyKey(policyGot.value)),
    );
  // Settings written inline: a split resource configuring them too is a conflict, not "the last one wins".
  for (const [argument, settings] of INLINE_SETTINGS) {
    if (rec.src.has(argument)) for (const setting of settings) m.claim(bucket, setting, rec);
  }
  return bucket;
}

const INLINE_SETTINGS: [string, BucketSetting[]][] = [
  ["lifecycle_rule", ["lifecycleRules"]],
  ["logging", ["logging"]],
  ["server_side_encryption_configuration", ["encryption"]],
  ["versioning", ["versioning"]],
  ["policy", ["policy"]],
  ["object_lock_configuration", ["objectLock"]],
  ["grant", ["aclGrants"]],
];

/**
 * A versioning configuration that leaves `mfa_delete` out does not manage it: S3 keeps whatever the root user set
 * with its MFA device, so the configuration does not tell.
 */
function mfaDeleteNotSet(at: SourceLocation | undefined): Unknown {
  return unknown(
    "mfa_delete is not set by this configuration (MFA delete is changed only by the root user with its MFA device)",
    at,
  );
}

function readInlineVersioning(
  f: Fields,
  s: Src,
): { status: Bucket["versioning"]; mfaDelete: Bucket["mfaDelete"] } {
  const blocks = f.blocks(s, "versioning", "versioning");
  f.record("mfaDelete", s.loc);
  if (blocks instanceof Unknown) return { status: blocks, mfaDelete: blocks };
  const b = blocks[0];
  // A new bucket is unversioned and has MFA delete off.
  if (!b) return { status: null, mfaDelete: false };
  const enabled = f.bool(f.get(b, "enabled", "versioning"), "enabled", false);
  const mfa = f.bool(f.get(b, "mfa_delete", "mfaDelete"), "mfa_delete", mfaDeleteNotSet(b.loc));
  return { status: enabled instanceof Unknown ? enabled : enabled ? "Enabled" : null, mfaDelete: mfa };
}

function readInlineObjectLock(f: Fields, s: Src): Maybe<ObjectLock | null> {
  const flagGot = f.get(s, "object_lock_enabled", "objectLock.enabled");
  const blocks = f.blocks(s, "object_lock_configuration", "objectLock");
  if (blocks instanceof Unknown) return blocks;
  const config = blocks[0];
  if (flagGot.value === undefined && !config) return null;
  let enabled = f.bool(flagGot, "object_lock_enabled", false);
  if (config) {
    const state = f.str(f.get(config, "object_lock_enabled", null), "object_lock_enabled");
    if (state === "Enabled" && enabled === false) enabled = true;
    const retention = readRetention(f, config);
    return { enabled, ...retention };
  }
  return { enabled, mode: null, retentionDays: null };
}

function readRetention(f: Fields, config: Src): Pick<ObjectLock, "mode" | "retentionDays"> {
  const rules = f.blocks(config, "rule", null);
  if (rules instanceof Unknown) return { mode: rules, retentionDays: rules };
  const rule = rules[0];
  if (!rule) return { mode: null, retentionDays: null };
  const defaults = f.blocks(rule, "default_retention", null);
  if (defaults instanceof Unknown) return { mode: defaults, retentionDays: defaults };
  const d = defaults[0];
  if (!d) return { mode: null, retentionDays: null };
  const days = f.num(f.get(d, "days", "objectLock.retentionDays"), "days");
  const yearsGot = d.get("years");
  let retentionDays: Maybe<number | null> = days;
  if (days === null && yearsGot.value !== undefined) {
    const years = f.num(yearsGot, "years");
    retentionDays = typeof years === "number" ? years * 365 : years;
    f.record("objectLock.retentionDays", yearsGot.loc);
  }
  return { mode: f.str(f.get(d, "mode", "objectLock.mode"), "mode"), retentionDays };
}

function readLifecycle(f: Fields, s: Src, type: string, legacy: boolean): Maybe<LifecycleRule[]> {
  const blocks = f.blocks(s, type, "lifecycleRules");
  if (blocks instanceof Unknown) return blocks;
  return blocks.map((b, i): LifecycleRule => {
    const path = `lifecycleRules[${i}]`;
    f.record(path, b.loc);
    const idGot = b.get("id");
    let enabled: Maybe<boolean>;
    if (legacy)
      enabled = f.bool(
        f.get(b, "enabled", `${path}.enabled`),
        "enabled",
        unknown("lifecycle_rule enabled is required and missing", b.loc),
      );
    else {
      const status = f.str(f.get(b, "status", `${path}.enabled`), "status");
      enabled =
        status instanceof Unknown
          ? status
          : status === null
            ? unknown("rule status is required and missing", b.loc)
            : status === "Enabled";
    }
    let prefix = f.str(f.get(b, "prefix", `${path}.prefix`), "prefix");
    if (prefix === null) {
      const filters = b.blocks("filter");
      const filter = filters instanceof Unknown ? undefined : filters[0];
      if (filter) {
        const p = filter.get("prefix");
        if (p.value !== undefined) {
          prefix = f.str(p, "filter.prefix");
          f.record(`${path}.prefix`, p.loc);
        } else {
          const and = filter.blocks("and");
          const a = and instanceof Unknown ? undefined : and[0];
          if (a) {
            prefix = f.str(a.get("prefix"), "filter.and.prefix");
            f.record(`${path}.prefix`, a.loc);
          }
        }
      }
    }
    const exp = b.blocks("expiration");
    const expiration = exp instanceof Unknown ? exp : exp[0];
    const nve = b.blocks(legacy ? "noncurrent_version_expiration" : "noncurrent_version_expiration");
    const noncurrent = nve instanceof Unknown ? nve : nve[0];
    const daysOf = (blk: Src | Unknown | undefined, attr: string, field: string): Maybe<number | null> => {
      if (blk instanceof Unknown) return blk;
      if (!blk) return null;
      return f.num(f.get(blk, attr, field), attr);
    };
    return {
      id: typeof idGot.value === "string" ? idGot.value : null,
      enabled,
      prefix,
      // An expiry on a date cannot be turned into a retention period.
      expirationDays:
        expiration && !(expiration instanceof Unknown) && f.get(expiration, "date", null).value !== undefined
          ? unknown("objects expire on a date (expiration { date }), not after a number of days")
          : daysOf(expiration, "days", `${path}.expirationDays`),
      noncurrentVersionExpirationDays: daysOf(
        noncurrent,
        legacy ? "days" : "noncurrent_days",
        `${path}.noncurrentVersionExpirationDays`,
      ),
    };
  });
}

function readEncryption(f: Fields, config: Src): Maybe<BucketEncryption | null> {
  const rules = f.blocks(config, "rule", null);
  if (rules instanceof Unknown) return rules;
  const rule = rules[0];
  if (!rule) return null;
  const defaults = f.blocks(rule, "apply_server_side_encryption_by_default", null);
  if (defaults instanceof Unknown) return defaults;
  const d = defaults[0];
  if (!d) return null;
  const algorithm = f.str(f.get(d, "sse_algorithm", "encryption.algorithm"), "sse_algorithm");
  return {
    algorithm: algorithm === null ? unknown("sse_algorithm is required and missing", d.loc) : algorithm,
    kmsKeyId: f.str(f.get(d, "kms_master_key_id", "encryption.kmsKeyId"), "kms_master_key_id"),
  };
}

const GROUP_URIS: Record<string, string> = {
  "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
  "http://acs.amazonaws.com/groups/s3/LogDelivery": "LogDelivery",
};

function grantee(f: Fields, g: Src): Maybe<string> {
  const type = f.str(g.get("type"), "type");
  if (type instanceof Unknown) return type;
  if (type === "Group") {
    const uri = f.str(g.get("uri"), "uri");
    if (typeof uri !== "string") return uri ?? unknown("a Group grantee without uri", g.loc);
    return GROUP_URIS[uri] ?? `Group:${uri}`;
  }
  if (type === "CanonicalUser") {
    const id = f.str(g.get("id"), "id");
    return typeof id === "string"
      ? `CanonicalUser:${id}`
      : (id ?? unknown("a CanonicalUser grantee without id", g.loc));
  }
  if (type === "AmazonCustomerByEmail") {
    const email = f.str(g.get("email_address"), "email_address");
    return typeof email === "string"
      ? `Email:${email}`
      : (email ?? unknown("an email grantee without address", g.loc));
  }
  return unknown(`grantee type ${JSON.stringify(type)} is not known`, g.loc);
}

/** Legacy `grant {}` blocks of `aws_s3_bucket`. */
function readGrants(f: Fields, s: Src): Maybe<AclGrant[]> {
  const blocks = f.blocks(s, "grant", "aclGrants");
  if (blocks instanceof Unknown) return blocks;
  const out: AclGrant[] = [];
  for (const b of blocks) {
    const who = grantee(f, b);
    if (who instanceof Unknown) return who;
    const permissions = f.strList(b.get("permissions"), "permissions");
    if (permissions instanceof Unknown) return permissions;
    for (const permission of permissions ?? []) out.push({ grantee: who, permission });
  }
  return out;
}

function applyTo(bucket: Bucket, f: Fields, fields: string[]): void {
  for (const [field, at] of Object.entries(f.fieldLocations)) {
    if (fields.some((p) => field === p || field.startsWith(`${p}.`) || field.startsWith(`${p}[`)))
      bucket.fieldLocations[field] = at;
  }
}

function clearLocations(bucket: Bucket, prefix: string): void {
  for (const field of Object.keys(bucket.fieldLocations)) {
    if (field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`))
      delete bucket.fieldLocations[field];
  }
}

const attachVersioning: Attacher = (m, rec, f) => {
  const bucket = m.bucketOf(rec, f, ["versioning", "mfaDelete"]);
  if (!bucket) return;
  const configs = f.blocks(rec.src, "versioning_configuration", "versioning");
  f.record("mfaDelete", rec.location);
  if (configs instanceof Unknown) {
    bucket.versioning = configs;
    bucket.mfaDelete = configs;
  } else {
    const c = configs[0];
    const status = c
      ? f.str(f.get(c, "status", "versioning"), "status")
      : unknown("versioning_configuration is required and missing", rec.location);
    if (status instanceof Unknown) bucket.versioning = status;
    else if (status === "Enabled" || status === "Suspended") bucket.versioning = status;
    // "Disabled" is only valid for a bucket that was never versioned.
    else if (status === "Disabled") bucket.versioning = null;
    else
      bucket.versioning = unknown(
        `versioning status ${JSON.stringify(status)} is not Enabled, Suspended or Disabled`,
        rec.location,
      );
    const mfa = c ? f.str(f.get(c, "mfa_delete", "mfaDelete"), "mfa_delete") : null;
    bucket.mfaDelete =
      mfa === null ? mfaDeleteNotSet(rec.location) : mfa instanceof Unknown ? mfa : mfa === "Enabled";
  }
  applyTo(bucket, f, ["versioning", "mfaDelete"]);
};

const attachPublicAccessBlock: Attacher = (m, rec, f) => {
  const bucket = m.bucketOf(rec, f, ["publicAccessBlock"]);
  if (!bucket) return;
  // The resource's own defaults are false: only what it sets is blocked.
  const flag = (attr: string, field: keyof PublicAccessBlock) =>
    f.bool(f.get(rec.src, attr, `publicAccessBlock.${field}`), attr, false);
  bucket.publicAccessBlock = {
    blockPublicAcls: flag("block_public_acls", "blockPublicAcls"),
    ignorePublicAcls: flag("ignore_public_acls", "ignorePublicAcls"),
    blockPublicPolicy: flag("block_public_policy", "blockPublicPolicy"),
    restrictPublicBuckets: flag("restrict_public_buckets", "restrictPublicBuckets"),
  };
  f.record("publicAccessBlock", rec.location);
  applyTo(bucket, f, ["publicAccessBlock"]);
};

const attachLogging: Attacher = (m, rec, f) => {
  const bucket = m.bucketOf(rec, f, ["logging"]);
  if (!bucket) return;
  const target = f.get(rec.src, "target_bucket", "logging.targetBucket");
  bucket.logging = {
    targetBucket: f.str(target, "target_bucket"),
    targetPrefix: f.str(f.get(rec.src, "target_prefix", "logging.targetPrefix"), "target_prefix"),
  };
  f.record("logging", rec.location);
  clearLocations(bucket, "logging");
  applyTo(bucket, f, ["logging"]);
  const t = m.find(target.refs, "bucket");
  if (t) bucket.links.loggingTarget = t.id;
};

const attachPolicy: Attacher = (m, rec, f) => {
  const bucket = m.bucketOf(rec, f, ["policy"]);
  if (!bucket) return;
  const got = f.get(rec.src, "policy", "policy");
  bucket.policy = readPolicy(got.value, got.loc, m.options.policyLocations?.get(policyKey(got.value)));
  applyTo(bucket, f, ["policy"]);
};

const attachEncryption: Attacher = (m, rec, f) => {
  const bucket = m.bucketOf(rec, f, ["encryption"]);
  if (!bucket) return;
  f.record("encryption", rec.location);
  bucket.encryption = readEncryption(f, rec.src);
  clearLocations(bucket, "encryption");
  applyTo(bucket, f, ["encryption"]);
};

const attachLifecycle: Attacher = (m, rec, f) => {
  const bucket = m.bucketOf(rec, f, ["lifecycleRules"]);
  if (!bucket) return;
  clearLocations(bucket, "lifecycleRules");
  bucket.lifecycleRules = readLifecycle(f, rec.src, "rule", false);
  applyTo(bucket, f, ["lifecycleRules"]);
};

const attachObjectLock: Attacher = (m, rec, f) => {
  const bucket = m.bucketOf(rec, f, ["objectLock"]);
  if (!bucket) return;
  f.record("objectLock", rec.location);
  const state = f.str(
    f.get(rec.src, "object_lock_enabled", "objectLock.enabled"),
    "object_lock_enabled",
    "Enabled",
  );
  bucket.objectLock = {
    enabled: state instanceof Unknown ? state : state === "Enabled",
    ...readRetention(f, rec.src),
  };
  clearLocations(bucket, "objectLock");
  applyTo(bucket, f, ["objectLock"]);
};

const attachAcl: Attacher = (m, rec, f) => {
  const bucket = m.bucketOf(rec, f, ["cannedAcl", "aclGrants"]);
  if (!bucket) return;
  bucket.cannedAcl = f.str(f.get(rec.src, "acl", "cannedAcl"), "acl");
  const policies = f.blocks(rec.src, "access_control_policy", "aclGrants");
  if (policies instanceof Unknown) bucket.aclGrants = policies;
  else if (policies[0]) {
    const grants = f.blocks(policies[0], "grant", null);
    const out: AclGrant[] = [];
    let bad: Unknown | undefined;
    for (const g of grants instanceof Unknown ? [] : grants) {
      const who = g.blocks("grantee");
      const first = who instanceof Unknown ? undefined : who[0];
      const name = first ? grantee(f, first) : unknown("a grant without grantee", g.loc);
      const permission = f.str(g.get("permission"), "permission");
      if (name instanceof Unknown) bad ??= name;
      else if (typeof permission === "string") out.push({ grantee: name, permission });
      else bad ??= permission ?? unknown("a grant without permission", g.loc);
    }
    bucket.aclGrants = grants instanceof Unknown ? grants : (bad ?? out);
  }
  applyTo(bucket, f, ["cannedAcl", "aclGrants"]);
};

const attachOwnership: Attacher = (m, rec, f) => {
  const bucket = m.bucketOf(rec, f, ["objectOwnership"]);
  if (!bucket) return;
  const rules = f.blocks(rec.src, "rule", "objectOwnership");
  if (rules instanceof Unknown) bucket.objectOwnership = rules;
  else {
    const r = rules[0];
    bucket.objectOwnership = r
      ? f.str(f.get(r, "object_ownership", "objectOwnership"), "object_ownership")
      : null;
  }
  applyTo(bucket, f, ["objectOwnership"]);
};

const attachWebsite: Attacher = (m, rec, f) => {
  const bucket = m.bucketOf(rec, f, ["website"]);
  if (!bucket) return;
  bucket.website = true;
  f.record("website", rec.location);
  applyTo(bucket, f, ["website"]);
};

// ------------------------------------------------------------------ KMS, CloudWatch, SNS, Organizations

function mapKey(m: Mapping, rec: ResourceRecord, f: Fields): KmsKey {
  const s = rec.src;
  const enabled = f.bool(f.get(s, "is_enabled", "keyState"), "is_enabled", true);
  const specGot = s.has("customer_master_key_spec")
    ? f.get(s, "customer_master_key_spec", "keySpec")
    : f.get(s, "key_spec", "keySpec");
  return m.make<KmsKey>("key", rec, f, {
    keyId: placeholder(`${rec.address}.key_id`),
    arn: placeholder(`${rec.address}.arn`),
    aliases: [],
    keyManager: "CUSTOMER",
    keySpec: f.str(specGot, "customer_master_key_spec", "SYMMETRIC_DEFAULT"),
    keyState: typeof enabled === "boolean" ? (enabled ? "Enabled" : "Disabled") : enabled,
    rotationEnabled: f.bool(f.get(s, "enable_key_rotation", "rotationEnabled"), "enable_key_rotation", false),
  });
}

const attachAlias: Attacher = (m, rec, f) => {
  const nameGot = rec.src.get("name");
  const target = rec.src.get("target_key_id");
  m.aliasTargets.set(rec.address, target.refs);
  const key = m.find(target.refs, "key");
  if (!key || !isKnown(key.aliases)) return;
  const name = f.str(nameGot, "name");
  if (typeof name === "string") key.aliases.push(name);
  else key.aliases = unknown(`alias ${rec.address} has a name that is not known before apply`, nameGot.loc);
  key.fieldLocations.aliases ??= rec.location;
};

function mapLogGroup(m: Mapping, rec: ResourceRecord, f: Fields): LogGroup {
  const s = rec.src;
  const retention = f.num(f.get(s, "retention_in_days", "retentionInDays"), "retention_in_days");
  return m.make<LogGroup>("log-group", rec, f, {
    name: f.str(f.get(s, "name", "name"), "name", placeholder(`${rec.address}.name`)),
    arn: placeholder(`${rec.address}.arn`),
    // 0 (the provider default) means never expire.
    retentionInDays: retention === 0 ? null : retention,
    kmsKeyId: f.str(f.get(s, "kms_key_id", "kmsKeyId"), "kms_key_id"),
  });
}

function mapMetricFilter(m: Mapping, rec: ResourceRecord, f: Fields): MetricFilter {
  const s = rec.src;
  const groupGot = f.get(s, "log_group_name", "logGroupName");
  const group = f.str(groupGot, "log_group_name");
  const transformations = f.blocks(s, "metric_transformation", "metricTransformations");
  const filter = m.make<MetricFilter>("metric-filter", rec, f, {
    name: f.str(f.get(s, "name", "name"), "name", placeholder(`${rec.address}.name`)),
    logGroupName: group === null ? unknown("log_group_name is required and missing", groupGot.loc) : group,
    filterPattern: f.str(f.get(s, "pattern", "filterPattern"), "pattern", ""),
    metricTransformations:
      transformations instanceof Unknown
        ? transformations
        : transformations.map((t, i) => {
            const name = f.str(f.get(t, "name", `metricTransformations[${i}].metricName`), "name");
            const ns = f.str(
              f.get(t, "namespace", `metricTransformations[${i}].metricNamespace`),
              "namespace",
            );
            return {
              metricName:
                name === null ? unknown("metric_transformation name is required and missing", t.loc) : name,
              metricNamespace:
                ns === null ? unknown("metric_transformation namespace is required and missing", t.loc) : ns,
            };
          }),
    links: {},
  });
  m.deferred.push(() => {
    const lg = m.find(groupGot.refs, "log-group");
    if (lg) filter.links.logGroup = lg.id;
  });
  return filter;
}

function mapAlarm(m: Mapping, rec: ResourceRecord, f: Fields): Alarm {
  const s = rec.src;
  return m.make<Alarm>("alarm", rec, f, {
    name: f.str(f.get(s, "alarm_name", "name"), "alarm_name", placeholder(`${rec.address}.alarm_name`)),
    metricName: f.str(f.get(s, "metric_name", "metricName"), "metric_name"),
    namespace: f.str(f.get(s, "namespace", "namespace"), "namespace"),
    ...readAlarmSettings(({ terraform, model, type }) =>
      type === "number"
        ? f.num(f.get(s, terraform, model), terraform)
        : f.str(f.get(s, terraform, model), terraform),
    ),
    actionsEnabled: f.bool(f.get(s, "actions_enabled", "actionsEnabled"), "actions_enabled", true),
    alarmActions: f.strList(f.get(s, "alarm_actions", "alarmActions"), "alarm_actions") ?? [],
    statistic: f.str(f.get(s, "statistic", "statistic"), "statistic"),
    period: f.num(f.get(s, "period", "period"), "period"),
    evaluationPeriods: f.num(f.get(s, "evaluation_periods", "evaluationPeriods"), "evaluation_periods"),
    datapointsToAlarm: f.num(f.get(s, "datapoints_to_alarm", "datapointsToAlarm"), "datapoints_to_alarm"),
    threshold: f.num(f.get(s, "threshold", "threshold"), "threshold"),
    comparisonOperator: f.str(f.get(s, "comparison_operator", "comparisonOperator"), "comparison_operator"),
    // The provider's default is `missing`.
    treatMissingData: f.str(f.get(s, "treat_missing_data", "treatMissingData"), "treat_missing_data"),
  });
}

function mapTopic(m: Mapping, rec: ResourceRecord, f: Fields): Topic {
  const s = rec.src;
  f.record("subscriptions", rec.location);
  return m.make<Topic>("topic", rec, f, {
    name: f.str(f.get(s, "name", "name"), "name", placeholder(`${rec.address}.name`)),
    arn: placeholder(`${rec.address}.arn`),
    subscriptions: [],
  });
}

const attachSubscription: Attacher = (m, rec, f) => {
  const topicGot = rec.src.get("topic_arn");
  const topic = m.find(topicGot.refs, "topic");
  if (!topic || !isKnown(topic.subscriptions)) return;
  const protocol = f.str(rec.src.get("protocol"), "protocol");
  const endpoint = f.str(rec.src.get("endpoint"), "endpoint");
  let confirmed: Maybe<boolean>;
  if (typeof protocol !== "string")
    confirmed = unknown("the subscription protocol is not known", rec.location);
  else if (SELF_CONFIRMED.has(protocol.toLowerCase())) confirmed = true;
  else
    confirmed = unknown(
      `${protocol} subscriptions are confirmed by their receiver after apply`,
      rec.location,
    );
  const subscription: Subscription = {
    protocol: protocol === null ? unknown("protocol is required and missing", rec.location) : protocol,
    endpoint: endpoint === null ? unknown("endpoint is required and missing", rec.location) : endpoint,
    confirmed,
  };
  topic.subscriptions.push(subscription);
};

function mapOrganization(m: Mapping, rec: ResourceRecord, f: Fields): Organization {
  const s = rec.src;
  return m.make<Organization>("organization", rec, f, {
    organizationId: placeholder(`${rec.address}.id`),
    managementAccountId: placeholder(`${rec.address}.master_account_id`),
    featureSet: f.str(f.get(s, "feature_set", "featureSet"), "feature_set", "ALL"),
    memberAccountIds: unknown(
      `the member accounts of ${rec.address} are known only after apply`,
      rec.location,
    ),
  });
}

/**
 * Mapped types: the mapper, and the provider's arguments of the type that no rule needs. What the mapper reads and
 * those are the arguments the type accepts: any other argument written is a warning (a typo leaves the setting at
 * its default).
 */
const MAPPERS: Record<string, { map: Mapper; alsoAccepts: string[] }> = {
  aws_cloudtrail: { map: mapTrail, alsoAccepts: [] },
  aws_cloudtrail_event_data_store: { map: mapEventDataStore, alsoAccepts: ["billing_mode"] },
  aws_s3_bucket: {
    map: mapBucket,
    alsoAccepts: [
      "bucket_prefix",
      "force_destroy",
      "acceleration_status",
      "cors_rule",
      "replication_configuration",
      "request_payer",
    ],
  },
  aws_kms_key: {
    map: mapKey,
    alsoAccepts: [
      "description",
      "policy",
      "key_usage",
      "custom_key_store_id",
      "customer_master_key_spec",
      "bypass_policy_lockout_safety_check",
      "deletion_window_in_days",
      "is_enabled",
      "rotation_period_in_days",
      "multi_region",
      "xks_key_id",
    ],
  },
  aws_cloudwatch_log_group: {
    map: mapLogGroup,
    alsoAccepts: ["name_prefix", "skip_destroy", "log_group_class"],
  },
  aws_cloudwatch_log_metric_filter: { map: mapMetricFilter, alsoAccepts: ["apply_on_transformed_logs"] },
  aws_cloudwatch_metric_alarm: {
    map: mapAlarm,
    alsoAccepts: [
      "alarm_description",
      "dimensions",
      "insufficient_data_actions",
      "ok_actions",
      "unit",
      "extended_statistic",
      "evaluate_low_sample_count_percentiles",
      "metric_query",
      "threshold_metric_id",
    ],
  },
  aws_sns_topic: {
    map: mapTopic,
    alsoAccepts: [
      "name_prefix",
      "display_name",
      "policy",
      "delivery_policy",
      "kms_master_key_id",
      "signature_version",
      "tracing_config",
      "fifo_topic",
      "fifo_throughput_scope",
      "archive_policy",
      "content_based_deduplication",
      ...["application", "http", "lambda", "sqs", "firehose"].flatMap((p) => [
        `${p}_success_feedback_role_arn`,
        `${p}_success_feedback_sample_rate`,
        `${p}_failure_feedback_role_arn`,
      ]),
    ],
  },
  aws_organizations_organization: { map: mapOrganization, alsoAccepts: [] },
};

/** Arguments every resource type accepts: Terraform's meta-arguments and the provider's common ones. */
const COMMON_ARGUMENTS = new Set([
  "count",
  "for_each",
  "provider",
  "depends_on",
  "lifecycle",
  "provisioner",
  "connection",
  "tags",
  "tags_all",
  "timeouts",
  "region",
]);

/** The arguments written on a read resource that its type does not accept, each with a message naming a likely intent. */
function unreadArguments(rec: ResourceRecord, read: ReadNames): { message: string; at: SourceLocation }[] {
  const written = rec.src.written?.();
  const accepted = MAPPERS[rec.type]?.alsoAccepts ?? ATTACHERS[rec.type]?.accepts;
  if (!written || !accepted) return [];
  let known: string[] | undefined;
  const unread: { message: string; at: SourceLocation }[] = [];
  for (const [i, name] of written.entries()) {
    if (COMMON_ARGUMENTS.has(name) || read.names.has(name) || accepted.includes(name)) continue;
    known ??= [...read.names, ...accepted];
    const meant = closest(name, known);
    unread.push({
      message: `${rec.address}: ${name} is not an argument of ${rec.type}${meant ? ` (did you mean ${meant}?)` : ""}; it is ignored, as if not written`,
      at: rec.src.writtenAt?.(i) ?? rec.src.loc,
    });
  }
  return unread;
}

/** The known name nearest to a misspelt one (at most a few edits away), if any. */
function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 4)) + 1;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions counted as one edit. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (rows[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] as number[];
    const prev = rows[i - 1] as number[];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((rows[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (rows[a.length] as number[])[b.length] as number;
}

/**
 * Types that configure a mapped resource: the attacher, and the provider's arguments and blocks of the type (all of
 * them, whatever the attacher reads: it stops early when the bucket is not found). Any other argument written is a
 * warning, as for mapped types; a type without `accepts` is not checked.
 */
const ATTACHERS: Record<string, { attach: Attacher; accepts?: string[] }> = {
  aws_s3_bucket_versioning: {
    attach: attachVersioning,
    accepts: ["bucket", "versioning_configuration", "expected_bucket_owner", "mfa"],
  },
  aws_s3_bucket_public_access_block: {
    attach: attachPublicAccessBlock,
    accepts: [
      "bucket",
      "block_public_acls",
      "block_public_policy",
      "ignore_public_acls",
      "restrict_public_buckets",
      "skip_destroy",
    ],
  },
  aws_s3_bucket_logging: {
    attach: attachLogging,
    accepts: [
      "bucket",
      "expected_bucket_owner",
      "target_bucket",
      "target_prefix",
      "target_grant",
      "target_object_key_format",
    ],
  },
  aws_s3_bucket_policy: { attach: attachPolicy, accepts: ["bucket", "policy"] },
  aws_s3_bucket_server_side_encryption_configuration: {
    attach: attachEncryption,
    accepts: ["bucket", "expected_bucket_owner", "rule"],
  },
  aws_s3_bucket_lifecycle_configuration: {
    attach: attachLifecycle,
    accepts: ["bucket", "expected_bucket_owner", "rule", "transition_default_minimum_object_size"],
  },
  aws_s3_bucket_object_lock_configuration: {
    attach: attachObjectLock,
    accepts: ["bucket", "expected_bucket_owner", "object_lock_enabled", "rule", "token"],
  },
  aws_s3_bucket_acl: {
    attach: attachAcl,
    accepts: ["bucket", "acl", "access_control_policy", "expected_bucket_owner"],
  },
  aws_s3_bucket_ownership_controls: { attach: attachOwnership, accepts: ["bucket", "rule"] },
  aws_s3_bucket_website_configuration: {
    attach: attachWebsite,
    accepts: [
      "bucket",
      "expected_bucket_owner",
      "index_document",
      "error_document",
      "redirect_all_requests_to",
      "routing_rule",
      "routing_rules",
    ],
  },
  aws_kms_alias: { attach: attachAlias },
  aws_sns_topic_subscription: { attach: attachSubscription },
};

/** Resource types this source reads (mapped or attached). */
export const READ_TYPES = new Set([...Object.keys(MAPPERS), ...Object.keys(ATTACHERS)]);

export type { Got, InputError, Val };
