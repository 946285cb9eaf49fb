import { createHash } from "node:crypto";

/** One of `count` disjoint parts of the organization's accounts; `index` counts from 1. */
export interface Shard {
  index: number;
  count: number;
}

/** `2/3` → the second of three shards; undefined when the text is not `i/n` with 1 ≤ i ≤ n. */
export function parseShard(text: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}

/**
 * Whether the account belongs to the shard. The part depends on the account id alone (a hash of it), so an account
 * stays in its shard when others join or leave the organization.
 */
export function inShard(accountId: string, shard: Shard): boolean {
  const hash = createHash("sha256").update(accountId).digest();
  return (hash.readUInt32BE(0) % shard.count) + 1 === shard.index;
}
