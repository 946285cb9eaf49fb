import type { Grant, LifecycleRule as SdkLifecycleRule } from "@aws-sdk/client-s3";
import type { AclGrant, Bucket, LifecycleRule, PublicAccessBlock } from "../../model/index.js";
import { type Maybe, unknown } from "../../model/index.js";
import { parsePolicyJson } from "../policy.js";
import type { AwsClients } from "./clients.js";
import type { AccountContext } from "./context.js";
import { attempt, ErrorLog, field, type Outcome } from "./errors.js";

/**
 * Buckets the account owns, with their regions. ListBuckets is paged with MaxBuckets: S3 rejects an unpaged request
 * from an account whose bucket quota is high, and a paged answer gives each bucket's region, which saves a
 * GetBucketLocation per bucket.
 */
export interface OwnedBuckets {
  /** Undefined when ListBuckets failed: ownership is then not known. */
  names?: Map<string, string | undefined>;
  failure?: string;
}

/** The largest page ListBuckets accepts. */
const LIST_BUCKETS_PAGE = 10_000;

export async function listOwnedBuckets(clients: AwsClients, region: string): Promise<OwnedBuckets> {
  const { s3 } = clients.sdk;
  const names = new Map<string, string | undefined>();
  const listed = await attempt("ListBuckets", async () => {
    let ContinuationToken: string | undefined;
    do {
      const page = await clients
        .s3(region)
        .send(new s3.ListBucketsCommand({ MaxBuckets: LIST_BUCKETS_PAGE, ContinuationToken }));
      for (const b of page.Buckets ?? []) if (b.Name) names.set(b.Name, b.BucketRegion);
      ContinuationToken = page.ContinuationToken;
    } while (ContinuationToken);
  });
  if (listed.ok) return { names };
  return { failure: listed.notConfigured ? "ListBuckets failed" : listed.reason };
}

/**
 * The account's own S3 Block Public Access settings (S3 Control `GetPublicAccessBlock`), which S3 applies to every
 * bucket of the account together with the bucket's. `null` when the account has none.
 */
export async function readAccountPublicAccessBlock(
  clients: AwsClients,
  account: AccountContext,
  log: ErrorLog,
): Promise<Maybe<PublicAccessBlock | null>> {
  const { s3control } = clients.sdk;
  const answer = await attempt("GetAccountPublicAccessBlock", () =>
    clients.s3control().send(new s3control.GetPublicAccessBlockCommand({ AccountId: account.accountId })),
  );
  return field(
    answer,
    (v) => publicAccessBlockOf(v.PublicAccessBlockConfiguration),
    () => null,
    (reason) => log.warn(`S3 account settings of ${account.accountId}: ${reason}`),
  );
}

/** The API's four flags; one left out is off. */
function publicAccessBlockOf(
  c:
    | {
        BlockPublicAcls?: boolean;
        IgnorePublicAcls?: boolean;
        BlockPublicPolicy?: boolean;
        RestrictPublicBuckets?: boolean;
      }
    | undefined,
): PublicAccessBlock | null {
  if (!c) return null;
  return {
    blockPublicAcls: c.BlockPublicAcls ?? false,
    ignorePublicAcls: c.IgnorePublicAcls ?? false,
    blockPublicPolicy: c.BlockPublicPolicy ?? false,
    restrictPublicBuckets: c.RestrictPublicBuckets ?? false,
  };
}

/**
 * One bucket a trail writes to: public access block, policy, ACL, versioning and MFA delete, Object Lock, access
 * logging, lifecycle, default encryption, website, object ownership. A bucket the account does not own is not read
 * (its owner's scan assesses it): its settings are Unknown, so the rules about it say `unknown`, never `pass`.
 */
