import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { findingsForTemplate, guardCases, verdictsOf } from "../support/evaluate.js";
import { describeIf } from "../support/requirements.js";
import { CORPUS_DIR, corpus } from "../support/shared.js";

/**
 * Peers' public CloudFormation fixtures (../shared/corpus, see its MANIFEST.md) scanned by trailguard: the verdict
 * of the matching trailguard rule must equal the peer's label, except where our rule means something else, which
 * each `because` below explains.
 */
const read = (path: string) => readFileSync(join(CORPUS_DIR, path), "utf8");

type Verdict = "pass" | "fail" | "unknown";
interface Expectation {
  file: string;
  rule: string;
  resources: Record<string, Verdict>;
  because?: string;
}

const checkov: Expectation[] = [
  {
    file: "checkov/CKV_AWS_35-cloudformation/CloudTrailEncryption-FAILED.yaml",
    rule: "trail.kms-encryption",
    resources: { myTrail: "fail" },
  },
  {
    file: "checkov/CKV_AWS_35-cloudformation/CloudTrailEncryption-PASSED.yaml",
    rule: "trail.kms-encryption",
    resources: { myTrail: "pass" },
  },
  {
    file: "checkov/CKV_AWS_35-cloudformation/CloudTrailEncryption-PASSED.json",
    rule: "trail.kms-encryption",
    resources: { acmeCWSTrail: "pass" },
  },
  {
    file: "checkov/CKV_AWS_36-cloudformation/CloudTrailLogValidation-FAILED.yaml",
    rule: "trail.log-file-validation",
    resources: { myTrail: "fail" },
  },
  {
    file: "checkov/CKV_AWS_36-cloudformation/CloudTrailLogValidation-PASSED.yaml",
    rule: "trail.log-file-validation",
    resources: { myTrail: "pass" },
  },
  {
    file: "checkov/CKV_AWS_67-cloudformation/CloudtrailMultiRegion-FAILED.yaml",
    rule: "trail.multi-region",
    resources: { MyTrail0: "fail", MyTrail1: "fail" },
  },
  {
    file: "checkov/CKV_AWS_67-cloudformation/CloudtrailMultiRegion-PASSED.yaml",
    rule: "trail.multi-region",
    resources: { MyTrail0: "pass" },
  },
];

const GROUP_ONLY =
  "CloudTrail cannot deliver to CloudWatch Logs without CloudWatchLogsRoleArn (CreateTrail rejects a log group " +
  "without a role); the peer checks the log group ARN alone, trailguard requires both.";

const trivy: Expectation[] = [
  {
    file: "trivy-checks/AVD-AWS-0014/_derived/cloudformation/good/0/template.yaml",
    rule: "trail.multi-region",
    resources: { GoodExample: "pass" },
  },
  {
    file: "trivy-checks/AVD-AWS-0014/_derived/cloudformation/bad/0/template.yaml",
    rule: "trail.multi-region",
    resources: { BadExample: "fail" },
  },
  {
    file: "trivy-checks/AVD-AWS-0015/_derived/cloudformation/good/0/template.yaml",
    rule: "trail.kms-encryption",
    resources: { GoodExample: "fail" },
    because:
      "the template sets `KmsKeyId`, which is not a property of AWS::CloudTrail::Trail (the property is `KMSKeyId`): " +
      "CloudFormation would not encrypt this trail; Trivy's adapter reads the misspelt key, Checkov, KICS and " +
      "cfn-guard agree with trailguard. trailguard also warns about the unknown property.",
  },
  {
    file: "trivy-checks/AVD-AWS-0015/_derived/cloudformation/bad/0/template.yaml",
    rule: "trail.kms-encryption",
    resources: { BadExample: "fail" },
  },
  {
    file: "trivy-checks/AVD-AWS-0016/_derived/cloudformation/good/0/template.yaml",
    rule: "trail.log-file-validation",
    resources: { GoodExample: "pass" },
  },
  {
    file: "trivy-checks/AVD-AWS-0016/_derived/cloudformation/bad/0/template.yaml",
    rule: "trail.log-file-validation",
    resources: { BadExample: "fail" },
  },
  {
    file: "trivy-checks/AVD-AWS-0161/_derived/cloudformation/good/0/template.yaml",
    rule: "bucket.public-access-blocked",
    resources: { GoodExampleBucket: "pass" },
  },
  {
    file: "trivy-checks/AVD-AWS-0161/_derived/cloudformation/bad/0/template.yaml",
    rule: "bucket.public-access-blocked",
    resources: { BadExampleBucket: "fail" },
  },
  {
    file: "trivy-checks/AVD-AWS-0162/_derived/cloudformation/good/0/template.yaml",
    rule: "trail.cloudwatch-logs",
    resources: { GoodExampleTrail: "fail" },
    because: GROUP_ONLY,
  },
  {
    file: "trivy-checks/AVD-AWS-0162/_derived/cloudformation/bad/0/template.yaml",
    rule: "trail.cloudwatch-logs",
    resources: { BadExampleTrail: "fail" },
  },
  {
    file: "trivy-checks/AVD-AWS-0163/_derived/cloudformation/good/0/template.yaml",
    rule: "bucket.access-logging",
    resources: { GoodExampleBucket: "pass" },
  },
  {
    file: "trivy-checks/AVD-AWS-0163/_derived/cloudformation/bad/0/template.yaml",
    rule: "bucket.access-logging",
    resources: { BadExampleBucket: "fail" },
  },
];

