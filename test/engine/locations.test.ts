import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { scan } from "../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";

// Whole scans (the Terraform grammar loads once per file): slow on a busy machine, not a measure of anything.
vi.setConfig({ testTimeout: 60_000 });

const work = mkdtempSync(join(tmpdir(), "trailguard-locations-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Findings point at what decides them: the property (not the resource), the list item (not the list), the policy
 * statement (not the document). Each case is a file; `at` gives, per rule, a text whose line the failing finding
 * must point at (the first line of the file holding it, after `after` when given).
 */
interface Case {
  name: string;
  file: string;
  text: string;
  at: Record<string, { text: string; after?: string }>;
}

function lineOf(text: string, wanted: string, after?: string): number {
  const from = after === undefined ? 0 : text.indexOf(after);
  expect(from, `${after} is in the file`).toBeGreaterThanOrEqual(0);
  const index = text.indexOf(wanted, from);
  expect(index, `${wanted} is in the file`).toBeGreaterThanOrEqual(0);
  return text.slice(0, index).split("\n").length;
}

async function failingLocations(c: Case): Promise<Map<string, number | undefined>> {
  const dir = join(work, c.name.replace(/\W+/g, "-"));
  const path = join(dir, c.file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, c.text);
  const outcome = await scan({ paths: [dir], scope: "resource", ...BUILT_IN_POLICIES });
  expect(outcome.errors.filter((e) => e.severity === "error")).toEqual([]);
  const out = new Map<string, number | undefined>();
  for (const f of outcome.findings) {
    if (f.status !== "fail" || !(f.ruleId in c.at)) continue;
    expect(f.location?.file).toMatch(new RegExp(`${c.file.replace(".", "\\.")}$`));
    out.set(f.ruleId, f.location?.line);
  }
  return out;
}

const cloudFormation: Case = {
  name: "CloudFormation",
  file: "template.yaml",
  text: `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  KeyArn:
    Type: String
    Default: ""
Conditions:
  HasKey: !Not [!Equals [!Ref KeyArn, ""]]
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: !Ref Logs
      KMSKeyId: !If
        - HasKey
        - !Ref KeyArn
        - !Ref AWS::NoValue
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      LifecycleConfiguration:
        Rules:
          - Id: archive
            Status: Enabled
            ExpirationInDays: 400
          - Id: short
            Status: Enabled
            ExpirationInDays: 60
  LogsPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Logs
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: CloudTrailWrite
            Effect: Allow
            Principal:
              Service: cloudtrail.amazonaws.com
            Action: s3:PutObject
            Resource: !Sub "\${Logs.Arn}/*"
          - Sid: PublicRead
            Effect: Allow
            Principal: "*"
            Action: s3:GetObject
            Resource: !Sub "\${Logs.Arn}/*"
`,
  at: {
    "trail.kms-encryption": { text: "KMSKeyId: !If" },
    "bucket.retention": { text: "ExpirationInDays: 60" },
    "bucket.source-condition": { text: "- Sid: CloudTrailWrite" },
    "bucket.dedicated": { text: "- Sid: PublicRead" },
    // No statement to blame: the TLS Deny is missing.
    "bucket.tls-only": { text: "PolicyDocument:" },
    // Without the statement the verdict is unknown (the account's Block Public Access is not in the inputs): the
    // statement decides the failure.
    "bucket.public-access-blocked": { text: "- Sid: PublicRead" },
  },
};

/** Other names, JSON syntax, a disabled short rule before the deciding one, the public statement first. */
const cloudFormationJson: Case = {
  name: "CloudFormation JSON",
  file: "stack.json",
  text: `{
  "Parameters": { "Encryption": { "Type": "String", "AllowedValues": ["on", "off"], "Default": "off" } },
  "Conditions": { "Encrypt": { "Fn::Equals": [{ "Ref": "Encryption" }, "on"] } },
  "Resources": {
    "AuditTrail": {
      "Type": "AWS::CloudTrail::Trail",
      "Properties": {
        "IsLogging": true,
        "IsMultiRegionTrail": true,
        "S3BucketName": { "Ref": "AuditLogs" },
        "KMSKeyId": { "Fn::If": ["Encrypt", "alias/trail", { "Ref": "AWS::NoValue" }] }
      }
    },
    "AuditLogs": {
      "Type": "AWS::S3::Bucket",
      "Properties": {
        "PublicAccessBlockConfiguration": {
          "BlockPublicAcls": true, "IgnorePublicAcls": true, "BlockPublicPolicy": true, "RestrictPublicBuckets": true
        },
        "LifecycleConfiguration": { "Rules": [
          { "Id": "off", "Status": "Disabled", "ExpirationInDays": 1 },
          { "Id": "year", "Status": "Enabled", "ExpirationInDays": 730 },
          { "Id": "month", "Status": "Enabled", "ExpirationInDays": 30 }
        ] }
      }
    },
    "AuditLogsPolicy": {
      "Type": "AWS::S3::BucketPolicy",
      "Properties": {
        "Bucket": { "Ref": "AuditLogs" },
        "PolicyDocument": { "Statement": [
          { "Sid": "Everyone", "Effect": "Allow", "Principal": { "AWS": "*" }, "Action": "s3:GetObject",
            "Resource": { "Fn::Sub": "\${AuditLogs.Arn}/*" } },
          { "Sid": "Trail", "Effect": "Allow", "Principal": { "Service": "cloudtrail.amazonaws.com" },
            "Action": "s3:PutObject", "Resource": { "Fn::Sub": "\${AuditLogs.Arn}/*" },
            "Condition": { "StringEquals": { "aws:SourceAccount": "123456789012" } } }
        ] }
      }
    }
  }
}
`,
  at: {
    "trail.kms-encryption": { text: '"KMSKeyId"' },
    "bucket.retention": { text: '"ExpirationInDays": 30' },
    "bucket.dedicated": { text: '{ "Sid": "Everyone"' },
    "bucket.public-access-blocked": { text: '{ "Sid": "Everyone"' },
  },
};

const terraform: Case = {
  name: "Terraform",
  file: "main.tf",
  text: `variable "key_arn" {
  type    = string
  default = ""
}

resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = aws_s3_bucket.logs.id
  is_multi_region_trail = true
  kms_key_id            = var.key_arn != "" ? var.key_arn : null
}

resource "aws_s3_bucket" "logs" {
  bucket = "trail-logs"
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "archive"
    status = "Enabled"
    expiration {
      days = 400
    }
  }

  rule {
    id     = "short"
    status = "Enabled"
    expiration {
      days = 60
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudTrailWrite"
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "\${aws_s3_bucket.logs.arn}/*"
      },
      {
        Sid       = "PublicRead"
        Effect    = "Allow"
        Principal = "*"
        Action    = "s3:GetObject"
        Resource  = "\${aws_s3_bucket.logs.arn}/*"
      },
    ]
  })
}
`,
  at: {
    "trail.kms-encryption": { text: "kms_key_id" },
    "bucket.retention": { text: "days = 60" },
    "bucket.source-condition": { text: '{\n        Sid       = "CloudTrailWrite"' },
    "bucket.dedicated": { text: '{\n        Sid       = "PublicRead"' },
    "bucket.tls-only": { text: "policy = jsonencode" },
    // The public statement does not decide it alone: the bucket's Block Public Access allows public policies.
    "bucket.public-access-blocked": { text: 'resource "aws_s3_bucket_public_access_block" "logs"' },
  },
};

/** Other names, a policy document data source, the legacy in-bucket lifecycle rules, a disabled rule first. */
const terraformVariant: Case = {
  name: "Terraform variant",
  file: "modules/logs/bucket.tf",
  text: `locals {
  encrypt = false
}

resource "aws_cloudtrail" "audit" {
  name                  = "audit"
  s3_bucket_name        = aws_s3_bucket.audit.bucket
  is_multi_region_trail = true
  kms_key_id = (
    local.encrypt ? "alias/trail" : null
  )
}

resource "aws_s3_bucket" "audit" {
  bucket = "audit-logs"

  lifecycle_rule {
    id      = "off"
    enabled = false
    expiration { days = 1 }
  }
  lifecycle_rule {
    id      = "quarter"
    enabled = true
    expiration { days = 90 }
  }
}

resource "aws_s3_bucket_public_access_block" "audit" {
  bucket                  = aws_s3_bucket.audit.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

data "aws_iam_policy_document" "audit" {
  statement {
    sid = "Trail"
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    actions   = ["s3:PutObject"]
    resources = ["\${aws_s3_bucket.audit.arn}/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = ["123456789012"]
    }
  }
  statement {
    sid = "Anyone"
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.audit.arn}/*"]
  }
}

resource "aws_s3_bucket_policy" "audit" {
  bucket = aws_s3_bucket.audit.id
  policy = data.aws_iam_policy_document.audit.json
}
`,
  at: {
    "trail.kms-encryption": { text: "kms_key_id" },
    "bucket.retention": { text: "expiration { days = 90 }" },
    "bucket.dedicated": { text: "statement {", after: 'sid = "Trail"' },
    "bucket.public-access-blocked": { text: "statement {", after: 'sid = "Trail"' },
  },
};

describe.each([cloudFormation, cloudFormationJson, terraform, terraformVariant])("$name", (c) => {
  it("each failing finding points at the property, list item or statement that decides it", async () => {
    const located = await failingLocations(c);
    const expected = Object.fromEntries(
      Object.entries(c.at).map(([rule, { text, after }]) => [rule, lineOf(c.text, text, after)]),
    );
    const actual = Object.fromEntries(Object.keys(c.at).map((rule) => [rule, located.get(rule)]));
    expect(actual).toEqual(expected);
  });
});
