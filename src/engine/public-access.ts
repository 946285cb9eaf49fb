import type { Bucket, Maybe, PublicAccessBlock } from "../model/index.js";
import { isUnknown, type Unknown } from "../model/index.js";

const FLAGS = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"] as const;

/**
 * The Block Public Access settings S3 applies to a bucket: each one is on when the bucket or its account turns it on
 * (S3 applies the most restrictive combination). An unreadable side leaves a flag the other side does not turn on
 * unknown; a side with no settings (`null`) turns nothing on.
 */
export function effectivePublicAccessBlock(bucket: Bucket): Maybe<PublicAccessBlock> {
  const sides = [bucket.publicAccessBlock, bucket.accountPublicAccessBlock];
  const out = {} as PublicAccessBlock;
  for (const flag of FLAGS) {
    let undecided: Unknown | undefined;
    let on = false;
    for (const side of sides) {
      if (side === null) continue;
      const value = isUnknown(side) ? side : side[flag];
      if (value === true) on = true;
      else if (isUnknown(value)) undecided ??= value;
    }
    out[flag] = on ? true : (undecided ?? false);
  }
  return out;
}
