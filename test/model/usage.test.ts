import { describe, expect, test } from "vitest";
import { type Bucket, type Trail, trailUsage, unknown } from "../../src/model/index.js";
import { account, bucket, trail } from "../support/builders.js";

/** A trail whose bucket cannot be told, declared in `unit` (undefined: the account as a whole). */
function blindTrail(name: string, unit: string | undefined): Trail {
  const t = trail({ name, s3BucketName: unknown("an !ImportValue") });
  return { ...t, origin: { ...t.origin, unit } };
}

/** A bucket whose policy is unknown, so that it may be CloudTrail's. */
function bucketIn(name: string, unit: string | undefined): Bucket {
  const b = bucket({ name, policy: unknown("a parameter") });
  return { ...b, origin: { ...b.origin, unit } };
}

describe("buckets a trail may use when its bucket cannot be told", () => {
  test("are those of its own unit and those of the account as a whole, not those of other units", () => {
    const buckets = [
      bucketIn("a1", "a"),
      bucketIn("b1", "b"),
      bucketIn("shared", undefined),
      bucketIn("a2", "a"),
    ];
    const usage = trailUsage(account({ trails: [blindTrail("ta", "a")], buckets }));
    expect([...usage.maybe.keys()].sort()).toEqual(["bucket:a1", "bucket:a2", "bucket:shared"]);
    expect(usage.maybe.get("bucket:a1")?.reason).toMatch(/trail test\.yaml#ta points at .*an !ImportValue/);
  });

  test("are every bucket for a trail of the account as a whole, and each unit's for many trails", () => {
    const buckets = Array.from({ length: 30 }, (_, i) => bucketIn(`b${i}`, `u${i % 10}`));
    const units = trailUsage(
      account({ trails: Array.from({ length: 5 }, (_, i) => blindTrail(`t${i}`, `u${i}`)), buckets }),
    );
    expect(units.maybe.size).toBe(15);
    expect(units.maybe.get("bucket:b13")?.reason).toMatch(/#t3 /);
    expect(units.maybe.has("bucket:b17")).toBe(false);
    const whole = trailUsage(account({ trails: [blindTrail("all", undefined)], buckets }));
    expect(whole.maybe.size).toBe(30);
  });
});
