import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { scan } from "../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";

const root = mkdtempSync(join(tmpdir(), "trailguard-log-bucket-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
/** Scans one template or module and returns the finding of `ruleId` on its bucket. */
async function judge(ruleId: string, file: "template.yaml" | "main.tf", text: string) {
  const dir = join(root, String(count++));
  mkdirSync(dir);
  writeFileSync(join(dir, file), text);
  const out = await scan({ paths: [dir], scope: "resource", ...BUILT_IN_POLICIES, rules: [ruleId] });
  expect(out.errors.filter((e) => e.severity === "error")).toEqual([]);
  const findings = out.findings.filter((f) => f.ruleId === ruleId && f.resource.kind === "bucket");
  expect(findings).toHaveLength(1);
  return findings[0] as NonNullable<(typeof findings)[0]>;
}

// ---------------------------------------------------------------- CloudFormation

const cfnDeny = (statement: string, bucketProps = "") => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: audit-logs-cfn${bucketProps}
  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Logs
      PolicyDocument:
        Statement:
${statement}
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Logs
`;

const cfnLock = (lock: string) => `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ArchiveBucket:
    Type: AWS::S3::Bucket
    Properties:
${lock}
  AuditTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref ArchiveBucket
`;

// ---------------------------------------------------------------- Terraform

const tfDeny = (statement: string) => `resource "aws_s3_bucket" "trail" {
  bucket = "org-cloudtrail-archive"
}

resource "aws_s3_bucket_policy" "trail" {
  bucket = aws_s3_bucket.trail.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [${statement}]
  })
}

resource "aws_cloudtrail" "org" {
  name           = "org"
  s3_bucket_name = aws_s3_bucket.trail.id
}
`;

const tfLock = (lock: string) => `resource "aws_s3_bucket" "vault" {
  bucket              = "vault-logs"
  object_lock_enabled = true
}
${lock}
resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.vault.bucket
}
`;

describe("bucket.tls-only: the deny must cover bucket, objects, principals and actions, unnarrowed", () => {
  test.each([
    [
      "CloudFormation: bucket and objects, one statement",
      "template.yaml",
      cfnDeny(`          - Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: [!GetAtt Logs.Arn, !Sub "\${Logs.Arn}/*"]
            Condition: {Bool: {"aws:SecureTransport": "false"}}`),
    ],
    [
      "CloudFormation: two statements, literal ARNs, every action, BoolIfExists",
      "template.yaml",
      cfnDeny(`          - Sid: NoPlainHttpBucket
            Effect: Deny
            Principal: {AWS: "*"}
            Action: "*"
            Resource: arn:aws:s3:::audit-logs-cfn
            Condition: {BoolIfExists: {"aws:securetransport": false}}
          - Sid: NoPlainHttpObjects
            Effect: Deny
            Principal: {AWS: "*"}
            Action: ["S3:*"]
            Resource: "arn:aws:s3:::audit-logs-cfn/*"
            Condition: {BoolIfExists: {"aws:securetransport": false}}`),
    ],
    [
      "Terraform: bucket and objects, one statement",
      "main.tf",
      tfDeny(`{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = [aws_s3_bucket.trail.arn, "\${aws_s3_bucket.trail.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }`),
    ],
  ])("%s passes", async (_what, file, text) => {
    expect((await judge("bucket.tls-only", file as "main.tf", text)).status).toBe("pass");
  });

  test.each([
    [
      "CloudFormation: only the bucket ARN (objects not covered)",
      "template.yaml",
      cfnDeny(`          - Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: !GetAtt Logs.Arn
            Condition: {Bool: {"aws:SecureTransport": "false"}}`),
      /does not cover every object/,
    ],
    [
      "CloudFormation: a narrowing StringNotEquals aws:PrincipalAccount",
      "template.yaml",
      cfnDeny(`          - Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: [!GetAtt Logs.Arn, !Sub "\${Logs.Arn}/*"]
            Condition:
              Bool: {"aws:SecureTransport": "false"}
              StringNotEquals: {"aws:PrincipalAccount": "111122223333"}`),
      /does not cover every request: another condition narrows the deny/,
    ],
    [
      "CloudFormation: only a prefix of the objects, by a named principal, for reads",
      "template.yaml",
      cfnDeny(`          - Sid: PartialDeny
            Effect: Deny
            Principal: {AWS: "arn:aws:iam::111122223333:root"}
            Action: [s3:GetObject, "s3:Get*"]
            Resource: [arn:aws:s3:::audit-logs-cfn, arn:aws:s3:::audit-logs-cfn/AWSLogs/*]
            Condition: {Bool: {"aws:SecureTransport": "false"}}`),
      /does not cover every principal \(Principal "\*"\), every S3 action \(s3:\*\), every object/,
    ],
    [
      "CloudFormation: no statement on aws:SecureTransport",
      "template.yaml",
      cfnDeny(`          - Effect: Deny
            Principal: "*"
            Action: "s3:DeleteBucket"
            Resource: !GetAtt Logs.Arn`),
      /No Deny statement of the bucket policy has the condition Bool aws:SecureTransport false/,
    ],
    [
      "Terraform: only the objects, narrowed by aws:SourceVpce",
      "main.tf",
      tfDeny(`{
      Sid       = "HttpsOnly"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = ["s3:*"]
      Resource  = "\${aws_s3_bucket.trail.arn}/*"
      Condition = {
        Bool            = { "aws:SecureTransport" = "false" }
        StringNotEquals = { "aws:SourceVpce" = "vpce-1a2b3c4d" }
      }
    }`),
      /does not cover the bucket itself \(its ARN\), every request: another condition narrows the deny/,
    ],
    [
      "Terraform: every object but not the bucket, by a literal ARN",
      "main.tf",
      tfDeny(`{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = "arn:aws:s3:::org-cloudtrail-archive/*"
      Condition = { Bool = { "aws:SecureTransport" = false } }
    }`),
      /does not cover the bucket itself \(its ARN\)\./,
    ],
  ])("%s fails and says which part is missing", async (_what, file, text, message) => {
    const finding = await judge("bucket.tls-only", file as "main.tf", text);
    expect(finding.status).toBe("fail");
    expect(finding.message).toMatch(message);
  });
});

