import type {
  AccountInventory,
  Bucket,
  EventDataStore,
  KmsKey,
  LogGroup,
  Trail,
} from "../../src/model/index.js";
import { emptyAccount } from "../../src/model/index.js";

/** Model objects for table-driven tests: every field known and unset unless overridden. */
export function trail(overrides: Partial<Trail> = {}): Trail {
  const name = (overrides.name as string) ?? "t";
  return {
    kind: "trail",
    id: `trail:${name}`,
    origin: { address: `test.yaml#${name}`, location: { file: "test.yaml", line: 1, column: 1 } },
    fieldLocations: {},
    name,
    arn: null,
    accountId: null,
    homeRegion: null,
    isMultiRegionTrail: true,
    isOrganizationTrail: false,
    isLogging: true,
    includeGlobalServiceEvents: true,
    logFileValidationEnabled: true,
    kmsKeyId: null,
    s3BucketName: "logs",
    s3KeyPrefix: null,
    snsTopic: null,
    cloudWatchLogsLogGroupArn: null,
    cloudWatchLogsRoleArn: null,
    eventSelectors: null,
    advancedEventSelectors: null,
    insightTypes: [],
    links: {},
    ...overrides,
  };
}

export function bucket(overrides: Partial<Bucket> = {}): Bucket {
  const name = (overrides.name as string) ?? "logs";
  return {
    kind: "bucket",
    id: `bucket:${name}`,
    origin: { address: `test.yaml#${name}`, location: { file: "test.yaml", line: 10, column: 1 } },
    fieldLocations: {},
    name,
    arn: null,
    accountId: null,
    region: null,
    publicAccessBlock: {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    },
    accountPublicAccessBlock: null,
    policy: null,
    policyIsPublic: null,
    cannedAcl: null,
    aclGrants: [],
    versioning: null,
    mfaDelete: false,
    objectLock: null,
    logging: null,
    lifecycleRules: [],
    encryption: null,
    website: false,
    objectOwnership: null,
    links: {},
    ...overrides,
  };
}

export function key(overrides: Partial<KmsKey> = {}): KmsKey {
  const keyId = (overrides.keyId as string) ?? "k1";
  return {
    kind: "key",
    id: `key:${keyId}`,
    origin: { address: `key/${keyId}` },
    fieldLocations: {},
    keyId,
    arn: `arn:aws:kms:us-east-1:111122223333:key/${keyId}`,
    aliases: [],
    keyManager: "CUSTOMER",
    keySpec: "SYMMETRIC_DEFAULT",
    keyState: "Enabled",
    rotationEnabled: false,
    ...overrides,
  };
}

export function logGroup(overrides: Partial<LogGroup> = {}): LogGroup {
  const name = (overrides.name as string) ?? "trail-logs";
  return {
    kind: "log-group",
    id: `log-group:${name}`,
    origin: { address: `log-group/${name}` },
    fieldLocations: {},
    name,
    arn: `arn:aws:logs:us-east-1:111122223333:log-group:${name}:*`,
    retentionInDays: null,
    kmsKeyId: null,
    ...overrides,
  };
}

export function eventDataStore(overrides: Partial<EventDataStore> = {}): EventDataStore {
  const name = (overrides.name as string) ?? "lake";
  return {
    kind: "event-data-store",
    id: `eds:${name}`,
    origin: { address: `eds/${name}` },
    fieldLocations: {},
    name,
    arn: null,
    status: "ENABLED",
    multiRegionEnabled: true,
    organizationEnabled: false,
    retentionPeriodDays: 2557,
    terminationProtectionEnabled: true,
    kmsKeyId: null,
    advancedEventSelectors: null,
    ...overrides,
  };
}

export function account(parts: Partial<AccountInventory> = {}, complete = true): AccountInventory {
  return {
    ...emptyAccount(
      "acct",
      { address: "acct", location: { file: "test.yaml", line: 1, column: 1 } },
      complete,
    ),
    ...parts,
  };
}
