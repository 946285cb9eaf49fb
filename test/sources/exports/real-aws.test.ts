import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import type { Trail } from "../../../src/model/index.js";
import { readExport, unknownReasons, verdicts } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "trailguard-export-aws-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let count = 0;

/** Writes the files (name → object written as the CLI would) into a fresh folder `acct`. */
function folder(files: Record<string, unknown>): string {
  const dir = join(work, `case${++count}`, "acct");
  for (const [name, content] of Object.entries(files)) {
    if (content === undefined) continue;
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === "string" ? content : `${JSON.stringify(content, null, 4)}\n`);
  }
  return dir;
}

const OWN = "123456789012";
const MANAGEMENT = "999999999999";
const ARN = `arn:aws:cloudtrail:us-east-1:${OWN}:trail/main`;
const trailEntry = (extra: Record<string, unknown> = {}) => ({
  Name: "main",
  S3BucketName: "logs",
  IncludeGlobalServiceEvents: true,
  IsMultiRegionTrail: true,
  HomeRegion: "us-east-1",
  TrailARN: ARN,
  LogFileValidationEnabled: true,
  HasCustomEventSelectors: false,
  HasInsightSelectors: true,
  IsOrganizationTrail: false,
  ...extra,
});
const caller = { UserId: "AIDAEXAMPLE", Account: OWN, Arn: `arn:aws:iam::${OWN}:user/a` };

describe("Insights selectors' event categories", () => {
  const insights = (categories?: string[]) => ({
    "get-caller-identity.json": caller,
    "describe-trails.json": { trailList: [trailEntry()] },
    "get-trail-status.main.json": { IsLogging: true },
    "get-insight-selectors.main.json": {
      TrailARN: ARN,
      InsightSelectors: ["ApiCallRateInsight", "ApiErrorRateInsight"].map((InsightType) => ({
        InsightType,
        ...(categories ? { EventCategories: categories } : {}),
      })),
    },
  });

  test("Insights on data events only do not pass trail.insights", () => {
    const read = readExport(folder(insights(["Data"])));
    expect((read.account.trails[0] as Trail).insightTypes).toEqual([]);
    expect(verdicts(read.findings, "trail.insights")).toEqual({ main: "fail" });
  });

  test.each([[["Data", "Management"]], [undefined]])("EventCategories %j count", (categories) => {
    const read = readExport(folder(insights(categories)));
    expect(verdicts(read.findings, "trail.insights")).toEqual({ main: "pass" });
  });
});

describe("log groups and topics are linked by ARN", () => {
  const groupArn = (account: string) => `arn:aws:logs:us-east-1:${account}:log-group:org-trail:*`;
  const topicArn = (account: string) => `arn:aws:sns:us-east-1:${account}:org-trail`;
  const exportWith = (account: string) =>
    folder({
      "get-caller-identity.json": caller,
      "describe-trails.json": {
        trailList: [
          trailEntry({
            HasInsightSelectors: false,
            IsOrganizationTrail: account === MANAGEMENT,
            TrailARN: `arn:aws:cloudtrail:us-east-1:${account}:trail/main`,
            CloudWatchLogsLogGroupArn: groupArn(account),
            SnsTopicARN: topicArn(account),
          }),
        ],
      },
      "get-trail-status.main.json": { IsLogging: true },
      // The member's own group and topic, named like the organization's.
      "describe-log-groups.json": {
        logGroups: [{ logGroupName: "org-trail", arn: groupArn(OWN), retentionInDays: 7 }],
      },
      "list-topics.json": { Topics: [{ TopicArn: topicArn(OWN) }] },
    });

  test("an organization trail's log group and topic in another account are not the member's namesakes", () => {
    const read = readExport(exportWith(MANAGEMENT));
    const trail = read.account.trails[0] as Trail;
    expect(trail.links.logGroup).toBeUndefined();
    expect(trail.links.topic).toBeUndefined();
    // The member's group is not a trail's, so its retention is not judged; the trail's log group rules are unknown.
    expect(verdicts(read.findings, "log-group.retention")).toEqual({ "org-trail": "not-applicable" });
    expect(verdicts(read.findings, "log-group.kms")).toEqual({ "org-trail": "not-applicable" });
  });

  test("the same names in the account's own ARNs link", () => {
    const read = readExport(exportWith(OWN));
    const trail = read.account.trails[0] as Trail;
    expect(trail.links.logGroup).toBe(groupArn(OWN).replace(/:\*$/, ""));
    expect(trail.links.topic).toBe(topicArn(OWN));
    expect(verdicts(read.findings, "log-group.retention")).toEqual({ "org-trail": "fail" });
  });
});

