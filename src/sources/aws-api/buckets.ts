import type {
  AclGrant,
  Bucket,
  BucketEncryption,
  BucketLogging,
  LifecycleRule,
  ObjectLock,
  PolicyDocument,
  PublicAccessBlock,
  SourceLocation,
} from "../../model/index.js";
import { isUnknown, type Maybe, Unknown, unknown } from "../../model/index.js";
import { type JsonNode, member, path, stringOf } from "../json.js";
import { parsePolicyJson } from "../policy.js";
import { type Answer, type AnswerSource, answerLocation, whyNot } from "./answers.js";
import { COMMANDS } from "./commands.js";
import { FieldReader, fromAnswer, required } from "./fields.js";

const BUCKET_COMMANDS = COMMANDS.filter((c) => c.per === "bucket").map((c) => c.name);

const SETTINGS = [
  "region",
  "publicAccessBlock",
  "accountPublicAccessBlock",
  "policy",
  "policyIsPublic",
  "aclGrants",
  "versioning",
  "mfaDelete",
  "objectLock",
  "logging",
  "lifecycleRules",
  "encryption",
  "website",
  "objectOwnership",
] as const;

/** The buckets a `list-buckets` answer lists as the account's, each with its entry (which may give its region). */
/** The end of the owner's reason when the account's ListBuckets does not hold the bucket: its owner reads it. */
export const ANOTHER_ACCOUNTS_BUCKET = "it belongs to another account";

export function ownedBuckets(listing: Answer): Map<string, JsonNode> {
  const owned = new Map<string, JsonNode>();
  if (listing.kind !== "json") return owned;
  const items = member(listing.root, "Buckets");
  for (const item of items?.kind === "array" ? items.items : []) {
    const name = stringOf(member(item, "Name"));
    if (name) owned.set(name, item);
  }
  return owned;
}

/** What the mapping of every bucket of one account shares. */
export interface BucketContext {
  accountId: Maybe<string | null>;
  /** `aws` unless the account's ARNs say otherwise. */
  partition: string;
  /** The `list-buckets` answer: which buckets are the account's. */
  listing: Answer;
  owned: Map<string, JsonNode>;
  /** The account's own Block Public Access settings, which apply to the buckets it owns. */
  accountBlock: Maybe<PublicAccessBlock | null>;
}

export function bucketContext(
  source: AnswerSource,
  accountId: Maybe<string | null>,
  partition = "aws",
): BucketContext {
  const listing = source.answer("list-buckets");
  return {
    accountId,
    partition,
    listing,
    owned: ownedBuckets(listing),
    accountBlock: readAccountPublicAccessBlock(source),
  };
}

/**
 * Buckets of the account (`list-buckets`), each read from its `s3api` answers, plus the buckets trails write to that
 * are not in the account: their settings are another account's, so they are Unknown here.
 */
export function readBuckets(
  source: AnswerSource,
  accountId: Maybe<string | null>,
  trailBuckets: { name: string; location?: SourceLocation }[],
): Bucket[] {
  const ctx = bucketContext(source, accountId);
  const names = new Map<string, SourceLocation | undefined>();
  for (const [name, item] of ctx.owned)
    names.set(name, ctx.listing.kind === "json" ? ctx.listing.file.location(item) : undefined);
  for (const command of BUCKET_COMMANDS) {
    for (const id of source.ids(command)) if (!names.has(id)) names.set(id, undefined);
  }
  for (const t of trailBuckets) if (!names.has(t.name)) names.set(t.name, t.location);
  return [...names].map(([name, location]) => mapBucket(source, ctx, name, location));
}

