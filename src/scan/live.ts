import type { AccountInventory, InputError } from "../model/index.js";
import type { ProgressListener } from "../sources/aws/organization/progress.js";

/** Where and how to read a live account; the front ends map their options onto this. */
export interface LiveInput {
  profile?: string;
  region?: string;
  regions: string[];
  /** Where to list CloudTrail Lake event data stores. */
  lakeRegions: "home" | "all" | "none";
  /** Calls in flight at once (over every account of an organization scan). */
  concurrency?: number;
  /** Read every account of the organization, not only the calling one. */
  org?: OrganizationInput;
}

/** Which member accounts an organization scan reads, and how it enters them. */
export interface OrganizationInput {
  /** The role assumed in each member (default `OrganizationAccountAccessRole`). */
  roleName?: string;
  externalId?: string;
  accounts?: string[];
  excludeAccounts?: string[];
  /** Organizational units (or roots) whose accounts, at any depth, are read. */
  ous?: string[];
  /** Time one member may take, in seconds. */
  accountTimeoutSeconds?: number;
  /** Only the accounts of shard `index` of `count` (stable: by a hash of the account id). */
  shard?: { index: number; count: number };
  /** Told when the accounts are listed and as each is read. */
  onProgress?: ProgressListener;
}

export interface LiveRead {
  accounts: AccountInventory[];
  errors: InputError[];
  /** Accounts read only as context for others (outside the shard): their own findings are left out. */
  contextOnly?: string[];
}

/** Collects the live account; the AWS SDK is loaded here, only for --live. */
export async function readLive(options: LiveInput, version: string): Promise<LiveRead> {
  const aws = await import("../sources/aws/index.js");
  const live = {
    profile: options.profile,
    region: options.region,
    regions: options.regions.length > 0 ? options.regions : undefined,
    lake: options.lakeRegions === "none" ? (false as const) : options.lakeRegions,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    version,
  };
  const org = options.org;
  const result: { accounts: AccountInventory[]; errors: InputError[]; contextOnly?: string[] } = org
    ? await aws.collectOrganization({
        ...live,
        organization: {
          roleName: org.roleName,
          externalId: org.externalId,
          accounts: org.accounts,
          excludeAccounts: org.excludeAccounts,
          ous: org.ous,
          ...(org.accountTimeoutSeconds ? { accountTimeoutMs: org.accountTimeoutSeconds * 1000 } : {}),
          ...(org.shard ? { shard: org.shard } : {}),
          ...(org.onProgress ? { onProgress: org.onProgress } : {}),
        },
      })
    : await aws.collectLive(live);
  return {
    accounts: result.accounts,
    errors: result.errors,
    ...(result.contextOnly ? { contextOnly: result.contextOnly } : {}),
  };
}

/** The snapshot file's text for collected accounts (the snapshot writer is loaded here, only when needed). */
export async function snapshotText(accounts: AccountInventory[], version: string): Promise<string> {
  const { writeSnapshot } = await import("../sources/snapshot/index.js");
  return writeSnapshot(accounts, { generator: `trailguard/${version}` });
}
