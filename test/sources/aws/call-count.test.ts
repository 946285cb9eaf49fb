import { afterAll, beforeAll, expect, test } from "vitest";
import { MOTO_START_TIMEOUT_MS, type Moto, startMoto } from "../../support/moto.js";
import { describeIf } from "../../support/requirements.js";
import { motoRequirement } from "../../support/scenario-accounts.js";
import { buildTrails, countPlan, type PlanCount } from "./plan.js";
import { type CountingProxy, startProxy } from "./proxy.js";

/**
 * Calls per account, counted at the endpoint (a proxy in front of moto): the trail discovery does not grow with the
 * number of regions R. ListTrails is account-wide and DescribeTrails takes every ARN at once, so the only calls
 * that scale with R are region discovery (one call, whatever R) and CloudTrail Lake's ListEventDataStores, which
 * lists one region's stores per call. A per-region design (DescribeTrails and three calls per visible trail in each
 * region) costs about 2 + R × (3 + 3V): 104 calls for R = 17 and one trail.
 */
// Its own moto_server: each count rebuilds the account from a reset emulator.
await describeIf(await motoRequirement(), "API calls per account", () => {
  let moto: Moto;
  let proxy: CountingProxy;
  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startProxy(moto.endpoint);
  }, MOTO_START_TIMEOUT_MS);
  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  /** DescribeTrails and 3 calls per visible trail in every region; single-region trails are seen in one only. */
  const perRegion = (regions: number, trails: number) => 2 + regions * (3 + 3) + 3 * (trails - 1);
  const counts: Record<string, PlanCount> = {};
  const run = async (trails: number, regions: number, lake: "home" | "all" | false = "home") => {
    const key = `${trails}/${regions}/${lake}`;
    counts[key] ??= await countPlan(proxy, trails, regions, lake);
    return counts[key];
  };

  for (const trails of [1, 3]) {
    test(`T = ${trails}: the call count does not depend on R (region discovery aside)`, async () => {
      await buildTrails(moto.endpoint, trails);
      const one = await run(trails, 1);
      const seventeen = await run(trails, 17);
      const everyRegionLake = await run(trails, 17, "all");
      console.log(
        `T=${trails}: R=1 → ${one.total} calls, R=17 → ${seventeen.total} calls ` +
          `(${seventeen.discovery} for region discovery); Lake listed in all 17 regions: ${everyRegionLake.total}; ` +
          `per-region design ≈ ${perRegion(17, trails)}`,
      );
      // Region discovery is one call whatever R (ListRegions returns the 17 in one page).
      expect(seventeen.discovery).toBe(one.discovery);
      expect(seventeen.discovery).toBe(1);
      // By default Lake is listed in the home region only: nothing at all depends on R.
      expect(seventeen.lake).toBe(1);
      expect(seventeen.total).toBe(one.total);
      // Asking every region for Lake stores costs one ListEventDataStores per region, nothing else.
      expect(everyRegionLake.lake).toBe(17);
      expect(everyRegionLake.total - seventeen.total).toBe(16);
      // The trail part: ListTrails, one DescribeTrails, one GetTrailStatus per trail.
      expect(seventeen.byOperation["cloudtrail:ListTrails"]).toBe(1);
      expect(seventeen.byOperation["cloudtrail:DescribeTrails"]).toBe(1);
      expect(seventeen.byOperation["cloudtrail:GetTrailStatus"]).toBe(trails);
      // The monitoring chain of the multi-region trail's log group: one call each, whatever R.
      const calls = (operation: string) =>
        Object.entries(seventeen.byOperation)
          .filter(([key]) => key.endsWith(operation))
          .reduce((n, [, v]) => n + v, 0);
      expect(calls("DescribeMetricFilters")).toBe(1);
      expect(calls("DescribeAlarms")).toBe(1);
      expect(calls("ListSubscriptionsByTopic")).toBe(1);
      expect(seventeen.total).toBeLessThan(perRegion(17, trails) / 2);
    }, 60_000);
  }

  test("each further trail costs one GetTrailStatus (same bucket, default selectors)", async () => {
    const t1 = counts["1/17/home"];
    const t3 = counts["3/17/home"];
    expect(t1 && t3).toBeTruthy();
    if (t1 && t3) expect(t3.total - t1.total).toBe(2);
  });
});
