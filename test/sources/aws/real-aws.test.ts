import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, test } from "vitest";
import { readSnapshot, writeSnapshot } from "../../../src/sources/snapshot/index.js";
import { REPO_ROOT } from "../../support/paths.js";
import { answer, awsError, collectAwsShaped } from "./aws-shaped.js";
import { comparable, findingsOf, verdictsFor } from "./helpers.js";

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

const BUCKET = "arn:aws:s3:::management-trail-logs";
const noBucketBlock = () => {
  throw awsError(
    "NoSuchPublicAccessBlockConfiguration",
    "The public access block configuration was not found",
    404,
  );
};

describe("account-level S3 Block Public Access", () => {
  const verdict = async (overrides: Parameters<typeof collectAwsShaped>[0]) => {
    const result = await collectAwsShaped(overrides);
    return verdictsFor(findingsOf(result.accounts), BUCKET)["bucket.public-access-blocked"];
  };

  test("a bucket without its own block passes where the account blocks public access", async () => {
    expect(await verdict({ GetPublicAccessBlock: noBucketBlock })).toBe("pass");
  });

  test("it fails where neither the bucket nor the account blocks", async () => {
    expect(
      await verdict({ GetPublicAccessBlock: noBucketBlock, "s3control:GetPublicAccessBlock": noBucketBlock }),
    ).toBe("fail");
  });

  test("one flag off on both sides fails; on either side it is enough", async () => {
    const flags = (restrict: boolean) => () => ({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: restrict,
      },
    });
    expect(
      await verdict({ GetPublicAccessBlock: flags(false), "s3control:GetPublicAccessBlock": flags(false) }),
    ).toBe("fail");
    expect(
      await verdict({ GetPublicAccessBlock: flags(false), "s3control:GetPublicAccessBlock": flags(true) }),
    ).toBe("pass");
  });

  test("an unreadable account setting is unknown, with the error, where the bucket does not block itself", async () => {
    const result = await collectAwsShaped({
      GetPublicAccessBlock: noBucketBlock,
      "s3control:GetPublicAccessBlock": () => {
        throw awsError("AccessDenied", "Access Denied");
      },
    });
    const finding = findingsOf(result.accounts).find(
      (f) => f.resource.address === BUCKET && f.ruleId === "bucket.public-access-blocked",
    );
    expect(finding?.status).toBe("unknown");
    expect(finding?.unknowns.map((u) => u.reason).join()).toMatch(
      /GetAccountPublicAccessBlock: AccessDenied/,
    );
    expect(result.apiCalls.filter((c) => c.service === "s3control")).toHaveLength(1);
  });
});

describe("GetBucketPolicyStatus", () => {
  test("a policy AWS deems public fails, though no statement is open to everyone without conditions", async () => {
    const result = await collectAwsShaped({
      GetBucketPolicyStatus: () => ({ PolicyStatus: { IsPublic: true } }),
    });
    expect(result.accounts[0]?.buckets[0]?.policyIsPublic).toBe(true);
    expect(verdictsFor(findingsOf(result.accounts), BUCKET)["bucket.public-access-blocked"]).toBe("fail");
  });

  test("an answer without IsPublic is no verdict: the policy's statements are judged", async () => {
    const result = await collectAwsShaped({ GetBucketPolicyStatus: () => ({ PolicyStatus: {} }) });
    expect(result.accounts[0]?.buckets[0]?.policyIsPublic).toBeNull();
    expect(verdictsFor(findingsOf(result.accounts), BUCKET)["bucket.public-access-blocked"]).toBe("pass");
  });

  test("without a policy there is no verdict to read", async () => {
    const result = await collectAwsShaped({
      GetBucketPolicyStatus: () => {
        throw awsError("NoSuchBucketPolicy", "The bucket policy does not exist", 404);
      },
    });
    expect(result.accounts[0]?.buckets[0]?.policyIsPublic).toBeNull();
  });
});

