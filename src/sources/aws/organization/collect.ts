import type { AccountInventory, InputError, Organization } from "../../../model/index.js";
import {
  append,
  coverByOrganizationTrails,
  isUnknown,
  organizationTrailsOf,
  unreadableAccount,
} from "../../../model/index.js";
import {
  type AwsClients,
  createClients,
  createSharedAgents,
  DEFAULT_CONCURRENCY,
  endpointFlagsOf,
  type Sdk,
} from "../clients.js";
import { callerIdentity, collectAccount, type LiveOptions, type LiveResult } from "../collect.js";
import { describeError, ErrorLog } from "../errors.js";
import { createLimiter } from "../limit.js";
import { type AccountSelection, listMemberAccounts, type MemberAccount } from "./accounts.js";
import { assumeRoleProvider } from "./assume.js";
import { type EnteredAccount, readCentralBuckets } from "./central-buckets.js";
import type { ProgressListener } from "./progress.js";
import type { Shard } from "./shard.js";
import { inShard } from "./shard-members.js";

export const DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole";
/** Time one account may take, from AssumeRole (or, for the calling account, its first call) to its last call. */
export const DEFAULT_ACCOUNT_TIMEOUT_MS = 5 * 60 * 1000;

/** An organization-wide scan: the calling account, then every selected member through an assumed role. */
export interface OrganizationOptions extends AccountSelection {
  /** The role assumed in each member; `OrganizationAccountAccessRole` when absent. */
  roleName?: string;
  externalId?: string;
  /** Accounts read at once (their calls share the one limit of `concurrency` calls in flight). */
  accountConcurrency?: number;
  accountTimeoutMs?: number;
  /** Told when the accounts are listed and as each account is read. */
  onProgress?: ProgressListener;
  /** Only the accounts of this shard (by a hash of their id); the calling account is still read as context. */
  shard?: Shard;
}

export interface OrganizationLiveOptions extends LiveOptions {
  organization: OrganizationOptions;
}

export interface OrganizationResult extends LiveResult {
  /**
   * Accounts read only because others depend on them (the owner of the organization trail, outside the shard): their
   * own findings belong to another shard's report.
   */
  contextOnly: string[];
}

/**
 * Reads the calling account with its own credentials and each member account with the assumed role. Every call of
 * every account waits for one shared limiter, so the bound holds for the whole organization. A member that cannot be
 * entered (the role cannot be assumed, the account is suspended, it times out) is kept: an account whose every list
 * is not collected, with an `account-unreachable` error naming why, so its account rules are unknown.
 */
