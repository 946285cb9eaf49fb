/** One of `count` disjoint parts of the organization's accounts; `index` counts from 1. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * `2/3` → the second of three shards; undefined when the text is not `i/n` with 1 ≤ i ≤ n. The command line parses
 * it before any scan, so this module imports nothing (which account a shard holds is in shard-members.ts).
 */
export function parseShard(text: string): Shard | undefined {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (!Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) return undefined;
  return { index, count };
}
