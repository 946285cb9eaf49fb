import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXIT, exitCode, scan } from "../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";
import { REPO_ROOT } from "../support/paths.js";

const FIXTURE = join(REPO_ROOT, "test/fixtures/no-trail");
const threshold = { failOn: "low" as const, failOnUnknown: true };

/**
 * A repository of ordinary buckets (a website, a partner exchange whose principal comes from a parameter, ALB logs,
 * an imported name, a conditional bucket) in ten templates and three Terraform roots, and no trail: nothing there
 * can be a trail bucket, so there are no findings and the exit code is 0.
 */
describe("a repository without a trail", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-no-trail-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("gives no bucket findings and exits 0", async () => {
    const outcome = await scan({ paths: [FIXTURE], scope: "resource", ...BUILT_IN_POLICIES });
    const noisy = outcome.findings.filter((f) => f.status === "fail" || f.status === "unknown");
    expect(noisy.map((f) => `${f.ruleId} ${f.resource.address}: ${f.message}`)).toEqual([]);
    expect(outcome.inventory.accounts.flatMap((a) => a.buckets).length).toBeGreaterThanOrEqual(12);
    expect(exitCode(outcome, threshold)).toBe(EXIT.ok);
  });

  it("a trail elsewhere whose bucket cannot be told makes candidates only of its own template's buckets", async () => {
    const folder = join(dir, "with-trail");
    cpSync(FIXTURE, folder, { recursive: true });
    writeFileSync(
      join(folder, "stacks", "trail.yaml"),
      `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: !ImportValue org-log-bucket
  Candidate:
    Type: AWS::S3::Bucket
  CandidatePolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Candidate
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: { Service: !ImportValue log-writer-service }
            Action: s3:PutObject
            Resource: !Sub "\${Candidate.Arn}/*"
`,
    );
    const outcome = await scan({ paths: [folder], scope: "resource", ...BUILT_IN_POLICIES });
    const bucketFindings = outcome.findings.filter(
      (f) => f.ruleId.startsWith("bucket.") && (f.status === "fail" || f.status === "unknown"),
    );
    const addresses = new Set(bucketFindings.map((f) => f.resource.address));
    expect([...addresses]).toEqual([expect.stringMatching(/trail\.yaml#Candidate$/)]);
  });
});