/** One bucket from its answers; `location` is where it was first named (its listing entry, a trail's reference). */
export function mapBucket(
  source: AnswerSource,
  ctx: BucketContext,
  name: string,
  location?: SourceLocation,
): Bucket {
  const { listing, owned } = ctx;
  const answers = BUCKET_COMMANDS.map((c) => source.answer(c, name));
  const hasAnswers = answers.some((a) => a.kind !== "absent");
  let owner: Maybe<string | null>;
  if (owned.has(name)) owner = ctx.accountId;
  else if (listing.kind === "json")
    owner = unknown(`bucket ${name} is not in ${listing.file.path}: ${ANOTHER_ACCOUNTS_BUCKET}`);
  else owner = unknown(`${whyNot(listing)}: cannot tell whose bucket ${name} is`);
  const origin = location ?? answers.map(answerLocation).find((at) => at !== undefined);
  const arn = `arn:${ctx.partition}:s3:::${name}`;
  const base = {
    kind: "bucket" as const,
    id: arn,
    origin: { address: arn, location: origin },
    fieldLocations: {} as Record<string, SourceLocation>,
    name,
    arn,
    accountId: owner,
    cannedAcl: null,
    links: {},
  };
  if (!hasAnswers && !owned.has(name)) {
    const listedIn = listing.kind === "json" ? listing.file.path : "the account's list-buckets answer";
    const why = unknown(
      `bucket ${name} is not in ${listedIn} (another account's bucket?) and nothing of it was read: its settings are read where its account is scanned`,
      origin,
    );
    return { ...base, ...Object.fromEntries(SETTINGS.map((s) => [s, why])) } as Bucket;
  }
  // The account's own settings apply to the buckets it owns only.
  const accountPublicAccessBlock = owned.has(name)
    ? ctx.accountBlock
    : isUnknown(owner)
      ? owner
      : unknown(`bucket ${name} is not the account's: its account's settings are not known here`);
  const listed = owned.get(name);
  const listedRegion =
    listing.kind === "json" && listed
      ? { reader: new FieldReader(listing.file, base.fieldLocations), node: member(listed, "BucketRegion") }
      : undefined;
  return {
    ...base,
    accountPublicAccessBlock,
    ...readSettings(source, name, base.fieldLocations, listedRegion),
  };
}

type Settings = Omit<Pick<Bucket, (typeof SETTINGS)[number]>, "accountPublicAccessBlock">;

/** `aws s3control get-public-access-block --account-id <id>`: the account's own Block Public Access settings. */
export function readAccountPublicAccessBlock(folder: AnswerSource): Maybe<PublicAccessBlock | null> {
  const command = "s3control-get-public-access-block";
  return fromAnswer(
    folder.answer(command),
    "accountPublicAccessBlock",
    {},
    {
      json: (r, root) => publicAccessBlockOf(r, member(root, "PublicAccessBlockConfiguration"), null),
      notConfigured: { codes: ["NoSuchPublicAccessBlockConfiguration"], value: null },
    },
  );
}

/** The API's four flags; one left out is off. Field locations are recorded under `prefix` when given. */
function publicAccessBlockOf(
  r: FieldReader,
  config: JsonNode | undefined,
  prefix: string | null,
): PublicAccessBlock {
  const flag = (key: string, field: keyof PublicAccessBlock) =>
    r.bool(member(config, key), prefix ? `${prefix}.${field}` : null, key, false);
  return {
    blockPublicAcls: flag("BlockPublicAcls", "blockPublicAcls"),
    ignorePublicAcls: flag("IgnorePublicAcls", "ignorePublicAcls"),
    blockPublicPolicy: flag("BlockPublicPolicy", "blockPublicPolicy"),
    restrictPublicBuckets: flag("RestrictPublicBuckets", "restrictPublicBuckets"),
  };
}

