import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { describeIf } from "../../support/requirements.js";
import { motoRequirement, SCENARIO_TIMEOUT_MS, scenarioExport } from "../../support/scenario-accounts.js";
import { ACCOUNT_ID, type Scenario, scenarios } from "../../support/scenarios.js";
import { type ReadExport, readExport, unknownReasons, verdicts } from "./helpers.js";

/**
 * Each scenario account is built on moto_server with the aws CLI, exported with the script of docs/exports.md (the
 * real aws CLI again), read back by the exports source and evaluated with the core pack.
 *
 * Where moto differs from AWS (see test/fixtures/exports/aws-recorded for the AWS-shaped answers):
 * - get-event-selectors of a trail without custom selectors lists nothing (AWS lists the default selector): read as
 *   the default selector because describe-trails says HasCustomEventSelectors false;
 * - HasInsightSelectors stays false after put-insight-selectors: get-insight-selectors is what is read;
 * - list-event-data-stores fails with HTTP 500: recorded as list-event-data-stores.error.txt, a warning;
 * - get-bucket-encryption fails with ServerSideEncryptionConfigurationNotFoundError (AWS: SSE-S3 by default);
 * - get-insight-selectors of a trail without Insights answers with no selectors (AWS: InsightNotEnabledException).
 */
await describeIf(await motoRequirement(), "AWS CLI exports of accounts built on moto_server", () => {
  /** The scenario's export (a folder named after it), read as `scan --scope account` reads it. */
  async function readScenarioExport(scenario: Scenario): Promise<ReadExport> {
    return readExport(await scenarioExport(scenario));
  }

  test(
    "no-trail: trail.enabled fails; the account is whole and its bucket fully read",
    async () => {
      const read = await readScenarioExport(scenarios.noTrail);
      expect(read.groups).toHaveLength(1);
      expect(read.account.accountId).toBe(ACCOUNT_ID);
      expect(read.account.completeAccount).toBe(true);
      expect(read.account.trails).toEqual([]);
      expect(verdicts(read.findings, "trail.enabled")).toEqual({ account: "fail" });
      const [bucket] = read.account.buckets;
      expect(bucket).toMatchObject({
        id: "arn:aws:s3:::unrelated-data",
        name: "unrelated-data",
        accountId: ACCOUNT_ID,
        region: "us-east-1",
        policy: null,
        publicAccessBlock: null,
        aclGrants: [{ grantee: "Owner", permission: "FULL_CONTROL" }],
        versioning: null,
        mfaDelete: false,
        objectLock: null,
        logging: null,
        lifecycleRules: [],
        encryption: { algorithm: "AES256", kmsKeyId: null },
        website: false,
        objectOwnership: null,
      });
      // Not a trail bucket: bucket rules do not apply.
      expect(verdicts(read.findings, "bucket.versioning")).toEqual({ "unrelated-data": "not-applicable" });
      // moto's HTTP 500 for CloudTrail Lake is recorded, and reported as a warning, not a silent "no data stores".
      const dir = await scenarioExport(scenarios.noTrail);
      expect(existsSync(join(dir, "list-event-data-stores.error.txt"))).toBe(true);
      expect(read.errors.map((e) => e.message).join("\n")).toMatch(
        /list-event-data-stores.*event data stores/,
      );
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "single-region-not-logging: trail.logging and trail.multi-region fail",
    async () => {
      const read = await readScenarioExport(scenarios.singleRegionNotLogging);
      expect(verdicts(read.findings, "trail.logging")).toEqual({ regional: "fail" });
      expect(verdicts(read.findings, "trail.multi-region")).toEqual({ regional: "fail" });
      expect(verdicts(read.findings, "trail.enabled")).toEqual({ account: "fail" });
      // No custom selectors: the default selector (moto lists none; HasCustomEventSelectors false says so).
      expect(verdicts(read.findings, "trail.management-events")).toEqual({ regional: "pass" });
      // The plain bucket is read: not locked down.
      expect(verdicts(read.findings, "bucket.public-access-blocked")).toEqual({ "plain-trail-logs": "fail" });
      expect(verdicts(read.findings, "bucket.versioning")).toEqual({ "plain-trail-logs": "fail" });
      const trail = read.account.trails[0];
      expect(trail?.fieldLocations.isLogging?.file).toBe(
        "single-region-not-logging/get-trail-status.regional.json",
      );
      expect(trail?.origin.location).toMatchObject({
        file: "single-region-not-logging/describe-trails.json",
        line: 3,
      });
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "compliant: the trail and bucket rules it was built for pass",
    async () => {
      const read = await readScenarioExport(scenarios.compliant);
      const trailRules = [
        "trail.multi-region",
        "trail.logging",
        "trail.management-events",
        "trail.global-service-events",
        "trail.log-file-validation",
        "trail.kms-encryption",
        "trail.kms-key-rotation",
        "trail.cloudwatch-logs",
        "trail.insights",
        "trail.sns-notification",
      ];
      for (const rule of trailRules)
        expect([rule, verdicts(read.findings, rule)]).toEqual([rule, { "org-audit": "pass" }]);
      expect(verdicts(read.findings, "trail.enabled")).toEqual({ account: "pass" });
      expect(verdicts(read.findings, "trail.s3-data-events-read")).toEqual({ account: "pass" });
      expect(verdicts(read.findings, "trail.s3-data-events-write")).toEqual({ account: "pass" });
      const bucketRules = [
        "bucket.public-access-blocked",
        "bucket.access-logging",
        "bucket.dedicated",
        "bucket.versioning",
        "bucket.object-lock",
        "bucket.tls-only",
        "bucket.source-condition",
        "bucket.retention",
      ];
      for (const rule of bucketRules) {
        expect([rule, verdicts(read.findings, rule)["audit-trail-logs"]]).toEqual([rule, "pass"]);
      }
      // MFA delete cannot be turned on without the root user's MFA device: the scenario leaves it off.
      expect(verdicts(read.findings, "bucket.mfa-delete")["audit-trail-logs"]).toBe("fail");
      // The scenario's other log group (it holds a CIS metric filter) is no trail's: its rules do not apply.
      expect(verdicts(read.findings, "log-group.retention")).toEqual({
        "/aws/cloudtrail/org-audit": "pass",
        "/aws/cloudtrail/staging": "not-applicable",
      });
      expect(verdicts(read.findings, "log-group.kms")).toEqual({
        "/aws/cloudtrail/org-audit": "pass",
        "/aws/cloudtrail/staging": "not-applicable",
      });
      const trail = read.account.trails[0];
      expect(trail?.links).toMatchObject({
        bucket: "arn:aws:s3:::audit-trail-logs",
        logGroup: expect.stringContaining(":log-group:/aws/cloudtrail/org-audit"),
        topic: expect.stringContaining(":trail-deliveries"),
        key: expect.stringContaining(":key/"),
      });
      expect(trail?.insightTypes).toEqual(["ApiCallRateInsight", "ApiErrorRateInsight"]);
      expect(read.account.buckets.find((b) => b.name === "audit-trail-logs")?.encryption).toMatchObject({
        algorithm: "aws:kms",
      });
      // Findings point into the export files.
      const tls = read.findings.find(
        (f) => f.ruleId === "bucket.tls-only" && f.resource.name === "audit-trail-logs",
      );
      expect(tls?.location?.file).toBe("compliant/get-bucket-policy.audit-trail-logs.json");
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    "cross-account-bucket: the bucket of another account is unknown, never pass",
    async () => {
      const read = await readScenarioExport(scenarios.crossAccountBucket);
      expect(verdicts(read.findings, "trail.logging")).toEqual({ "to-archive": "pass" });
      expect(verdicts(read.findings, "trail.multi-region")).toEqual({ "to-archive": "pass" });
      expect(verdicts(read.findings, "trail.enabled")).toEqual({ account: "pass" });
      const bucketFindings = read.findings.filter((f) => f.resource.kind === "bucket");
      expect(bucketFindings.length).toBeGreaterThan(0);
      for (const f of bucketFindings) expect([f.ruleId, f.status]).toEqual([f.ruleId, "unknown"]);
      expect(unknownReasons(read.findings, "bucket.versioning")).toMatch(
        /central-log-archive is not in .*list-buckets\.json/,
      );
      // The export holds no file for it: the script exports the account's own buckets.
      expect(
        readdirSync(await scenarioExport(scenarios.crossAccountBucket)).filter((f) =>
          f.includes("central-log-archive"),
        ),
      ).toEqual([]);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