describe("the trails' monitoring chain", () => {
  test("metric filters of the trails' log groups, the alarms on their metrics, and the topics they notify", async () => {
    const result = await collectAwsShaped();
    const account = result.accounts[0];
    expect(account?.metricFilters.map((f) => [f.name, f.links.logGroup])).toEqual([
      ["root-usage", "arn:aws:logs:us-east-1:123456789012:log-group:management-trail"],
    ]);
    // The EC2 alarm watches no metric of the filters: not listed.
    expect(account?.alarms).toHaveLength(1);
    expect(account?.alarms[0]).toMatchObject({
      name: "root-usage",
      metricName: "RootUsage",
      namespace: "CISBenchmark",
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      threshold: 1,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
      actionsEnabled: true,
      alarmActions: ["arn:aws:sns:us-east-1:123456789012:security-alerts"],
    });
    expect(account?.topics.map((t) => t.id).sort()).toEqual([
      "arn:aws:sns:us-east-1:123456789012:security-alerts",
      "arn:aws:sns:us-east-1:123456789012:trail-deliveries",
    ]);
    expect(account?.coverage.metricFilters).toEqual({ state: "complete" });
    expect(account?.coverage.alarms).toEqual({ state: "complete" });
  });

  test("an email subscription pending confirmation is not a confirmed subscriber", async () => {
    const result = await collectAwsShaped();
    const topic = result.accounts[0]?.topics.find((t) => t.id.endsWith(":trail-deliveries"));
    expect(topic?.subscriptions).toEqual([
      { protocol: "email", endpoint: "security@example.com", confirmed: true },
      { protocol: "email", endpoint: "oncall@example.com", confirmed: false },
    ]);
  });

  test.each([
    ["DescribeMetricFilters", "metricFilters"],
    ["DescribeAlarms", "alarms"],
  ])("%s refused: the list says it was not collected, and why", async (operation, list) => {
    const result = await collectAwsShaped({
      [operation]: () => {
        throw awsError("AccessDenied", "not allowed");
      },
    });
    const coverage = result.accounts[0]?.coverage[list as "alarms"];
    expect(coverage?.state).toBe("not-collected");
    expect(coverage?.reason).toMatch(new RegExp(`${operation}: AccessDenied`));
    expect(result.errors.map((e) => e.message).join("\n")).toMatch(new RegExp(`${operation}: AccessDenied`));
  });

  test("the calls do not depend on the number of regions", async () => {
    const count = async (regions: string[]) =>
      (await collectAwsShaped({}, { regions })).apiCalls.filter((c) =>
        ["DescribeMetricFilters", "DescribeAlarms", "ListSubscriptionsByTopic"].includes(c.operation),
      ).length;
    expect(await count(["us-east-1"])).toBe(await count(["us-east-1", "eu-west-1"]));
  });
});

describe("a DescribeTrails answer without IncludeGlobalServiceEvents", () => {
  test("is unknown, as in an export, not false", async () => {
    const described = answer("DescribeTrails", "us-east-1") as { trailList: Record<string, unknown>[] };
    for (const t of described.trailList) delete t.IncludeGlobalServiceEvents;
    const result = await collectAwsShaped({ DescribeTrails: () => described });
    const trail = result.accounts[0]?.trails.find((t) => t.id === MANAGEMENT);
    expect(trail?.includeGlobalServiceEvents).toMatchObject({
      reason: "IncludeGlobalServiceEvents is missing from the DescribeTrails answer",
    });
    expect(verdictsFor(findingsOf(result.accounts), MANAGEMENT)["trail.global-service-events"]).toBe(
      "unknown",
    );
  });
});

describe("the new fields in snapshots", () => {
  test("account Block Public Access, policy verdict, alarm settings and subscriptions validate and read back", async () => {
    const result = await collectAwsShaped();
    const text = writeSnapshot(result.accounts, { generator: "trailguard/test" });
    const validate = new Ajv({ allErrors: true, strict: false }).compile(
      JSON.parse(readFileSync(`${REPO_ROOT}/policies/schema/snapshot.schema.json`, "utf8")),
    );
    validate(JSON.parse(text));
    expect(validate.errors ?? []).toEqual([]);
    const read = readSnapshot({ path: "s.json", absolutePath: `${REPO_ROOT}/s.json`, text });
    expect(read?.errors).toEqual([]);
    const [before] = result.accounts;
    const [after] = read?.accounts ?? [];
    expect(after?.buckets[0]?.accountPublicAccessBlock).toEqual(before?.buckets[0]?.accountPublicAccessBlock);
    expect(after?.buckets[0]?.policyIsPublic).toBe(false);
    expect(after?.alarms[0]).toMatchObject({
      statistic: "Sum",
      period: 300,
      treatMissingData: "notBreaching",
    });
    expect(
      after?.topics.flatMap((t) => (Array.isArray(t.subscriptions) ? t.subscriptions : [])),
    ).toContainEqual({
      protocol: "email",
      endpoint: "oncall@example.com",
      confirmed: false,
    });
    expect(comparable(findingsOf(read?.accounts ?? []))).toEqual(comparable(findingsOf(result.accounts)));
  }, 30_000);
});