function readSettings(
  folder: AnswerSource,
  name: string,
  loc: Record<string, SourceLocation>,
  listedRegion: { reader: FieldReader; node: JsonNode | undefined } | undefined,
): Settings {
  const a = (command: string) => folder.answer(command, name);
  const versioning = a("get-bucket-versioning");
  const policy = readPolicy(a("get-bucket-policy"), loc);
  const location = a("get-bucket-location");
  // A paged list-buckets gives each bucket's region, which spares get-bucket-location.
  const region =
    location.kind === "absent" && listedRegion?.node
      ? listedRegion.reader.str(listedRegion.node, "region", "BucketRegion")
      : undefined;
  return {
    region:
      region !== undefined && region !== null
        ? region
        : fromAnswer(location, "region", loc, {
            json: (r, root) => {
              const constraint = r.str(member(root, "LocationConstraint"), "region", "LocationConstraint");
              // S3 gives no constraint for us-east-1 and the legacy `EU` for eu-west-1.
              if (constraint === null || constraint === "") return "us-east-1";
              return constraint === "EU" ? "eu-west-1" : constraint;
            },
          }),
    publicAccessBlock: fromAnswer(a("get-public-access-block"), "publicAccessBlock", loc, {
      json: (r, root): Maybe<PublicAccessBlock | null> =>
        publicAccessBlockOf(r, member(root, "PublicAccessBlockConfiguration"), "publicAccessBlock"),
      notConfigured: { codes: ["NoSuchPublicAccessBlockConfiguration"], value: null },
    }),
    policy,
    // Without a policy there is nothing for AWS to deem public.
    policyIsPublic:
      policy === null
        ? null
        : fromAnswer(a("get-bucket-policy-status"), "policyIsPublic", loc, {
            // An answer without IsPublic (as emulators give) is no verdict; the policy is still judged.
            json: (r, root) =>
              r.bool(member(member(root, "PolicyStatus"), "IsPublic"), "policyIsPublic", "IsPublic", null),
            notConfigured: { codes: ["NoSuchBucketPolicy"], value: null },
          }),
    aclGrants: fromAnswer(a("get-bucket-acl"), "aclGrants", loc, {
      json: (r, root) => readGrants(r, root),
    }),
    // A bucket whose versioning was never configured: the command succeeds and prints nothing.
    versioning: fromAnswer(versioning, "versioning", loc, {
      json: (r, root) => {
        const status = r.str(member(root, "Status"), "versioning", "Status");
        if (status === null || status instanceof Unknown) return status;
        if (status === "Enabled" || status === "Suspended") return status;
        return unknown(
          `versioning Status ${JSON.stringify(status)} in ${r.file.path} is not Enabled or Suspended`,
        );
      },
      empty: null,
    }),
    mfaDelete: fromAnswer(versioning, "mfaDelete", loc, {
      json: (r, root) => {
        const mfa = r.str(member(root, "MFADelete"), "mfaDelete", "MFADelete");
        return mfa instanceof Unknown ? mfa : mfa === "Enabled";
      },
      empty: false,
    }),
    objectLock: fromAnswer(a("get-object-lock-configuration"), "objectLock", loc, {
      json: (r, root) => readObjectLock(r, member(root, "ObjectLockConfiguration")),
      notConfigured: { codes: ["ObjectLockConfigurationNotFoundError"], value: null },
    }),
    logging: fromAnswer(a("get-bucket-logging"), "logging", loc, {
      json: (r, root): Maybe<BucketLogging | null> => {
        const enabled = member(root, "LoggingEnabled");
        if (!enabled) return null;
        return {
          targetBucket: r.str(member(enabled, "TargetBucket"), "logging.targetBucket", "TargetBucket"),
          targetPrefix: r.str(member(enabled, "TargetPrefix"), "logging.targetPrefix", "TargetPrefix"),
        };
      },
      empty: null,
    }),
    lifecycleRules: fromAnswer(a("get-bucket-lifecycle-configuration"), "lifecycleRules", loc, {
      json: (r, root) => readLifecycle(r, root),
      notConfigured: { codes: ["NoSuchLifecycleConfiguration"], value: [] },
    }),
    encryption: fromAnswer(a("get-bucket-encryption"), "encryption", loc, {
      json: (r, root): Maybe<BucketEncryption | null> => {
        const rules = r.list(path(root, "ServerSideEncryptionConfiguration", "Rules"), null, "Rules");
        if (rules instanceof Unknown) return rules;
        const byDefault = member(rules?.[0], "ApplyServerSideEncryptionByDefault");
        if (!byDefault) return null;
        return {
          algorithm: required(
            r.str(member(byDefault, "SSEAlgorithm"), "encryption.algorithm", "SSEAlgorithm"),
            r,
            "SSEAlgorithm",
          ),
          kmsKeyId: r.str(member(byDefault, "KMSMasterKeyID"), "encryption.kmsKeyId", "KMSMasterKeyID"),
        };
      },
      // S3 has encrypted every bucket with SSE-S3 since January 2023; only emulators still answer this.
      notConfigured: {
        codes: ["ServerSideEncryptionConfigurationNotFoundError"],
        value: { algorithm: "AES256", kmsKeyId: null },
      },
    }),
    website: fromAnswer(a("get-bucket-website"), "website", loc, {
      json: () => true,
      notConfigured: { codes: ["NoSuchWebsiteConfiguration"], value: false },
    }),
    objectOwnership: fromAnswer(a("get-bucket-ownership-controls"), "objectOwnership", loc, {
      json: (r, root) => {
        const rules = r.list(path(root, "OwnershipControls", "Rules"), null, "Rules");
        if (rules instanceof Unknown) return rules;
        const first = rules?.[0];
        return first ? r.str(member(first, "ObjectOwnership"), "objectOwnership", "ObjectOwnership") : null;
      },
      notConfigured: { codes: ["OwnershipControlsNotFoundError"], value: null },
    }),
  };
}

const GROUPS: Record<string, string> = {
  "http://acs.amazonaws.com/groups/global/AllUsers": "AllUsers",
  "http://acs.amazonaws.com/groups/global/AuthenticatedUsers": "AuthenticatedUsers",
  "http://acs.amazonaws.com/groups/s3/LogDelivery": "LogDelivery",
};

