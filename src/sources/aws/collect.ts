import type {
  AccountInventory,
  Coverage,
  CoverageState,
  InputError,
  Organization,
  ResourceListName,
} from "../../model/index.js";
import { append, emptyAccount, isKnown, type Maybe, markCoverage } from "../../model/index.js";
import { readOrganization as mapOrganization } from "../aws-api/account.js";
import { mergeFragment } from "../fragment.js";
import { ask, LiveAnswers } from "./answers.js";
import { askAccountPublicAccessBlock, collectBucket, listOwnedBuckets } from "./buckets.js";
import { type ApiCall, type AwsClients, type ClientSettings, createClients, type Sdk } from "./clients.js";
import { type AccountContext, parseArn } from "./context.js";
import { attempt, ErrorLog, failure } from "./errors.js";
import { collectEventDataStores } from "./lake.js";
import { collectMonitoring } from "./monitoring.js";
import { discoverRegions } from "./regions.js";
import { collectKey, collectLogGroup, collectTopic } from "./targets.js";
import { collectTrails } from "./trails.js";

export interface LiveOptions {
  /** Named profile; the default credential chain when absent. */
  profile?: string;
  /** Home region for global and account-wide calls. */
  region?: string;
  /** Only these regions (trails homed there, multi-region trails, event data stores). */
  regions?: string[];
  /** Calls in flight at once. */
  concurrency?: number;
  /** Attempts per call (adaptive retries). */
  maxAttempts?: number;
  requestTimeoutMs?: number;
  /**
   * Where to list CloudTrail Lake event data stores. The API lists one region per call and has no account-wide
   * listing, so the default is the home region only (where a multi-region or organization store usually lives), which
   * keeps the call count independent of the number of regions; `all` asks every scanned region; `false` none.
   */
  lake?: "home" | "all" | false;
  /** Endpoint and credentials for an emulator; the SDK reads `AWS_ENDPOINT_URL` and the credential chain itself. */
  endpoint?: string;
  credentials?: ClientSettings["credentials"];
  /** Sent as `trailguard/<version>`; the package's version when absent. */
  version?: string;
  /** ARNs of trails collected in another account of the scan (organization trails): not read again here. */
  skipTrails?: ReadonlySet<string>;
  /**
   * The organization the account belongs to, as another account of it read it (every account of an organization
   * sees the same one): not asked again.
   */
  knownOrganization?: Organization;
}

export interface LiveResult {
  accounts: AccountInventory[];
  /** What could not be read: `warning` for a field, `error` when a whole API or region failed. */
  errors: InputError[];
  /** API operations called (retries not counted). */
  calls: number;
  /** HTTP requests sent, retries included. */
  attempts: number;
  /** Every operation called, for audits of the IAM policy and of the call plan. */
  apiCalls: ApiCall[];
}

/** Reads the account the credentials belong to. The SDK is loaded by the caller (see index.ts) or here. */
export async function collectLive(options: LiveOptions = {}, sdk?: Sdk): Promise<LiveResult> {
  const clients = await createClients(
    {
      profile: options.profile,
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
      maxAttempts: options.maxAttempts,
      concurrency: options.concurrency,
      requestTimeoutMs: options.requestTimeoutMs,
      version: options.version ?? (await packageVersion()),
    },
    sdk,
  );
  try {
    const log = new ErrorLog();
    const identity = await callerIdentity(clients, log);
    const account = identity && (await collectAccount(clients, options, log, identity));
    return {
      accounts: account ? [account] : [],
      errors: log.errors,
      calls: clients.calls.length,
      attempts: clients.attempts(),
      apiCalls: [...clients.calls],
    };
  } finally {
    clients.destroy();
  }
}

async function packageVersion(): Promise<string> {
  try {
    return (await import("../../scan/install-paths.js")).version();
  } catch {
    return "0.0.0";
  }
}

/** The account and partition the credentials belong to. */
export interface CallerIdentity {
  accountId: string;
  partition: string;
}

