import { type AccountInventory, emptyAccount, markCoverage } from "./inventory.js";
import { RESOURCE_LISTS } from "./kinds.js";
import { linkAccount } from "./link.js";
import type { Resource, Trail } from "./resources.js";
import { trailUsage } from "./usage.js";
import { unknown } from "./value.js";

/**
 * An organization trail logs the activity of every account of its organization. AWS shows it in each member (its
 * ARN names the owning account), but its settings, bucket, key and log group belong to the owner. When the owner is
 * part of the same scan, each member holds the trail as shared (`sharedFrom`): account rules see it among the
 * member's trails (the member is covered), and rules about the trail itself are decided once, in the owner.
 */
export function organizationTrailsOf(owner: AccountInventory): Trail[] {
  const id = owner.accountId;
  if (typeof id !== "string") return [];
  return owner.trails.filter(
    (t) => t.isOrganizationTrail === true && t.accountId === id && t.sharedFrom === undefined,
  );
}

/**
 * Declares that `member` is covered by the organization trails of `owner`: any copy the member listed itself is
 * replaced by the owner's trail, held as shared, together with what the trail uses in the owner (its bucket, key,
 * log group, and the metric filters, alarms and topics watching that group), so that the member's account rules
 * follow the same chain as the owner's. Returns how many trails now cover the member.
 */
export function coverByOrganizationTrails(member: AccountInventory, owner: AccountInventory): number {
  const ownerId = owner.accountId;
  if (typeof ownerId !== "string" || member.accountId === ownerId) return 0;
  const trails = organizationTrailsOf(owner);
  if (trails.length === 0) return 0;
  linkAccount(owner);
  const ids = new Set(trails.map((t) => t.id));
  member.trails = member.trails.filter((t) => !ids.has(t.id));
  const used = trailUsage({ ...owner, trails }).used;
  const share = <R extends Resource>(resource: R): R => ({
    ...resource,
    suppressions: undefined,
    sharedFrom: ownerId,
  });
  for (const trail of trails) member.trails.push(share(trail));
  for (const list of RESOURCE_LISTS) {
    if (list === "trails") continue;
    const mine = member[list] as Resource[];
    const held = new Set(mine.map((r) => r.id));
    for (const resource of owner[list] as Resource[]) {
      if (used.has(resource.id) && !held.has(resource.id)) mine.push(share(resource));
    }
  }
  return trails.length;
}

/**
 * An account that could not be read at all (its role could not be assumed, it is suspended): every list is not
 * collected, with the reason, so every account rule is unknown for it, and nothing about it is assumed.
 */
export function unreadableAccount(accountId: string, partition: string, reason: string): AccountInventory {
  const account = emptyAccount(accountId, { address: `arn:${partition}:::account/${accountId}` }, true);
  account.accountId = accountId;
  account.regions = unknown(reason);
  account.organization = unknown(reason);
  for (const list of RESOURCE_LISTS) markCoverage(account, list, "not-collected", reason);
  return account;
}