/** ACL grants: the owner's own grant is `Owner`; groups by name; others `CanonicalUser:<id>`, `Email:<address>`. */
function readGrants(r: FieldReader, root: JsonNode): Maybe<AclGrant[]> {
  const ownerId = stringOf(path(root, "Owner", "ID"));
  const items = r.list(member(root, "Grants"), "aclGrants", "Grants");
  if (items === null) return [];
  if (items instanceof Unknown) return items;
  const grants: AclGrant[] = [];
  for (const item of items) {
    const grantee = member(item, "Grantee");
    const type = stringOf(member(grantee, "Type"));
    const permission = stringOf(member(item, "Permission"));
    if (!permission) return unknown(`a grant in ${r.where(item)} has no Permission`, r.loc(item));
    const id = stringOf(member(grantee, "ID"));
    const uri = stringOf(member(grantee, "URI"));
    const email = stringOf(member(grantee, "EmailAddress"));
    let who: string | undefined;
    if (type === "CanonicalUser" && id) who = id === ownerId ? "Owner" : `CanonicalUser:${id}`;
    else if (type === "Group" && uri) who = GROUPS[uri] ?? `Group:${uri}`;
    else if (type === "AmazonCustomerByEmail" && email) who = `Email:${email}`;
    if (!who) return unknown(`a grantee in ${r.where(item)} is not understood`, r.loc(item));
    grants.push({ grantee: who, permission });
  }
  return grants;
}

function readObjectLock(r: FieldReader, config: JsonNode | undefined): Maybe<ObjectLock | null> {
  if (!config) return null;
  const state = r.str(member(config, "ObjectLockEnabled"), "objectLock.enabled", "ObjectLockEnabled");
  const retention = path(config, "Rule", "DefaultRetention");
  const mode = r.str(member(retention, "Mode"), "objectLock.mode", "Mode");
  const days = r.num(member(retention, "Days"), "objectLock.retentionDays", "Days");
  const years = member(retention, "Years");
  let retentionDays: Maybe<number | null> = days;
  if (days === null && years) {
    const y = r.num(years, "objectLock.retentionDays", "Years");
    retentionDays = typeof y === "number" ? y * 365 : y;
  }
  return {
    enabled: state instanceof Unknown ? state : state === "Enabled",
    mode,
    retentionDays,
  };
}

function readLifecycle(r: FieldReader, root: JsonNode): Maybe<LifecycleRule[]> {
  const items = r.list(member(root, "Rules"), "lifecycleRules", "Rules");
  if (items === null) return [];
  if (items instanceof Unknown) return items;
  return items.map((item, i): LifecycleRule => {
    const p = `lifecycleRules[${i}]`;
    r.record(p, item);
    const id = stringOf(member(item, "ID")) ?? null;
    const status = r.str(member(item, "Status"), `${p}.enabled`, "Status");
    const prefixNode =
      member(item, "Prefix") ?? path(item, "Filter", "Prefix") ?? path(item, "Filter", "And", "Prefix");
    const expiration = member(item, "Expiration");
    let expirationDays: Maybe<number | null> = r.num(
      member(expiration, "Days"),
      `${p}.expirationDays`,
      "Days",
    );
    const date = member(expiration, "Date");
    if (expirationDays === null && date) {
      r.record(`${p}.expirationDays`, date);
      expirationDays = unknown(
        `lifecycle rule ${id ?? i} in ${r.file.path} expires objects on a date, not after a number of days`,
        r.loc(date),
      );
    }
    return {
      id,
      enabled:
        status === null
          ? unknown(`lifecycle rule ${id ?? i} in ${r.file.path} has no Status`, r.loc(item))
          : status instanceof Unknown
            ? status
            : status === "Enabled",
      prefix: r.str(prefixNode, `${p}.prefix`, "Prefix"),
      expirationDays,
      noncurrentVersionExpirationDays: r.num(
        path(item, "NoncurrentVersionExpiration", "NoncurrentDays"),
        `${p}.noncurrentVersionExpirationDays`,
        "NoncurrentDays",
      ),
    };
  });
}

function readPolicy(answer: Answer, loc: Record<string, SourceLocation>): Maybe<PolicyDocument | null> {
  return fromAnswer(answer, "policy", loc, {
    json: (r, root): Maybe<PolicyDocument | null> => {
      const node = member(root, "Policy");
      const text = stringOf(node);
      if (text === undefined || !node) return unknown(`Policy is missing from ${r.file.path}`);
      r.record("policy", node);
      return parsePolicyJson(text, r.loc(node));
    },
    notConfigured: { codes: ["NoSuchBucketPolicy"], value: null },
  });
}