await describeIf(corpus, "peers' CloudFormation fixtures", () => {
  describe.each([
    ["Checkov", checkov],
    ["trivy-checks", trivy],
  ])("%s CloudFormation fixtures", (_peer, expectations) => {
    test.each(expectations)("$file → $rule", ({ file, rule, resources }) => {
      const verdicts = verdictsOf(findingsForTemplate(read(file), file), rule);
      const expected = Object.fromEntries(Object.entries(resources).map(([id, v]) => [`${file}#${id}`, v]));
      for (const [address, verdict] of Object.entries(expected))
        expect(verdicts[address], address).toBe(verdict);
    });
  });

  const IS_LOGGING_REQUIRED =
    "IsLogging is a required property: CloudFormation rejects the template, so whether the trail would log is not " +
    "decided by it; trailguard reports unknown (never pass) with that reason.";

  /** cfn-guard registry rule → trailguard rule, and the cases where the meaning differs. */
  const guardRules: Record<
    string,
    {
      rule: string;
      account?: boolean;
      differences?: Record<string, { verdict: Verdict | "none"; because: string }>;
    }
  > = {
    CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED: {
      rule: "trail.cloudwatch-logs",
      differences: {
        "CloudTrail Trail CloudWatchLogsGroupArn set, PASS": { verdict: "fail", because: GROUP_ONLY },
      },
    },
    CLOUD_TRAIL_ENABLED: {
      rule: "trail.logging",
      differences: {
        "CloudTrail Trail IsLogging property missing, FAIL": {
          verdict: "unknown",
          because: IS_LOGGING_REQUIRED,
        },
        "CloudTrail Trail IsLogging property missing but rule suppressed, SKIP": {
          verdict: "unknown",
          because: `${IS_LOGGING_REQUIRED} cfn-guard's suppression metadata is not trailguard's.`,
        },
      },
    },
    CLOUD_TRAIL_ENCRYPTION_ENABLED: { rule: "trail.kms-encryption" },
    CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED: { rule: "trail.log-file-validation" },
    CLOUDTRAIL_S3_DATAEVENTS_ENABLED: { rule: "trail.s3-data-events-write", account: true },
    MULTI_REGION_CLOUD_TRAIL_ENABLED: { rule: "trail.multi-region" },
  };

  describe("cfn-guard registry test cases", () => {
    const folders = readdirSync(join(CORPUS_DIR, "cfn-guard"));
    test("every corpus folder is covered", () => {
      expect(folders.sort()).toEqual(Object.keys(guardRules).sort());
    });
    for (const folder of folders) {
      const mapping = guardRules[folder];
      if (!mapping) continue;
      const file = readdirSync(join(CORPUS_DIR, "cfn-guard", folder)).find((f) => f.endsWith(".yml")) ?? "";
      const cases = guardCases(read(`cfn-guard/${folder}/${file}`));
      test(`${folder}: cases were extracted`, () => expect(cases.length).toBeGreaterThanOrEqual(5));
      test.each(cases)(`${folder} → ${mapping.rule}: $name`, ({ name, input, expected }) => {
        const findings = findingsForTemplate(input, `${folder}.yaml`, mapping.account ?? false);
        const verdicts = Object.values(verdictsOf(findings, mapping.rule)).filter(
          (v) => v !== "not-applicable",
        );
        const difference = mapping.differences?.[name];
        // cfn-guard's own suppression metadata (Metadata.guard.SuppressedRules) is not trailguard's: the finding stays.
        const suppressedByGuard = name.includes("suppressed");
        const want =
          difference?.verdict ??
          (expected === "SKIP" && !suppressedByGuard
            ? "none"
            : suppressedByGuard
              ? "fail"
              : expected.toLowerCase());
        expect(verdicts.length === 0 ? "none" : verdicts.join(","), difference?.because).toBe(want);
      });
    }
  });
});