export async function collectBucket(
  clients: AwsClients,
  account: AccountContext,
  name: string,
  owned: OwnedBuckets,
  accountBlock: Maybe<PublicAccessBlock | null>,
): Promise<{ bucket: Bucket; errors: ErrorLog }> {
  const log = new ErrorLog();
  const arn = `arn:${account.partition}:s3:::${name}`;
  const base = {
    kind: "bucket" as const,
    id: arn,
    origin: { address: arn },
    fieldLocations: {},
    name,
    arn,
    cannedAcl: null,
    links: {},
  };

  if (owned.names && !owned.names.has(name)) {
    const reason = unknown(
      `S3 bucket ${name} is not owned by account ${account.accountId} (ListBuckets): its settings are read ` +
        "when the account that owns it is scanned",
    );
    log.warn(reason.reason);
    return {
      bucket: {
        ...base,
        accountId: reason,
        region: reason,
        publicAccessBlock: reason,
        accountPublicAccessBlock: reason,
        policy: reason,
        policyIsPublic: reason,
        aclGrants: reason,
        versioning: reason,
        mfaDelete: reason,
        objectLock: reason,
        logging: reason,
        lifecycleRules: reason,
        encryption: reason,
        website: reason,
        objectOwnership: reason,
      },
      errors: log,
    };
  }

  const { s3 } = clients.sdk;
  const warn = (reason: string) => log.warn(`S3 bucket ${name}: ${reason}`);
  // Known owner: every call states it, so a bucket re-created by someone else is refused rather than read.
  const expected = owned.names ? { ExpectedBucketOwner: account.accountId } : {};
  let region: Maybe<string | null> = owned.names?.get(name) ?? null;
  if (!region) {
    const location = await attempt("GetBucketLocation", () =>
      clients.s3(clients.homeRegion).send(new s3.GetBucketLocationCommand({ Bucket: name, ...expected })),
    );
    // An empty LocationConstraint is us-east-1; `EU` is the old name of eu-west-1.
    region = field(
      location,
      (v) =>
        !v.LocationConstraint
          ? "us-east-1"
          : v.LocationConstraint === "EU"
            ? "eu-west-1"
            : v.LocationConstraint,
      () => null,
      warn,
    );
  }
  const client = clients.s3(typeof region === "string" ? region : clients.homeRegion);
  const input = { Bucket: name, ...expected };

  const [
    pab,
    policy,
    policyStatus,
    acl,
    versioning,
    lock,
    logging,
    lifecycle,
    encryption,
    website,
    ownership,
  ] = await Promise.all([
    attempt("GetPublicAccessBlock", () => client.send(new s3.GetPublicAccessBlockCommand(input))),
    attempt("GetBucketPolicy", () => client.send(new s3.GetBucketPolicyCommand(input))),
    attempt("GetBucketPolicyStatus", () => client.send(new s3.GetBucketPolicyStatusCommand(input))),
    attempt("GetBucketAcl", () => client.send(new s3.GetBucketAclCommand(input))),
    attempt("GetBucketVersioning", () => client.send(new s3.GetBucketVersioningCommand(input))),
    attempt("GetObjectLockConfiguration", () => client.send(new s3.GetObjectLockConfigurationCommand(input))),
    attempt("GetBucketLogging", () => client.send(new s3.GetBucketLoggingCommand(input))),
    attempt("GetBucketLifecycleConfiguration", () =>
      client.send(new s3.GetBucketLifecycleConfigurationCommand(input)),
    ),
    attempt("GetBucketEncryption", () => client.send(new s3.GetBucketEncryptionCommand(input))),
    attempt("GetBucketWebsite", () => client.send(new s3.GetBucketWebsiteCommand(input))),
    attempt("GetBucketOwnershipControls", () => client.send(new s3.GetBucketOwnershipControlsCommand(input))),
  ]);

  const bucket: Bucket = {
    ...base,
    accountId: owned.names
      ? account.accountId
      : unknown(`ListBuckets failed (${owned.failure}): owner unknown`),
    region,
    publicAccessBlock: field(
      pab,
      (v) => publicAccessBlockOf(v.PublicAccessBlockConfiguration),
      () => null,
      warn,
    ),
    // The account's settings apply to the buckets it owns; when ownership is not known, neither is that.
    accountPublicAccessBlock: owned.names
      ? accountBlock
      : unknown(`ListBuckets failed (${owned.failure}): whether the account's settings apply is unknown`),
    policy: field(
      policy,
      (v) => (v.Policy ? parsePolicyJson(v.Policy) : null),
      () => null,
      warn,
    ),
    policyIsPublic: policyVerdict(policy, policyStatus, warn),
    aclGrants: field(
      acl,
      (v) => (v.Grants ?? []).map((g) => grantOf(g, v.Owner?.ID)),
      () => [],
      warn,
    ),
    versioning: field(
      versioning,
      (v) => (v.Status === "Enabled" || v.Status === "Suspended" ? v.Status : null),
      () => null,
      warn,
    ),
    mfaDelete: field(
      versioning,
      (v) => v.MFADelete === "Enabled",
      () => false,
      () => {},
    ),
    objectLock: field(
      lock,
      (v) => {
        const c = v.ObjectLockConfiguration;
        if (!c) return null;
        const retention = c.Rule?.DefaultRetention;
        const days = retention?.Days ?? (retention?.Years !== undefined ? retention.Years * 365 : null);
        return {
          enabled: c.ObjectLockEnabled === "Enabled",
          mode: retention?.Mode ?? null,
          retentionDays: days,
        };
      },
      () => null,
      warn,
    ),
    logging: field(
      logging,
      (v) =>
        v.LoggingEnabled
          ? {
              targetBucket: v.LoggingEnabled.TargetBucket ?? null,
              targetPrefix: v.LoggingEnabled.TargetPrefix ?? null,
            }
          : null,
      () => null,
      warn,
    ),
    lifecycleRules: field(
      lifecycle,
      (v) => (v.Rules ?? []).map(lifecycleRule),
      () => [],
      warn,
    ),
    encryption: field(
      encryption,
      (v) => {
        const rule = v.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
        if (!rule) return null;
        return {
          algorithm: rule.SSEAlgorithm ?? unknown("SSEAlgorithm missing"),
          kmsKeyId: rule.KMSMasterKeyID ?? null,
        };
      },
      () => null,
      warn,
    ),
    website: field(
      website,
      () => true,
      () => false,
      warn,
    ),
    objectOwnership: field(
      ownership,
      (v) => v.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null,
      () => null,
      warn,
    ),
  };
  return { bucket, errors: log };
}