/** GetCallerIdentity; undefined (with the reason logged as an error) when it fails. */
export async function callerIdentity(
  clients: AwsClients,
  log: ErrorLog,
): Promise<CallerIdentity | undefined> {
  const home = clients.homeRegion;
  const { sts } = clients.sdk;
  const identity = await attempt("GetCallerIdentity", () =>
    clients.sts(home).send(new sts.GetCallerIdentityCommand({})),
  );
  if (!identity.ok || !identity.value.Account) {
    const reason = failure(identity)?.reason ?? "GetCallerIdentity returned no account";
    log.error(`AWS credentials (${home}): ${reason}; no account was read`);
    return undefined;
  }
  return {
    accountId: identity.value.Account,
    partition: parseArn(identity.value.Arn)?.partition || "aws",
  };
}

/** Reads the account of the clients' credentials, whose identity the caller has found (`callerIdentity`) or knows. */
export async function collectAccount(
  clients: AwsClients,
  options: LiveOptions,
  log: ErrorLog,
  identity: CallerIdentity,
): Promise<AccountInventory> {
  const home = clients.homeRegion;
  const { organizations } = clients.sdk;
  const { accountId, partition } = identity;

  const enabled = await discoverRegions(clients, partition, log);
  const limit = options.regions?.length ? [...new Set(options.regions)] : undefined;
  const scanned = limit ?? (Array.isArray(enabled) ? enabled : [home]);
  const ctx: AccountContext = {
    accountId,
    partition,
    homeRegion: home,
    regions: limit ?? [],
    ...(options.skipTrails ? { skipTrails: options.skipTrails } : {}),
  };

  const inventory = emptyAccount(accountId, { address: `arn:${partition}:::account/${accountId}` }, true);
  inventory.accountId = accountId;
  inventory.regions = enabled;

  const [trails, lakes, organization] = await Promise.all([
    collectTrails(clients, ctx, home),
    options.lake === false
      ? []
      : Promise.all(
          (options.lake === "all" ? scanned : [home]).map((region) =>
            collectEventDataStores(clients, { ...ctx, regions: scanned }, region),
          ),
        ),
    options.knownOrganization
      ? { ...options.knownOrganization }
      : readOrganization(clients, organizations, log),
  ]);
  mergeFragment(inventory, trails);
  append(log.errors, trails.errors);
  const seenStores = new Set<string>();
  for (const lake of lakes) {
    append(log.errors, lake.errors);
    for (const store of lake.eventDataStores) {
      if (seenStores.has(store.id)) continue;
      seenStores.add(store.id);
      inventory.eventDataStores.push(store);
    }
  }
  inventory.organization = organization;
  if (options.lake === false) {
    markCoverage(
      inventory,
      "eventDataStores",
      "not-collected",
      "CloudTrail Lake was not asked (--lake-regions none)",
    );
  } else if (options.lake !== "all" && scanned.some((r) => r !== home)) {
    markCoverage(
      inventory,
      "eventDataStores",
      "partial",
      `CloudTrail Lake event data stores are listed in the home region ${home} only (--lake-regions all lists every region)`,
    );
  }

  await enrich(clients, ctx, inventory, log);
  return inventory;
}

