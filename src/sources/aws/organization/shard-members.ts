import { createHash } from "node:crypto";
import type { Shard } from "./shard.js";

/**
 * Whether the account belongs to the shard. The part depends on the account id alone (a hash of it), so an account
 * stays in its shard when others join or leave the organization.
 */
export function inShard(accountId: string, shard: Shard): boolean {
  const hash = createHash("sha256").update(accountId).digest();
  return (hash.readUInt32BE(0) % shard.count) + 1 === shard.index;
}
