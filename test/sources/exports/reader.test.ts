import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { isUnknown, type Trail } from "../../../src/model/index.js";
import { groupReaders } from "../../../src/scan/readers.js";
import { scan } from "../../../src/scan/scan.js";
import { parseExportFileName } from "../../../src/sources/aws-api/commands.js";
import { awsCliExportsReader } from "../../../src/sources/exports/index.js";
import { LocatedJson } from "../../../src/sources/json.js";
import { BUILT_IN_POLICIES } from "../../support/evaluate.js";
import { FIXTURES, readExport, unknownReasons, verdicts } from "./helpers.js";

const work = mkdtempSync(join(tmpdir(), "trailguard-export-unit-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let count = 0;

/** Writes the files (name → text, or an object written as the CLI would) into a fresh folder `acct`. */
function folder(files: Record<string, unknown>): string {
  const dir = join(work, `case${++count}`, "acct");
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, typeof content === "string" ? content : `${JSON.stringify(content, null, 4)}\n`);
  }
  return dir;
}

const ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/main";
const trailEntry = (extra: Record<string, unknown> = {}) => ({
  Name: "main",
  S3BucketName: "logs",
  IncludeGlobalServiceEvents: true,
  IsMultiRegionTrail: true,
  HomeRegion: "us-east-1",
  TrailARN: ARN,
  LogFileValidationEnabled: true,
  HasCustomEventSelectors: true,
  HasInsightSelectors: true,
  IsOrganizationTrail: false,
  ...extra,
});
const describeTrails = (extra: Record<string, unknown> = {}) => ({ trailList: [trailEntry(extra)] });
const caller = { UserId: "AIDAEXAMPLE", Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/a" };

function reasonOf(value: unknown): string {
  return isUnknown(value) ? value.reason : `known: ${JSON.stringify(value)}`;
}

describe("file names", () => {
  test.each([
    ["describe-trails.json", "describe-trails", "", "json"],
    ["get-trail-status.main.json", "get-trail-status", "main", "json"],
    ["get-bucket-policy.logs.example.com.json", "get-bucket-policy", "logs.example.com", "json"],
    ["get-bucket-policy.logs.example.com.error.txt", "get-bucket-policy", "logs.example.com", "error"],
    ["list-subscriptions-by-topic.alerts.json", "list-subscriptions-by-topic", "alerts", "json"],
    ["list-subscriptions.json", "list-subscriptions", "", "json"],
  ])("%s", (name, command, id, form) => {
    expect(parseExportFileName(name)).toMatchObject({ command: { name: command }, id, form });
  });

  test.each(["template.json", "describe-trails.yaml", "get-trail-status.json", "describe-trails.extra.json"])(
    "%s is not an export name",
    (name) => {
      expect(parseExportFileName(name)).toBeUndefined();
    },
  );
});

describe("missing files are Unknown, naming the file that would have told", () => {
  const dir = folder({
    "get-caller-identity.json": caller,
    "describe-trails.json": describeTrails(),
    "list-buckets.json": {
      Buckets: [{ Name: "logs", CreationDate: "2025-01-01T00:00:00Z" }],
      Owner: { ID: "x" },
    },
  });
  const read = readExport(dir);
  const trail = read.account.trails[0] as Trail;
  const bucket = read.account.buckets[0];

  test.each([
    ["trail.isLogging", () => trail.isLogging, "acct/get-trail-status.main.json not in the export"],
    [
      "trail.eventSelectors",
      () => trail.eventSelectors,
      "acct/get-event-selectors.main.json not in the export",
    ],
    [
      "trail.insightTypes",
      () => trail.insightTypes,
      "acct/get-insight-selectors.main.json not in the export",
    ],
    ["bucket.policy", () => bucket?.policy, "acct/get-bucket-policy.logs.json not in the export"],
    ["bucket.versioning", () => bucket?.versioning, "acct/get-bucket-versioning.logs.json not in the export"],
    ["bucket.region", () => bucket?.region, "acct/get-bucket-location.logs.json not in the export"],
    ["organization", () => read.account.organization, "acct/describe-organization.json not in the export"],
  ])("%s", (_field, value, reason) => {
    expect(reasonOf(value())).toBe(reason);
  });

  test("rules that need them are unknown, not pass, and say which file", () => {
    expect(verdicts(read.findings, "trail.logging")).toEqual({ main: "unknown" });
    expect(unknownReasons(read.findings, "trail.logging")).toContain(
      "get-trail-status.main.json not in the export",
    );
    expect(verdicts(read.findings, "bucket.public-access-blocked")).toEqual({ logs: "unknown" });
    expect(verdicts(read.findings, "trail.enabled")).toEqual({ account: "unknown" });
  });

  test("what describe-trails itself says is known", () => {
    expect(trail.isMultiRegionTrail).toBe(true);
    expect(trail.fieldLocations.isMultiRegionTrail).toMatchObject({
      file: "acct/describe-trails.json",
      line: 7,
    });
    expect(trail.origin).toMatchObject({
      address: ARN,
      location: { file: "acct/describe-trails.json", line: 3 },
    });
  });

  test("absent listings are one warning", () => {
    const warning = read.errors.find((e) => e.severity === "warning" && e.message.includes("list-keys.json"));
    expect(warning?.message).toMatch(/no list-keys\.json \(KMS keys\), describe-log-groups\.json/);
  });

  test("without custom selectors or Insights, describe-trails tells the default selector and no Insights", () => {
    const r = readExport(
      folder({
        "describe-trails.json": describeTrails({
          HasCustomEventSelectors: false,
          HasInsightSelectors: false,
        }),
      }),
    );
    const t = r.account.trails[0] as Trail;
    expect(t.eventSelectors).toBeNull();
    expect(t.advancedEventSelectors).toBeNull();
    expect(t.insightTypes).toEqual([]);
    expect(verdicts(r.findings, "trail.management-events")).toEqual({ main: "pass" });
  });

  test("without describe-trails, the trails are unknown and that is an error", () => {
    const r = readExport(folder({ "get-caller-identity.json": caller }));
    expect(r.account.completeAccount).toBe(false);
    expect(r.errors.find((e) => e.severity === "error")?.message).toMatch(
      /acct\/describe-trails\.json not in the export: the account's trails are unknown/,
    );
  });
});

describe("errors and unusable files", () => {
  test("a value of the wrong type is unknown and reported once, with file and line", () => {
    const r = readExport(
      folder({ "describe-trails.json": describeTrails({ IsMultiRegionTrail: "yes", HomeRegion: 5 }) }),
    );
    const t = r.account.trails[0] as Trail;
    expect(reasonOf(t.isMultiRegionTrail)).toBe(
      'IsMultiRegionTrail must be a boolean, got string "yes" (acct/describe-trails.json:7)',
    );
    expect(reasonOf(t.homeRegion)).toBe(
      "HomeRegion must be a string, got number 5 (acct/describe-trails.json:8)",
    );
    const warnings = r.errors.filter((e) => e.code === "export-mismatch");
    expect(warnings.map((e) => [e.file, e.line, e.severity]).sort()).toEqual([
      ["acct/describe-trails.json", 7, "warning"],
      ["acct/describe-trails.json", 8, "warning"],
    ]);
  });

  test("malformed JSON is an error with file and line; the other files are still read", () => {
    const dir = folder({
      "describe-trails.json": describeTrails(),
      "get-trail-status.main.json": '{\n    "IsLogging": true,\n}\n',
      "get-insight-selectors.main.json": {
        TrailARN: ARN,
        InsightSelectors: [{ InsightType: "ApiCallRateInsight" }],
      },
    });
    const read = readExport(dir);
    expect(read.errors).toContainEqual(
      expect.objectContaining({
        file: "acct/get-trail-status.main.json",
        line: 3,
        column: 1,
        severity: "error",
      }),
    );
    const trail = read.account.trails[0] as Trail;
    expect(reasonOf(trail.isLogging)).toBe("acct/get-trail-status.main.json is not valid JSON");
    expect(trail.insightTypes).toEqual(["ApiCallRateInsight"]);
    expect(trail.isMultiRegionTrail).toBe(true);
  });

  test.each([
    [
      "describe-trails.json",
      { Trails: [] },
      /describe-trails\.json is not the output of `aws cloudtrail describe-trails`/,
    ],
    ["get-trail-status.main.json", { trailList: [] }, /get-trail-status\.main\.json is not the output of/],
    ["get-bucket-policy.logs.json", { PolicyStatus: { IsPublic: false } }, /expected an object with Policy/],
  ])("%s with another command's content is an error naming the file", (name, content, message) => {
    const read = readExport(folder({ "describe-trails.json": describeTrails(), [name]: content }));
    const error = read.errors.find((e) => e.severity === "error" && e.file === `acct/${name}`);
    expect(error?.message).toMatch(message);
  });

  test.each([
    [
      "NoSuchBucketPolicy (CLI stderr)",
      "\nAn error occurred (NoSuchBucketPolicy) when calling the GetBucketPolicy operation: The bucket policy does not exist\n",
      "null",
    ],
    ["NoSuchBucketPolicy (code only)", "NoSuchBucketPolicy\n", "null"],
    [
      "AccessDenied",
      "An error occurred (AccessDenied) when calling the GetBucketPolicy operation: Access Denied",
      "`aws s3api get-bucket-policy` failed with AccessDenied: Access Denied (acct/get-bucket-policy.logs.error.txt)",
    ],
    [
      "not an AWS error",
      "Could not connect to the endpoint URL",
      "`aws s3api get-bucket-policy` failed: Could not connect to the endpoint URL (acct/get-bucket-policy.logs.error.txt)",
    ],
  ])("get-bucket-policy error file: %s", (_case, text, expected) => {
    const read = readExport(
      folder({
        "describe-trails.json": describeTrails(),
        "list-buckets.json": { Buckets: [{ Name: "logs" }] },
        "get-bucket-policy.logs.json": "",
        "get-bucket-policy.logs.error.txt": text,
      }),
    );
    const policy = read.account.buckets[0]?.policy;
    expect(isUnknown(policy) ? policy.reason : JSON.stringify(policy)).toBe(expected);
  });

  test("empty get-bucket-versioning and get-bucket-logging output means never configured", () => {
    const read = readExport(
      folder({
        "describe-trails.json": describeTrails(),
        "list-buckets.json": { Buckets: [{ Name: "logs" }] },
        "get-bucket-versioning.logs.json": "",
        "get-bucket-logging.logs.json": "",
        "get-bucket-acl.logs.json": "",
      }),
    );
    const bucket = read.account.buckets[0];
    expect(bucket?.versioning).toBeNull();
    expect(bucket?.mfaDelete).toBe(false);
    expect(bucket?.logging).toBeNull();
    // Any other command always prints something: empty output is not an answer.
    expect(reasonOf(bucket?.aclGrants)).toBe("acct/get-bucket-acl.logs.json is empty");
  });

  test("a per-trail file about another trail is not evidence for this one", () => {
    const read = readExport(
      folder({
        "describe-trails.json": describeTrails(),
        "get-event-selectors.main.json": {
          TrailARN: "arn:aws:cloudtrail:us-east-1:123456789012:trail/other",
          EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true }],
        },
      }),
    );
    expect(reasonOf(read.account.trails[0]?.eventSelectors)).toMatch(
      /is about .*trail\/other, not .*trail\/main/,
    );
  });

  test("the JSON parser locates values and reports syntax errors by offset", () => {
    const file = LocatedJson.parse("x.json", '{\n  "a": [1, {"b": "c\\u0041"}],\n  "d": null\n}');
    const a = file.root.kind === "object" ? file.root.members.get("a") : undefined;
    expect(a && file.location(a)).toMatchObject({ line: 2, column: 8, endLine: 2, endColumn: 29 });
    expect(() => LocatedJson.parse("x.json", '{"a": 1,}')).toThrow(/expected a property name/);
    expect(() => LocatedJson.parse("x.json", "a: 1")).toThrow(/expected a JSON value/);
  });
});