/**
 * AWS's verdict on the bucket policy. Without a policy there is nothing to judge; an answer without `IsPublic` (as
 * emulators give) is no verdict, and the policy's statements are still judged by the rules.
 */
function policyVerdict(
  policy: Outcome<{ Policy?: string }>,
  status: Outcome<{ PolicyStatus?: { IsPublic?: boolean } }>,
  warn: (reason: string) => void,
): Maybe<boolean | null> {
  if (!policy.ok && policy.notConfigured) return null;
  return field(
    status,
    (v) => v.PolicyStatus?.IsPublic ?? null,
    () => null,
    warn,
  );
}

const GROUPS: Record<string, string> = {
  "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
  "http://acs.amazonaws.com/groups/s3/LogDelivery": "LogDelivery",
};

function grantOf(grant: Grant, ownerId: string | undefined): AclGrant {
  const g = grant.Grantee;
  const permission = grant.Permission ?? "UNKNOWN";
  if (g?.Type === "Group" && g.URI) return { grantee: GROUPS[g.URI] ?? `Group:${g.URI}`, permission };
  if (g?.Type === "CanonicalUser" && g.ID) {
    return { grantee: g.ID === ownerId ? "Owner" : `CanonicalUser:${g.ID}`, permission };
  }
  if (g?.Type === "AmazonCustomerByEmail" && g.EmailAddress) {
    return { grantee: `Email:${g.EmailAddress}`, permission };
  }
  return { grantee: `${g?.Type ?? "Unknown"}:${g?.ID ?? g?.URI ?? "?"}`, permission };
}

function lifecycleRule(rule: SdkLifecycleRule): LifecycleRule {
  const expiration = rule.Expiration;
  let expirationDays: Maybe<number | null> = expiration?.Days ?? null;
  if (expiration?.Date) {
    expirationDays = unknown(
      `lifecycle rule ${rule.ID ?? ""} expires objects on a date, not after a number of days`,
    );
  }
  const filterPrefix = rule.Filter?.Prefix ?? rule.Filter?.And?.Prefix;
  return {
    id: rule.ID ?? null,
    enabled: rule.Status === "Enabled",
    prefix: filterPrefix ?? rule.Prefix ?? null,
    expirationDays,
    noncurrentVersionExpirationDays: rule.NoncurrentVersionExpiration?.NoncurrentDays ?? null,
  };
}
