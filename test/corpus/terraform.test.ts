import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, test } from "vitest";
import { s3DataCoverage } from "../../src/engine/selectors.js";
import { findingsOf, readTree, verdicts } from "../sources/terraform/support.js";
import { describeIf } from "../support/requirements.js";
import { CORPUS_DIR, corpus } from "../support/shared.js";

/**
 * Peers' public Terraform fixtures (../shared/corpus, see its MANIFEST.md) read by trailguard's Terraform source: the
 * verdict of the matching trailguard rule must equal the peer's label, except where our rule means something else,
 * which each `because` explains. Each file is read on its own, as the peer's test does.
 */

type Verdict = "pass" | "fail" | "unknown";
interface Expectation {
  file: string;
  /** The trailguard rule; null when trailguard has no rule for the peer's check (then `model` is asserted). */
  rule: string | null;
  /** Verdict per Terraform address (the account for account-scope rules: `account`). */
  resources: Record<string, Verdict>;
  completeAccount?: boolean;
  because?: string;
  /** What the inventory must hold, for checks without a trailguard rule or to show a selector was read right. */
  model?: (outcome: ReturnType<typeof readTree>) => void;
}

const GROUP_ONLY =
  "CloudTrail cannot deliver to CloudWatch Logs without cloud_watch_logs_role_arn (CreateTrail rejects a log " +
  "group without a role); the peer checks the log group ARN alone, trailguard requires both.";
const ACCOUNT_SCOPE =
  "trail.s3-data-events-read is an account rule: it passes only when a logging multi-region trail records S3 read " +
  "data events for every bucket (the peer wants read and write; its bad case 1 logs writes only). The peer judges one bucket against any trail; these example trails are single-region " +
  "(is_multi_region_trail defaults to false) and some select one bucket only, so the account fails. The selectors " +
  "themselves are read as the peer reads them (see the coverage asserted).";

const coverage = (read: boolean, write: boolean) => (o: ReturnType<typeof readTree>) => {
  const trail = o.account.trails[0];
  expect(trail).toBeDefined();
  if (trail) expect(s3DataCoverage(trail)).toEqual({ read, write });
};

const checkov: Expectation[] = [
  {
    file: "checkov/CKV2_AWS_10-terraform/main.tf",
    rule: "trail.cloudwatch-logs",
    resources: { "aws_cloudtrail.aws_cloudtrail_ok": "fail", "aws_cloudtrail.aws_cloudtrail_not_ok": "fail" },
    because: `aws_cloudtrail_ok is labelled pass. ${GROUP_ONLY}`,
    model: (o) => {
      const ok = o.account.trails.find((t) => t.id.endsWith("aws_cloudtrail_ok"));
      expect(ok?.cloudWatchLogsLogGroupArn).toBe("${aws_cloudwatch_log_group.example.arn}:*");
      expect(ok?.links.logGroup).toMatch(/aws_cloudwatch_log_group\.example$/);
    },
  },
  {
    file: "checkov/CKV_AWS_251-terraform/main.tf",
    rule: "trail.logging",
    // Absent enable_logging passes: the provider's default is true, as the peer's missing_block_result says.
    resources: {
      "aws_cloudtrail.fail": "fail",
      "aws_cloudtrail.pass": "pass",
      "aws_cloudtrail.pass2": "pass",
    },
  },
  {
    file: "checkov/CKV_AWS_252-terraform/main.tf",
    rule: "trail.sns-notification",
    resources: { "aws_cloudtrail.fail": "fail", "aws_cloudtrail.pass": "pass" },
  },
  {
    file: "checkov/CKV_AWS_294-terraform/main.tf",
    rule: null,
    resources: {},
    because:
      "trailguard's core pack has no rule for the event data store's KMS key (CKV_AWS_294); the field the check " +
      "reads is asserted instead: set for pass, null for fail, empty for fail2.",
    model: (o) => {
      const byName = Object.fromEntries(
        o.account.eventDataStores.map((e) => [e.id.split("#")[1], e.kmsKeyId]),
      );
      expect(byName).toEqual({
        "aws_cloudtrail_event_data_store.pass": "${aws_kms_key.pike.arn}",
        "aws_cloudtrail_event_data_store.fail": null,
        "aws_cloudtrail_event_data_store.fail2": "",
      });
    },
  },
  {
    file: "checkov/CKV_AWS_35-terraform/aws_cloudtrail.tf",
    rule: "trail.kms-encryption",
    resources: { "aws_cloudtrail.fail": "fail", "aws_cloudtrail.pass": "pass" },
  },
  {
    file: "checkov/CKV_AWS_36-terraform/_derived/test_failure.tf",
    rule: "trail.log-file-validation",
    resources: { "aws_cloudtrail.test_failure": "fail" },
  },
  {
    file: "checkov/CKV_AWS_36-terraform/_derived/test_success.tf",
    rule: "trail.log-file-validation",
    resources: { "aws_cloudtrail.test_success": "pass" },
  },
  {
    file: "checkov/CKV_AWS_67-terraform/_derived/test_failure.tf",
    rule: "trail.multi-region",
    resources: { "aws_cloudtrail.foobar": "fail" },
  },
  {
    file: "checkov/CKV_AWS_67-terraform/_derived/test_failure_negative_multi_region.tf",
    rule: "trail.multi-region",
    resources: { "aws_cloudtrail.foobar": "fail" },
  },
  {
    file: "checkov/CKV_AWS_67-terraform/_derived/test_success.tf",
    rule: "trail.multi-region",
    resources: { "aws_cloudtrail.foobar": "pass" },
  },
];