/** Reads, once each, the buckets, keys, log groups and topics the trails point at, and links the trails to them. */
async function enrich(
  clients: AwsClients,
  ctx: AccountContext,
  inventory: AccountInventory,
  log: ErrorLog,
): Promise<void> {
  const home = clients.homeRegion;
  const buckets = new Set<string>();
  const keys = new Map<string, string>();
  const groups = new Map<string, string>();
  const topics = new Map<string, string>();
  for (const t of inventory.trails) {
    const region = typeof t.homeRegion === "string" ? t.homeRegion : home;
    if (typeof t.s3BucketName === "string" && t.s3BucketName) buckets.add(t.s3BucketName);
    if (typeof t.kmsKeyId === "string" && t.kmsKeyId) keys.set(t.kmsKeyId, region);
    if (typeof t.cloudWatchLogsLogGroupArn === "string" && t.cloudWatchLogsLogGroupArn) {
      groups.set(t.cloudWatchLogsLogGroupArn, region);
    }
    if (typeof t.snsTopic === "string" && t.snsTopic) topics.set(t.snsTopic, region);
  }

  const readBuckets = async () => {
    if (buckets.size === 0) return [];
    const [owned, accountBlock] = await Promise.all([
      listOwnedBuckets(clients, home),
      askAccountPublicAccessBlock(clients, ctx, log),
    ]);
    if (owned.failure) {
      log.warn(`S3 (${home}): ${owned.failure}; bucket ownership not known, buckets are read as if owned`);
    }
    return Promise.all([...buckets].map((name) => collectBucket(clients, ctx, name, owned, accountBlock)));
  };
  // The log groups lead to their metric filters, those to the alarms on their metrics, and the alarms to the topics
  // they notify: read along with the trails' own topics.
  const monitoringChain = async () => {
    const groupResults = await Promise.all(
      [...groups].map(([arn, region]) => collectLogGroup(clients, ctx, region, arn)),
    );
    const monitoring = await collectMonitoring(
      clients,
      ctx,
      groupResults.map((r) => r.group),
      log,
    );
    for (const alarm of monitoring.alarms) {
      for (const action of isKnown(alarm.alarmActions) ? alarm.alarmActions : []) {
        if (parseArn(action)?.service === "sns" && !topics.has(action)) topics.set(action, home);
      }
    }
    const topicResults = await Promise.all(
      [...topics].map(([arn, region]) => collectTopic(clients, ctx, region, arn)),
    );
    return { groupResults, monitoring, topicResults };
  };
  const [bucketResults, keyResults, { groupResults, monitoring, topicResults }] = await Promise.all([
    readBuckets(),
    Promise.all([...keys].map(([ref, region]) => collectKey(clients, ctx, region, ref))),
    monitoringChain(),
  ]);
  for (const r of [...bucketResults, ...keyResults, ...groupResults, ...topicResults]) {
    append(log.errors, r.errors.errors);
  }
  for (const [list, coverage] of Object.entries(monitoring.coverage) as [ResourceListName, Coverage][]) {
    markCoverage(
      inventory,
      list,
      coverage.state as Exclude<CoverageState, "complete">,
      coverage.reason ?? "",
    );
  }

  const bucketByName = new Map(bucketResults.map((r) => [r.bucket.name as string, r.bucket.id]));
  const keyByRef = new Map([...keys.keys()].map((ref, i) => [ref, keyResults[i]?.key.id]));
  const groupByArn = new Map([...groups.keys()].map((arn, i) => [arn, groupResults[i]?.group.id]));
  for (const t of inventory.trails) {
    if (typeof t.s3BucketName === "string") t.links.bucket = bucketByName.get(t.s3BucketName);
    if (typeof t.kmsKeyId === "string") t.links.key = keyByRef.get(t.kmsKeyId);
    if (typeof t.cloudWatchLogsLogGroupArn === "string") {
      t.links.logGroup = groupByArn.get(t.cloudWatchLogsLogGroupArn);
    }
    if (typeof t.snsTopic === "string") t.links.topic = t.snsTopic;
    for (const k of Object.keys(t.links) as (keyof typeof t.links)[]) if (!t.links[k]) delete t.links[k];
  }
  append(
    inventory.buckets,
    bucketResults.map((r) => r.bucket),
  );
  append(inventory.keys, dedupe(keyResults.map((r) => r.key)));
  append(
    inventory.logGroups,
    groupResults.map((r) => r.group),
  );
  append(
    inventory.topics,
    topicResults.map((r) => r.topic),
  );
  append(inventory.metricFilters, monitoring.metricFilters);
  append(inventory.alarms, monitoring.alarms);
}

/** Two references (an alias and an ARN) may name one key: it is listed once. */
function dedupe<T extends { id: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.id) && seen.add(item.id));
}

/** The organization the account belongs to, mapped as an export's `describe-organization` is. */
async function readOrganization(
  clients: AwsClients,
  organizations: Sdk["organizations"],
  log: ErrorLog,
): Promise<Maybe<Organization | null>> {
  const answers = new LiveAnswers();
  answers.set(
    "describe-organization",
    "",
    await ask(
      "DescribeOrganization",
      () => clients.organizations().send(new organizations.DescribeOrganizationCommand({})),
      (reason) => log.warn(`AWS Organizations: ${reason}`),
    ),
  );
  answers.set("list-accounts", "", {
    kind: "absent",
    reason: "member accounts are not listed by a scan of one account",
  });
  return mapOrganization(answers);
}