describe("bucket.object-lock: a default retention rule is required, and its mode is named", () => {
  test.each([
    [
      "CloudFormation, COMPLIANCE in days",
      "template.yaml",
      cfnLock(`      ObjectLockEnabled: true
      ObjectLockConfiguration:
        ObjectLockEnabled: Enabled
        Rule: {DefaultRetention: {Mode: COMPLIANCE, Days: 400}}`),
      "Object Lock keeps new log objects for 400 days in COMPLIANCE mode.",
    ],
    [
      "Terraform, GOVERNANCE in years",
      "main.tf",
      tfLock(`
resource "aws_s3_bucket_object_lock_configuration" "vault" {
  bucket = aws_s3_bucket.vault.id
  rule {
    default_retention {
      mode  = "GOVERNANCE"
      years = 2
    }
  }
}
`),
      "Object Lock keeps new log objects for 730 days in GOVERNANCE mode.",
    ],
  ])("%s passes and names the mode", async (_what, file, text, message) => {
    const finding = await judge("bucket.object-lock", file as "main.tf", text);
    expect(finding.status).toBe("pass");
    expect(finding.message).toBe(message);
  });

  test.each([
    [
      "CloudFormation: enabled, no rule",
      "template.yaml",
      cfnLock("      ObjectLockEnabled: true"),
      /enabled without a default retention rule, so new log objects are not locked/,
    ],
    [
      "CloudFormation: configuration enabled, no rule, other layout",
      "template.yaml",
      cfnLock(`      ObjectLockConfiguration:
        ObjectLockEnabled: Enabled`),
      /enabled without a default retention rule/,
    ],
    [
      "Terraform: enabled on the bucket only",
      "main.tf",
      tfLock(""),
      /enabled without a default retention rule/,
    ],
    [
      "Terraform: a rule with a mode and no period",
      "main.tf",
      tfLock(`
resource "aws_s3_bucket_object_lock_configuration" "vault" {
  bucket = aws_s3_bucket.vault.id
  rule {
    default_retention {
      mode = "COMPLIANCE"
    }
  }
}
`),
      /default retention in COMPLIANCE mode but no period/,
    ],
    ["CloudFormation: not enabled", "template.yaml", cfnLock("      BucketName: plain-logs"), /not enabled/],
  ])("%s fails with the reason", async (_what, file, text, message) => {
    const finding = await judge("bucket.object-lock", file as "main.tf", text);
    expect(finding.status).toBe("fail");
    expect(finding.message).toMatch(message);
  });
});