describe("grouping", () => {
  test("a folder of JSON that is not an export is not claimed", () => {
    const dir = folder({
      "template.json": { AWSTemplateFormatVersion: "2010-09-09", Resources: {} },
      "package.json": { name: "x" },
      "data.json": { Buckets: "not an export name" },
      "notes.error.txt": "nothing",
    });
    expect(readExport(dir).groups).toEqual([]);
  });

  test("a CloudFormation template beside an export is left to the CloudFormation reader", () => {
    const dir = folder({
      "describe-trails.json": describeTrails(),
      "trail.template.json": { AWSTemplateFormatVersion: "2010-09-09", Resources: {} },
    });
    const groups = readExport(dir).groups;
    expect(groups.map((g) => g.map((f) => f.path))).toEqual([["acct/describe-trails.json"]]);
  });

  test("output under another name is recognized by its content", () => {
    const dir = folder({
      "trails.json": describeTrails(),
      "selectors-main.json": { TrailARN: ARN, EventSelectors: [{ ReadWriteType: "ReadOnly" }] },
    });
    const read = readExport(dir);
    expect(read.groups[0]?.map((f) => f.path)).toEqual(["acct/trails.json", "acct/selectors-main.json"]);
    const trail = read.account.trails[0] as Trail;
    expect(trail.name).toBe("main");
    expect(trail.eventSelectors).toMatchObject([
      { readWriteType: "ReadOnly", includeManagementEvents: true },
    ]);
    expect(trail.fieldLocations.eventSelectors?.file).toBe("acct/selectors-main.json");
  });

  test("each export folder is its own group", () => {
    const a = folder({ "describe-trails.json": describeTrails() });
    writeFileSync(join(a, "..", "describe-trails.json"), JSON.stringify({ trailList: [] }));
    expect(readExport(join(a, "..")).groups).toHaveLength(2);
  });
});

