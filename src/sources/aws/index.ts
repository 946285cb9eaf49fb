/**
 * The live AWS source. Importing this module loads nothing of the AWS SDK: `collectLive` does, on its first call,
 * so that a scan of templates never pays for it.
 */
import type { LiveOptions, LiveResult } from "./collect.js";
import type { OrganizationLiveOptions, OrganizationResult } from "./organization/collect.js";

export type { ApiCall } from "./clients.js";
export type { LiveOptions, LiveResult } from "./collect.js";
export { ORGANIZATION_IAM_ACTIONS } from "./organization/accounts.js";
export type {
  OrganizationLiveOptions,
  OrganizationOptions,
  OrganizationResult,
} from "./organization/collect.js";
export { parseShard, type Shard } from "./organization/shard.js";
export { IAM_ACTIONS, iamActionOf } from "./permissions.js";

/** Reads the AWS account the credentials belong to: trails, Lake stores, and what the trails point at. */
export async function collectLive(options: LiveOptions = {}): Promise<LiveResult> {
  const { collectLive: collect } = await import("./collect.js");
  return collect(options);
}

/** Reads the calling account and every selected member account of its organization (through an assumed role). */
export async function collectOrganization(options: OrganizationLiveOptions): Promise<OrganizationResult> {
  const { collectOrganization: collect } = await import("./organization/collect.js");
  return collect(options);
}