describe("account-level S3 Block Public Access and AWS's policy verdict", () => {
  const flags = (on: boolean) => ({
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: on,
      IgnorePublicAcls: on,
      BlockPublicPolicy: on,
      RestrictPublicBuckets: on,
    },
  });
  const policy = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: "arn:aws:s3:::logs/*",
      },
    ],
  });
  const account = (files: Record<string, unknown>) =>
    readExport(
      folder({
        "get-caller-identity.json": caller,
        "describe-trails.json": { trailList: [trailEntry({ HasInsightSelectors: false })] },
        "get-trail-status.main.json": { IsLogging: true },
        "list-buckets.json": { Buckets: [{ Name: "logs" }], Owner: { ID: "abc" } },
        "get-public-access-block.logs.error.txt": "NoSuchPublicAccessBlockConfiguration\n",
        "get-bucket-policy.logs.json": { Policy: policy },
        "get-bucket-acl.logs.json": { Owner: { ID: "abc" }, Grants: [] },
        ...files,
      }),
    );
  const verdict = (files: Record<string, unknown>) =>
    verdicts(account(files).findings, "bucket.public-access-blocked").logs;

  test("a bucket without its own block passes where the account blocks public access", () => {
    expect(
      verdict({
        "s3control-get-public-access-block.json": flags(true),
        "get-bucket-policy-status.logs.json": { PolicyStatus: { IsPublic: false } },
      }),
    ).toBe("pass");
  });

  test("it fails where the account has no block either", () => {
    expect(
      verdict({
        "s3control-get-public-access-block.error.txt": "NoSuchPublicAccessBlockConfiguration\n",
        "get-bucket-policy-status.logs.json": { PolicyStatus: { IsPublic: false } },
      }),
    ).toBe("fail");
  });

  test("without the account's settings it is unknown, naming the file", () => {
    const read = account({ "get-bucket-policy-status.logs.json": { PolicyStatus: { IsPublic: false } } });
    expect(verdicts(read.findings, "bucket.public-access-blocked").logs).toBe("unknown");
    expect(unknownReasons(read.findings, "bucket.public-access-blocked")).toMatch(
      /s3control-get-public-access-block\.json/,
    );
  });

  test("a policy AWS deems public fails", () => {
    expect(
      verdict({
        "s3control-get-public-access-block.json": flags(true),
        "get-bucket-policy-status.logs.json": { PolicyStatus: { IsPublic: true } },
      }),
    ).toBe("fail");
  });

  test("an answer without IsPublic (as emulators give) is no verdict: the policy's statements are judged", () => {
    expect(
      verdict({
        "s3control-get-public-access-block.json": flags(true),
        "get-bucket-policy-status.logs.json": { PolicyStatus: {} },
      }),
    ).toBe("pass");
  });

  test("a bucket without a policy needs no verdict", () => {
    const read = account({
      "get-bucket-policy.logs.json": undefined,
      "get-bucket-policy.logs.error.txt": "NoSuchBucketPolicy\n",
      "s3control-get-public-access-block.json": flags(true),
    });
    expect(read.account.buckets[0]?.policyIsPublic).toBeNull();
    expect(verdicts(read.findings, "bucket.public-access-blocked").logs).toBe("pass");
  });
});
