import type { AccountInventory, InputError } from "../model/index.js";

/** Where and how to read a live account; the front ends map their options onto this. */
export interface LiveInput {
  profile?: string;
  region?: string;
  regions: string[];
  /** Where to list CloudTrail Lake event data stores. */
  lakeRegions: "home" | "all" | "none";
}

export interface LiveRead {
  accounts: AccountInventory[];
  errors: InputError[];
}

/** Collects the live account; the AWS SDK is loaded here, only for --live. */
export async function readLive(options: LiveInput, version: string): Promise<LiveRead> {
  const { collectLive } = await import("../sources/aws/index.js");
  const result = await collectLive({
    profile: options.profile,
    region: options.region,
    regions: options.regions.length > 0 ? options.regions : undefined,
    lake: options.lakeRegions === "none" ? false : options.lakeRegions,
    version,
  });
  return { accounts: result.accounts, errors: result.errors };
}

/** The snapshot file's text for collected accounts (the snapshot writer is loaded here, only when needed). */
export async function snapshotText(accounts: AccountInventory[], version: string): Promise<string> {
  const { writeSnapshot } = await import("../sources/snapshot/index.js");
  return writeSnapshot(accounts, { generator: `trailguard/${version}` });
}
