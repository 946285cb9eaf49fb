import type {
  Bucket,
  BucketEncryption,
  BucketLogging,
  LifecycleRule,
  ObjectLock,
  PublicAccessBlock,
} from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import { NEW_BUCKET } from "../s3-defaults.js";
import { type FileMapping, placeholder, type ResourceInput } from "./context.js";
import { type FieldReader, type Got, refsOf } from "./fields.js";

export function mapBucket(m: FileMapping, input: ResourceInput): Bucket {
  const { decl, props, reader: r } = input;
  const id = decl.logicalId;
  const name = r.str(r.get(props, "BucketName", "name"), "BucketName", placeholder(id));
  const loggingGot = r.get(props, "LoggingConfiguration", "logging");
  const bucket = input.make<Bucket>("bucket", {
    name,
    arn: placeholder(`${id}.Arn`),
    accountId: placeholder("AWS::AccountId"),
    region: placeholder("AWS::Region"),
    publicAccessBlock: readPublicAccessBlock(r, props),
    // Infrastructure code is judged on what it declares: no account-level setting, no AWS verdict yet.
    accountPublicAccessBlock: null,
    policy: null,
    policyIsPublic: null,
    cannedAcl: readCannedAcl(r, props),
    aclGrants: [],
    versioning: readVersioning(r, props),
    mfaDelete: unknown("MFA delete cannot be set or seen in CloudFormation", r.loc(decl.pos)),
    objectLock: readObjectLock(r, props),
    logging: readLogging(r, loggingGot, name),
    lifecycleRules: readLifecycle(r, props),
    encryption: readEncryption(r, props),
    website: readWebsite(r, props),
    objectOwnership: readOwnership(r, props),
    links: {},
  });
  m.deferred.push(() => {
    const logging = r.mapping(loggingGot, "LoggingConfiguration");
    if (!logging || logging instanceof Unknown) return;
    const dest = r.get(logging, "DestinationBucketName", null);
    // Without a destination, S3 writes the access logs into the bucket itself.
    const target = dest.node ? m.find(refsOf(dest.node), "bucket") : bucket;
    if (target) bucket.links.loggingTarget = target.id;
  });
  return bucket;
}

function readPublicAccessBlock(r: FieldReader, props: Got): Maybe<PublicAccessBlock | null> {
  const got = r.mapping(
    r.get(props, "PublicAccessBlockConfiguration", "publicAccessBlock"),
    "PublicAccessBlockConfiguration",
  );
  if (got instanceof Unknown) return got;
  if (got === null) return NEW_BUCKET.publicAccessBlock();
  const flag = (key: string, field: keyof PublicAccessBlock) =>
    r.bool(r.get(got, key, `publicAccessBlock.${field}`), key, false);
  return {
    blockPublicAcls: flag("BlockPublicAcls", "blockPublicAcls"),
    ignorePublicAcls: flag("IgnorePublicAcls", "ignorePublicAcls"),
    blockPublicPolicy: flag("BlockPublicPolicy", "blockPublicPolicy"),
    restrictPublicBuckets: flag("RestrictPublicBuckets", "restrictPublicBuckets"),
  };
}

/** CloudFormation's `AccessControl` (`PublicRead`) → the S3 API's canned ACL (`public-read`). */
function readCannedAcl(r: FieldReader, props: Got): Maybe<string | null> {
  const acl = r.str(r.get(props, "AccessControl", "cannedAcl"), "AccessControl");
  if (typeof acl !== "string") return acl;
  return acl.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}

function readVersioning(r: FieldReader, props: Got): Maybe<"Enabled" | "Suspended" | null> {
  const got = r.mapping(r.get(props, "VersioningConfiguration", "versioning"), "VersioningConfiguration");
  if (got === null || got instanceof Unknown) return got;
  const status = r.str(r.get(got, "Status", "versioning"), "VersioningConfiguration.Status");
  if (status instanceof Unknown || status === null) return status;
  if (status === "Enabled" || status === "Suspended") return status;
  return unknown(`VersioningConfiguration.Status ${JSON.stringify(status)} is not Enabled or Suspended`);
}

function readObjectLock(r: FieldReader, props: Got): Maybe<ObjectLock | null> {
  const flagGot = r.get(props, "ObjectLockEnabled", "objectLock.enabled");
  const configGot = r.get(props, "ObjectLockConfiguration", "objectLock");
  if (!flagGot.node && !configGot.node) return null;
  let enabled = r.bool(flagGot, "ObjectLockEnabled", false);
  const config = r.mapping(configGot, "ObjectLockConfiguration");
  if (config instanceof Unknown) return config;
  let mode: Maybe<string | null> = null;
  let retentionDays: Maybe<number | null> = null;
  if (config) {
    const state = r.str(
      r.get(config, "ObjectLockEnabled", null),
      "ObjectLockConfiguration.ObjectLockEnabled",
    );
    if (enabled === false && state === "Enabled") enabled = true;
    const retention = r.get(r.get(config, "Rule", null), "DefaultRetention", null);
    mode = r.str(r.get(retention, "Mode", "objectLock.mode"), "DefaultRetention.Mode");
    const days = r.num(r.get(retention, "Days", "objectLock.retentionDays"), "DefaultRetention.Days");
    const yearsGot = r.get(retention, "Years", null);
    const years = r.num(yearsGot, "DefaultRetention.Years");
    if (days !== null) retentionDays = days;
    else if (years instanceof Unknown) retentionDays = years;
    else if (years !== null) {
      retentionDays = years * 365;
      r.record("objectLock.retentionDays", yearsGot.pos);
    }
  }
  return { enabled, mode, retentionDays };
}

