import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { findingsForTemplate } from "../support/evaluate.js";
import { REPO_ROOT } from "../support/paths.js";

const scan = (file: string) => {
  const findings = findingsForTemplate(readFileSync(join(REPO_ROOT, file), "utf8"), file, true);
  return new Map(findings.map((f) => [f.ruleId, f]));
};

test("the compliant example passes every core rule (MFA delete: suppressed, CloudFormation cannot set it)", () => {
  const findings = scan("examples/cloudformation/compliant.yaml");
  for (const [ruleId, f] of findings) {
    if (ruleId === "bucket.mfa-delete") {
      expect(f.status).toBe("unknown");
      expect(f.suppression?.reason).toMatch(/root user/);
    } else if (ruleId.startsWith("lake.")) {
      expect(f.status, ruleId).toBe("not-applicable");
    } else expect(f.status, `${ruleId}: ${f.message}`).toBe("pass");
  }
});

test("the non-compliant example fails what it was written to fail", () => {
  const findings = scan("examples/cloudformation/noncompliant.yaml");
  const failing = [...findings.values()]
    .filter((f) => f.status === "fail")
    .map((f) => f.ruleId)
    .sort();
  expect(failing).toEqual([
    "bucket.access-logging",
    "bucket.dedicated",
    "bucket.object-lock",
    "bucket.public-access-blocked",
    "bucket.source-condition",
    "bucket.tls-only",
    "bucket.versioning",
    "trail.cloudwatch-logs",
    "trail.enabled",
    "trail.global-service-events",
    "trail.insights",
    "trail.kms-encryption",
    "trail.log-file-validation",
    "trail.logging",
    "trail.multi-region",
    "trail.s3-data-events-read",
    "trail.s3-data-events-write",
    "trail.sns-notification",
  ]);
});
