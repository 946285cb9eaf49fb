import { describe, expect, test } from "vitest";
import { answer, collectAwsShaped } from "./aws-shaped.js";
import { findingsOf, verdictsFor } from "./helpers.js";

const MANAGEMENT = "arn:aws:cloudtrail:us-east-1:123456789012:trail/management";

/** AWS behaviour that moto does not show, from AWS-shaped answers with one operation changed per test. */
describe("Insights selectors", () => {
  const withCategories = (categories: string[] | undefined) => () => ({
    TrailARN: MANAGEMENT,
    InsightSelectors: ["ApiCallRateInsight", "ApiErrorRateInsight"].map((InsightType) => ({
      InsightType,
      ...(categories ? { EventCategories: categories } : {}),
    })),
  });

  test("Insights on data events only do not pass trail.insights, which is about management events", async () => {
    const result = await collectAwsShaped({ GetInsightSelectors: withCategories(["Data"]) });
    const trail = result.accounts[0]?.trails.find((t) => t.id === MANAGEMENT);
    expect(trail?.insightTypes).toEqual([]);
    expect(verdictsFor(findingsOf(result.accounts), MANAGEMENT)["trail.insights"]).toBe("fail");
  });

  test.each([[["Management", "Data"]], [undefined]])(
    "EventCategories %j are management events",
    async (categories) => {
      const result = await collectAwsShaped({ GetInsightSelectors: withCategories(categories) });
      expect(verdictsFor(findingsOf(result.accounts), MANAGEMENT)["trail.insights"]).toBe("pass");
    },
  );
});

describe("ListBuckets", () => {
  test("is paged with MaxBuckets, and the regions it gives save GetBucketLocation", async () => {
    const pages: Record<string, unknown>[] = [];
    const listed = answer("ListBuckets", "us-east-1") as { Buckets: { Name: string }[]; Owner: unknown };
    const result = await collectAwsShaped({
      ListBuckets: (input) => {
        pages.push(input);
        // Two pages: the trail's bucket is on the second one.
        return input.ContinuationToken
          ? { Buckets: listed.Buckets.slice(0, 1), Owner: listed.Owner }
          : { Buckets: listed.Buckets.slice(1), Owner: listed.Owner, ContinuationToken: "page-2" };
      },
    });
    expect(pages.map((p) => [typeof p.MaxBuckets, p.ContinuationToken])).toEqual([
      ["number", undefined],
      ["number", "page-2"],
    ]);
    expect(result.apiCalls.some((c) => c.operation === "GetBucketLocation")).toBe(false);
    expect(result.accounts[0]?.buckets[0]?.accountId).toBe("123456789012");
  });
});