function readLogging(r: FieldReader, got: Got, ownName: Maybe<string>): Maybe<BucketLogging | null> {
  const logging = r.mapping(got, "LoggingConfiguration");
  if (logging === null || logging instanceof Unknown) return logging;
  const destGot = r.get(logging, "DestinationBucketName", "logging.targetBucket");
  return {
    // Absent destination: the bucket logs to itself.
    targetBucket: destGot.node ? r.str(destGot, "DestinationBucketName") : ownName,
    targetPrefix: r.str(r.get(logging, "LogFilePrefix", "logging.targetPrefix"), "LogFilePrefix"),
  };
}

function readLifecycle(r: FieldReader, props: Got): Maybe<LifecycleRule[]> {
  const config = r.mapping(
    r.get(props, "LifecycleConfiguration", "lifecycleRules"),
    "LifecycleConfiguration",
  );
  if (config === null) return [];
  if (config instanceof Unknown) return config;
  const items = r.list(r.get(config, "Rules", "lifecycleRules"), "LifecycleConfiguration.Rules");
  if (items === null) return [];
  if (items instanceof Unknown) return items;
  return items.map((item, i): LifecycleRule => {
    const rule: Got = { node: item, pos: item.pos };
    const path = `lifecycleRules[${i}]`;
    r.record(path, item.pos);
    const ruleId = r.str(r.get(rule, "Id", null), "Id");
    const status = r.str(r.get(rule, "Status", `${path}.enabled`), "Status");
    let prefix = r.str(r.get(rule, "Prefix", `${path}.prefix`), "Prefix");
    if (prefix === null) {
      const filterPrefix = r.get(r.get(rule, "Filter", null), "Prefix", null);
      if (filterPrefix.node) {
        prefix = r.str(filterPrefix, "Filter.Prefix");
        r.record(`${path}.prefix`, filterPrefix.pos);
      }
    }
    let noncurrent = r.num(
      r.get(
        r.get(rule, "NoncurrentVersionExpiration", null),
        "NoncurrentDays",
        `${path}.noncurrentVersionExpirationDays`,
      ),
      "NoncurrentVersionExpiration.NoncurrentDays",
    );
    if (noncurrent === null) {
      // The older, deprecated spelling of the same setting.
      const legacy = r.get(rule, "NoncurrentVersionExpirationInDays", null);
      if (legacy.node) {
        noncurrent = r.num(legacy, "NoncurrentVersionExpirationInDays");
        r.record(`${path}.noncurrentVersionExpirationDays`, legacy.pos);
      }
    }
    return {
      id: typeof ruleId === "string" ? ruleId : null,
      enabled:
        status === null
          ? unknown("lifecycle rule Status is required and missing", r.loc(item.pos))
          : status instanceof Unknown
            ? status
            : status === "Enabled",
      prefix,
      expirationDays: expirationOf(r, rule, path),
      noncurrentVersionExpirationDays: noncurrent,
    };
  });
}

function readEncryption(r: FieldReader, props: Got): Maybe<BucketEncryption | null> {
  const config = r.mapping(r.get(props, "BucketEncryption", "encryption"), "BucketEncryption");
  if (config instanceof Unknown) return config;
  if (config === null) return NEW_BUCKET.encryption();
  const rules = r.list(
    r.get(config, "ServerSideEncryptionConfiguration", "encryption"),
    "ServerSideEncryptionConfiguration",
  );
  if (rules instanceof Unknown) return rules;
  const first = rules?.[0];
  if (!first) return null;
  const byDefault = r.get({ node: first, pos: first.pos }, "ServerSideEncryptionByDefault", null);
  if (!byDefault.node) return null;
  const algorithm = r.str(r.get(byDefault, "SSEAlgorithm", "encryption.algorithm"), "SSEAlgorithm");
  return {
    algorithm:
      algorithm === null ? unknown("SSEAlgorithm is required and missing", r.loc(byDefault.pos)) : algorithm,
    kmsKeyId: r.str(r.get(byDefault, "KMSMasterKeyID", "encryption.kmsKeyId"), "KMSMasterKeyID"),
  };
}

function readWebsite(r: FieldReader, props: Got): Maybe<boolean> {
  const got = r.mapping(r.get(props, "WebsiteConfiguration", "website"), "WebsiteConfiguration");
  if (got instanceof Unknown) return got;
  return got !== null;
}

function readOwnership(r: FieldReader, props: Got): Maybe<string | null> {
  const config = r.mapping(r.get(props, "OwnershipControls", "objectOwnership"), "OwnershipControls");
  if (config instanceof Unknown) return config;
  if (config === null) return NEW_BUCKET.objectOwnership;
  const rules = r.list(r.get(config, "Rules", "objectOwnership"), "OwnershipControls.Rules");
  if (rules === null || rules instanceof Unknown) return rules;
  const first = rules[0];
  if (!first) return null;
  return r.str(
    r.get({ node: first, pos: first.pos }, "ObjectOwnership", "objectOwnership"),
    "ObjectOwnership",
  );
}

/** Days until objects expire; an expiry on a date cannot be turned into a retention period, so it is Unknown. */
function expirationOf(r: FieldReader, rule: Got, path: string): Maybe<number | null> {
  const date = r.get(rule, "ExpirationDate", null);
  if (date.node)
    return unknown("objects expire on a date (ExpirationDate), not after a number of days", r.loc(date.pos));
  return r.num(r.get(rule, "ExpirationInDays", `${path}.expirationDays`), "ExpirationInDays");
}