const trivyFile = (id: string, kind: string, i = 0) =>
  `trivy-checks/${id}/_derived/terraform/${kind}/${i}/main.tf`;

const trivy: Expectation[] = [
  {
    file: trivyFile("AVD-AWS-0014", "good"),
    rule: "trail.multi-region",
    resources: { "aws_cloudtrail.good_example": "pass" },
  },
  {
    file: trivyFile("AVD-AWS-0014", "bad"),
    rule: "trail.multi-region",
    resources: { "aws_cloudtrail.bad_example": "fail" },
  },
  {
    file: trivyFile("AVD-AWS-0015", "good"),
    rule: "trail.kms-encryption",
    resources: { "aws_cloudtrail.good_example": "pass" },
  },
  {
    file: trivyFile("AVD-AWS-0015", "bad"),
    rule: "trail.kms-encryption",
    resources: { "aws_cloudtrail.bad_example": "fail" },
  },
  {
    file: trivyFile("AVD-AWS-0016", "good"),
    rule: "trail.log-file-validation",
    resources: { "aws_cloudtrail.good_example": "pass" },
  },
  {
    file: trivyFile("AVD-AWS-0016", "bad"),
    rule: "trail.log-file-validation",
    resources: { "aws_cloudtrail.bad_example": "fail" },
  },
  {
    file: trivyFile("AVD-AWS-0161", "good"),
    rule: "bucket.public-access-blocked",
    resources: { "aws_s3_bucket.example": "pass" },
  },
  {
    file: trivyFile("AVD-AWS-0161", "bad"),
    rule: "bucket.public-access-blocked",
    resources: { "aws_s3_bucket.example": "fail" },
  },
  {
    file: trivyFile("AVD-AWS-0162", "good"),
    rule: "trail.cloudwatch-logs",
    resources: { "aws_cloudtrail.good_example": "fail" },
    because: `good_example is labelled pass. ${GROUP_ONLY}`,
  },
  {
    file: trivyFile("AVD-AWS-0162", "bad"),
    rule: "trail.cloudwatch-logs",
    resources: { "aws_cloudtrail.bad_example": "fail" },
  },
  {
    file: trivyFile("AVD-AWS-0163", "good"),
    rule: "bucket.access-logging",
    resources: { "aws_s3_bucket.example": "pass" },
  },
  {
    file: trivyFile("AVD-AWS-0163", "bad"),
    rule: "bucket.access-logging",
    resources: { "aws_s3_bucket.example": "fail" },
  },
  ...(
    [
      ["AVD-AWS-0171", "good", 0, true, { read: false, write: true }],
      ["AVD-AWS-0171", "good", 1, true, { read: true, write: true }],
      ["AVD-AWS-0171", "good", 2, true, { read: false, write: false }],
      ["AVD-AWS-0171", "bad", 0, false, null],
      ["AVD-AWS-0171", "bad", 1, false, { read: true, write: false }],
      ["AVD-AWS-0171", "bad", 2, false, { read: false, write: false }],
      ["AVD-AWS-0172", "good", 0, true, { read: false, write: false }],
      ["AVD-AWS-0172", "good", 1, true, { read: true, write: true }],
      ["AVD-AWS-0172", "bad", 0, false, null],
      ["AVD-AWS-0172", "bad", 1, false, { read: false, write: true }],
      ["AVD-AWS-0172", "bad", 2, false, { read: false, write: false }],
      ["AVD-AWS-0172", "bad", 3, false, { read: false, write: false }],
    ] as const
  ).map(
    ([id, kind, i, good, cov]): Expectation => ({
      file: trivyFile(id, kind, i),
      rule: "trail.s3-data-events-read",
      completeAccount: true,
      resources: { account: "fail" },
      ...(good ? { because: `labelled pass. ${ACCOUNT_SCOPE}` } : {}),
      ...(cov ? { model: coverage(cov.read, cov.write) } : {}),
    }),
  ),
];

function terraformFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...terraformFiles(p));
    else if (name.endsWith(".tf")) out.push(relative(CORPUS_DIR, p).split(sep).join("/"));
  }
  return out;
}

await describeIf(corpus, "peers' Terraform fixtures", () => {
  describe.each([
    ["Checkov", checkov],
    ["trivy-checks", trivy],
  ])("%s Terraform fixtures", (_peer, expectations) => {
    test.each(expectations)("$file → $rule", ({ file, rule, resources, completeAccount, because, model }) => {
      const outcome = readTree(CORPUS_DIR, [file], completeAccount ?? false);
      expect(outcome.errors.filter((e) => e.severity === "error")).toEqual([]);
      if (rule) {
        const found = verdicts(findingsOf(outcome, CORPUS_DIR), rule);
        const got: Record<string, string | undefined> = {};
        for (const address of Object.keys(resources)) {
          got[address] = address === "account" ? Object.values(found)[0] : found[`${file}#${address}`];
        }
        expect(got, because).toEqual(resources);
      }
      model?.(outcome);
    });
  });

  test("every Terraform file of the corpus is covered", () => {
    const all = [
      ...terraformFiles(join(CORPUS_DIR, "checkov")),
      ...terraformFiles(join(CORPUS_DIR, "trivy-checks")),
    ]
      .filter((f) => !f.startsWith("checkov/") || /^checkov\/[^/]+-terraform\//.test(f))
      .sort();
    const covered = [...checkov, ...trivy].map((e) => e.file).sort();
    expect(covered).toEqual(all);
  });
});