describe("an AWS-shaped export (recorded shapes where moto differs from AWS)", () => {
  const read = readExport(join(FIXTURES, "aws-recorded"));
  const byName = (name: string) => read.account.trails.find((t) => t.name === name) as Trail;

  test("no input errors; a whole account", () => {
    expect(read.errors.filter((e) => e.severity === "error")).toEqual([]);
    expect(read.account).toMatchObject({
      accountId: "111122223333",
      regions: ["eu-west-1", "us-east-1"],
      completeAccount: true,
    });
  });

  test("the default selector AWS lists for a trail without custom selectors records all management events", () => {
    const trail = byName("management-events");
    expect(trail.eventSelectors).toEqual([
      {
        readWriteType: "All",
        includeManagementEvents: true,
        excludeManagementEventSources: [],
        dataResources: [],
      },
    ]);
    expect(verdicts(read.findings, "trail.management-events")).toEqual({
      "management-events": "pass",
      "org-trail": "pass",
    });
    expect(verdicts(read.findings, "trail.enabled")).toEqual({ account: "pass" });
  });

  test("Insights: HasInsightSelectors true with selectors; InsightNotEnabledException means none", () => {
    expect(verdicts(read.findings, "trail.insights")).toEqual({
      "management-events": "pass",
      "org-trail": "fail",
    });
  });

  test("the management account's organization trail is listed with its own ARN; its bucket is unknown here", () => {
    const trail = byName("org-trail");
    expect(trail).toMatchObject({ accountId: "999988887777", isOrganizationTrail: true, isLogging: true });
    expect(trail.advancedEventSelectors).toHaveLength(2);
    expect(verdicts(read.findings, "bucket.versioning")["org-central-logs"]).toBe("unknown");
    // Its key is in the management account: rotation cannot be decided.
    expect(verdicts(read.findings, "trail.kms-key-rotation")).toEqual({
      "management-events": "not-applicable",
      "org-trail": "unknown",
    });
  });

  test("the account's trail bucket: SSE-S3 by default, errors that mean not configured", () => {
    const bucket = read.account.buckets.find((b) => b.name === "example-trail-logs");
    expect(bucket).toMatchObject({
      accountId: "111122223333",
      region: "eu-west-1",
      encryption: { algorithm: "AES256", kmsKeyId: null },
      policy: null,
      objectLock: null,
      lifecycleRules: [],
      website: false,
      logging: null,
      objectOwnership: "BucketOwnerEnforced",
      versioning: "Enabled",
      mfaDelete: false,
    });
    expect(bucket?.fieldLocations.policy).toEqual({
      file: "aws-recorded/get-bucket-policy.example-trail-logs.error.txt",
      line: 1,
      column: 1,
    });
    const v = verdicts(read.findings, "bucket.public-access-blocked");
    expect(v["example-trail-logs"]).toBe("pass");
    expect(verdicts(read.findings, "bucket.tls-only")["example-trail-logs"]).toBe("fail");
  });

  test("CloudTrail Lake (moto: HTTP 500) and the organization (member account: no list-accounts)", () => {
    expect(read.account.eventDataStores).toHaveLength(1);
    expect(verdicts(read.findings, "lake.retention")).toEqual({ "audit-lake": "pass" });
    expect(verdicts(read.findings, "lake.termination-protection")).toEqual({ "audit-lake": "pass" });
    expect(read.account.eventDataStores[0]?.kmsKeyId).toBeNull();
    const org = read.account.organization;
    expect(org && !isUnknown(org) ? org.managementAccountId : org).toBe("999988887777");
    expect(org && !isUnknown(org) ? reasonOf(org.memberAccountIds) : "").toMatch(
      /list-accounts` failed with AccessDeniedException/,
    );
  });
});

describe("through the scan pipeline", () => {
  test("the export folder is a whole account of its own; a template beside it goes to the CloudFormation reader", async () => {
    expect(groupReaders.map((r) => r.name)).toContain(awsCliExportsReader.name);
    const dir = folder({
      "describe-trails.json": describeTrails({ HasCustomEventSelectors: false }),
      "get-trail-status.main.json": { IsLogging: true },
      "stack.json": {
        AWSTemplateFormatVersion: "2010-09-09",
        Resources: { Topic: { Type: "AWS::SNS::Topic", Properties: { TopicName: "from-template" } } },
      },
    });
    // No --scope account: the export is known to be a whole account, the template is not.
    const outcome = await scan({
      paths: [dir],
      scope: "resource",
      ...BUILT_IN_POLICIES,
      cwd: dirname(dir),
    });
    const exported = outcome.inventory.accounts.find((a) => a.trails.length > 0);
    const template = outcome.inventory.accounts.find((a) => a.topics.length > 0);
    expect(exported?.trails.map((t) => t.id)).toEqual([ARN]);
    expect(exported?.completeAccount).toBe(true);
    expect(exported?.anchor.location?.file).toBe("acct/describe-trails.json");
    expect(template?.topics.map((t) => t.name)).toEqual(["from-template"]);
    const enabled = outcome.findings.filter((f) => f.ruleId === "trail.enabled").map((f) => f.status);
    expect(enabled.sort()).toEqual(["not-applicable", "pass"]);
  });
});