export async function collectOrganization(
  options: OrganizationLiveOptions,
  sdk?: Sdk,
): Promise<OrganizationResult> {
  const org = options.organization;
  const limiter = createLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
  const version = options.version ?? "0.0.0";
  const agents = createSharedAgents();
  const settings = {
    profile: options.profile,
    region: options.region,
    endpoint: options.endpoint,
    maxAttempts: options.maxAttempts,
    requestTimeoutMs: options.requestTimeoutMs,
    limiter,
    version,
    agents,
  };
  const caller = await createClients({ ...settings, credentials: options.credentials }, sdk);
  // The members' clients get the calling account's region and endpoint choices, resolved once here.
  const endpointFlags = await endpointFlagsOf(caller);
  const memberSettings = {
    ...settings,
    region: caller.homeRegion,
    ...(endpointFlags ? { endpointFlags } : {}),
  };
  const all: AwsClients[] = [caller];
  const errors: InputError[] = [];
  try {
    const callerLog = new ErrorLog();
    const listed = listMemberAccounts(caller, org);
    const identity = await callerIdentity(caller, callerLog);
    const callerId = identity?.accountId;
    const reportsCaller = callerId !== undefined && (org.shard === undefined || inShard(callerId, org.shard));
    const readCaller = async (): Promise<AccountInventory | undefined> => {
      if (!identity) return undefined;
      const timeoutMs = org.accountTimeoutMs ?? DEFAULT_ACCOUNT_TIMEOUT_MS;
      const log = new ErrorLog();
      const outcome = await withTimeout(collectAccount(caller, options, log, identity), timeoutMs);
      const failed = outcome === TIMED_OUT;
      if (reportsCaller) {
        org.onProgress?.({ type: "account", id: identity.accountId, name: "the calling account", failed });
      }
      if (failed) {
        // Its calls go on with the clients that list the organization and assume the roles; what they read is
        // dropped: an account read in part is not judged.
        const reason = `not read within ${timeoutMs / 1000} s (the account timeout)`;
        errors.push(unreachableError(identity.accountId, "the calling account", reason));
        return unreadableAccount(identity.accountId, identity.partition, reason);
      }
      append(callerLog.errors, log.errors);
      return outcome;
    };
    const [own, listing] = await Promise.all([readCaller(), listed]);
    append(errors, tagged(callerLog.errors, callerId));
    const accounts: AccountInventory[] = own ? [own] : [];
    if (!listing.ok) {
      errors.push({
        code: "aws-error",
        message: `AWS Organizations: ${listing.reason}; the organization's accounts could not be listed, only the calling account was read`,
        severity: "error",
        ...(callerId ? { account: callerId } : {}),
      });
      return result(accounts, errors, all, []);
    }
    reportUnlisted(org, listing.accounts, errors);
    const partition = identity?.partition ?? "aws";
    const orgTrails = own ? organizationTrailsOf(own) : [];
    // The members belong to the organization the calling account read: its answer stands for theirs.
    const organization = own?.organization && !isUnknown(own.organization) ? own.organization : undefined;
    const skipTrails = new Set(orgTrails.map((t) => t.id));
    const shard = org.shard;
    const members = listing.accounts.filter(
      (a) => a.id !== callerId && (shard === undefined || inShard(a.id, shard)),
    );
    const contextOnly = callerId && !reportsCaller ? [callerId] : [];
    org.onProgress?.({ type: "listed", total: members.length + (reportsCaller ? 1 : 0) });
    const accountLimiter = createLimiter(
      org.accountConcurrency ?? options.concurrency ?? DEFAULT_CONCURRENCY,
    );
    const read = await Promise.all(
      members.map((member) =>
        accountLimiter.run(async () => {
          const memberErrors: InputError[] = [];
          const inventory = await readMember(member, {
            caller,
            partition,
            options,
            settings: memberSettings,
            skipTrails,
            organization,
            errors: memberErrors,
            track: (c) => all.push(c),
          });
          append(errors, memberErrors);
          org.onProgress?.({
            type: "account",
            id: member.id,
            name: member.name,
            failed: memberErrors.some((e) => e.code === "account-unreachable"),
          });
          return inventory;
        }),
      ),
    );
    const entered: EnteredAccount[] = [
      ...(own ? [{ inventory: own, clients: caller, partition }] : []),
      ...read.flatMap((r) => (r.clients ? [{ inventory: r.inventory, clients: r.clients, partition }] : [])),
    ];
    await readCentralBuckets(entered, errors);
    for (const { inventory: member } of read) {
      if (own && member.completeAccount && member.coverage.trails.state !== "not-collected") {
        coverByOrganizationTrails(member, own);
      }
      accounts.push(member);
    }
    return result(accounts, errors, all, contextOnly);
  } finally {
    for (const clients of all) clients.destroy();
    agents.close();
  }
}

interface MemberContext {
  caller: AwsClients;
  partition: string;
  options: OrganizationLiveOptions;
  settings: Omit<Parameters<typeof createClients>[0], "credentials">;
  skipTrails: ReadonlySet<string>;
  organization: Organization | undefined;
  errors: InputError[];
  track(clients: AwsClients): void;
}

/** The member's inventory, and the clients that entered it (none when it could not be entered). */
interface MemberRead {
  inventory: AccountInventory;
  clients?: AwsClients;
}

async function readMember(member: MemberAccount, ctx: MemberContext): Promise<MemberRead> {
  const org = ctx.options.organization;
  const unreachable = (reason: string, severity: InputError["severity"] = "error") => {
    ctx.errors.push(unreachableError(member.id, member.name, reason, severity));
    return { inventory: unreadableAccount(member.id, ctx.partition, reason) };
  };
  if (member.state !== "ACTIVE") return unreachable(`the account is ${member.state}`, "warning");

  const roleArn = `arn:${ctx.partition}:iam::${member.id}:role/${org.roleName ?? DEFAULT_ROLE_NAME}`;
  const credentials = assumeRoleProvider(ctx.caller, {
    roleArn,
    ...(org.externalId ? { externalId: org.externalId } : {}),
  });
  try {
    await credentials();
  } catch (error) {
    return unreachable(`${describeError("AssumeRole", error)} (role ${roleArn})`);
  }
  const clients = await createClients({ ...ctx.settings, credentials }, ctx.caller.sdk);
  ctx.track(clients);
  const log = new ErrorLog();
  const timeoutMs = org.accountTimeoutMs ?? DEFAULT_ACCOUNT_TIMEOUT_MS;
  const options = {
    ...ctx.options,
    skipTrails: ctx.skipTrails,
    ...(ctx.organization ? { knownOrganization: ctx.organization } : {}),
  };
  // The role is the member's: the credentials AssumeRole gave are the member account's, no need to ask whose.
  const identity = { accountId: member.id, partition: ctx.partition };
  const outcome = await withTimeout(collectAccount(clients, options, log, identity), timeoutMs);
  // The SDK clients are let go at once, so memory does not grow with the accounts read; the few reads that come
  // later (a central bucket this account owns) create them again.
  clients.destroy();
  if (outcome === TIMED_OUT) {
    // What was read so far is incomplete: nothing of it is judged.
    return unreachable(`not read within ${timeoutMs / 1000} s (the account timeout)`);
  }
  append(ctx.errors, tagged(log.errors, member.id));
  return { inventory: outcome, clients };
}

function unreachableError(
  id: string,
  name: string,
  reason: string,
  severity: InputError["severity"] = "error",
): InputError {
  return {
    code: "account-unreachable",
    message: `account ${id} (${name}): ${reason}; its rules are unknown`,
    severity,
    account: id,
  };
}

const TIMED_OUT = Symbol("timed out");

/** The task's result, or TIMED_OUT when it takes longer than `ms` (the task itself is not stopped). */
async function withTimeout<T>(task: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([task, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ids asked for with `--accounts` that the organization does not list are named, not silently ignored. */
function reportUnlisted(org: OrganizationOptions, listed: MemberAccount[], errors: InputError[]): void {
  if (!org.accounts?.length) return;
  const have = new Set(listed.map((a) => a.id));
  for (const id of org.accounts) {
    if (have.has(id) || org.excludeAccounts?.includes(id)) continue;
    errors.push({
      code: "account-unreachable",
      message: `account ${id} was asked for but is not an account of the organization${org.ous?.length ? " under the selected OUs" : ""}`,
      severity: "error",
      account: id,
    });
  }
}

function tagged(errors: InputError[], account: string | undefined): InputError[] {
  return account ? errors.map((e) => ({ ...e, account: e.account ?? account })) : errors;
}

function result(
  accounts: AccountInventory[],
  errors: InputError[],
  clients: AwsClients[],
  contextOnly: string[],
): OrganizationResult {
  const apiCalls = clients.flatMap((c) => c.calls);
  const outside = new Set(contextOnly);
  return {
    accounts,
    // A problem of an account outside the shard is reported by that shard.
    errors: errors.filter((e) => e.account === undefined || !outside.has(e.account)),
    contextOnly,
    calls: apiCalls.length,
    attempts: clients.reduce((n, c) => n + c.attempts(), 0),
    apiCalls,
  };
}
