import { describe, expect, test } from "vitest";
import { isUnknown } from "../../../src/model/index.js";
import { scanFiles, verdicts } from "./support.js";

/** Verdicts keyed by the Terraform address (the part after `file#`). */
function byAddress(findings: Parameters<typeof verdicts>[0], ruleId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(verdicts(findings, ruleId))) out[k.slice(k.indexOf("#") + 1)] = v;
  return out;
}

const bucket = (name: string) => `resource "aws_s3_bucket" "${name}" {\n  bucket = "${name}-logs"\n}\n`;

describe("functions and data sources decide what they can", () => {
  test.each([
    ["WriteOnly", "fail"],
    ["All", "pass"],
  ])("try() over a dynamic selector's %s read_write_type", (readWrite, expected) => {
    const r = scanFiles({
      "main.tf": `${bucket("b")}
variable "selectors" {
  default = [{ read_write_type = "${readWrite}", include_management_events = true }]
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.b.id
  dynamic "event_selector" {
    for_each = var.selectors
    content {
      read_write_type           = try(event_selector.value.read_write_type, "All")
      include_management_events = try(event_selector.value.include_management_events, true)
    }
  }
}
`,
    });
    expect(byAddress(r.findings, "trail.management-events")).toEqual({ "aws_cloudtrail.t": expected });
  });

  test("try() moves past a missing attribute; can() says whether an expression is accepted", () => {
    const r = scanFiles({
      "trail.tf": `${bucket("audit")}
locals {
  settings = { other = 1 }
  regions  = can(local.settings.multi) ? local.settings.multi : false
}
resource "aws_cloudtrail" "audit" {
  name                  = "audit"
  s3_bucket_name        = aws_s3_bucket.audit.id
  is_multi_region_trail = local.regions
  enable_logging        = try(local.settings.logging, local.settings["missing"], false)
}
`,
    });
    expect(byAddress(r.findings, "trail.multi-region")).toEqual({ "aws_cloudtrail.audit": "fail" });
    expect(byAddress(r.findings, "trail.logging")).toEqual({ "aws_cloudtrail.audit": "fail" });
  });

  test("try() over a value known only after apply stays unknown", () => {
    const r = scanFiles({
      "main.tf": `${bucket("b")}
variable "multi" {}
resource "aws_cloudtrail" "t" {
  name                  = "t"
  s3_bucket_name        = aws_s3_bucket.b.id
  is_multi_region_trail = try(var.multi, true)
}
`,
    });
    expect(byAddress(r.findings, "trail.multi-region")).toEqual({ "aws_cloudtrail.t": "unknown" });
  });

  test.each([
    ["file()", `file("\${path.module}/policies/logs.json")`, "policies/logs.json", `"Principal": "*"`],
    [
      "templatefile()",
      `templatefile("policies/logs.json.tpl", { who = "*", arn = aws_s3_bucket.b.arn })`,
      "policies/logs.json.tpl",
      `"Principal": "\${who}"`,
    ],
  ])("%s of a policy inside the scanned folder is read", (_name, call, path, principal) => {
    const policy = `{
  "Version": "2012-10-17",
  "Statement": [
    { "Effect": "Allow", ${principal}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b-logs/*" }
  ]
}
`;
    const r = scanFiles({
      "main.tf": `${bucket("b")}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = ${call}
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.b.id
}
`,
      [path]: policy,
    });
    const doc = r.account.buckets[0]?.policy;
    expect(doc && !isUnknown(doc) && !isUnknown(doc.statements) && doc.statements[0]?.principals).toEqual([
      "*",
    ]);
    expect(byAddress(r.findings, "bucket.tls-only")).toEqual({ "aws_s3_bucket.b": "fail" });
  });

  test("file() outside the scanned folder stays unknown", () => {
    const r = scanFiles({
      "main.tf": `${bucket("b")}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = file("../../../etc/hostname")
}
`,
    });
    const doc = r.account.buckets[0]?.policy;
    expect(isUnknown(doc) && doc.reason).toMatch(/outside the scanned folder/);
  });

  test.each([
    ["count", "count = 1", "[0]"],
    ["for_each", `for_each = toset(["logs"])`, `["logs"]`],
  ])("a %s-indexed policy document is read", (_name, meta, index) => {
    const r = scanFiles({
      "main.tf": `${bucket("trail_bucket")}
data "aws_iam_policy_document" "logs" {
  ${meta}
  statement {
    sid     = "Read"
    actions = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.trail_bucket.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.trail_bucket.id
  policy = data.aws_iam_policy_document.logs${index}.json
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.trail_bucket.id
}
`,
    });
    expect(byAddress(r.findings, "bucket.tls-only")).toEqual({ "aws_s3_bucket.trail_bucket": "fail" });
  });
});

describe("an unknown value affects only the policy statements and fields holding it", () => {
  const blocked = (b: string) => `resource "aws_s3_bucket_public_access_block" "${b}" {
  bucket                  = aws_s3_bucket.${b}.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
resource "aws_cloudtrail" "trail" {
  name           = "trail"
  s3_bucket_name = aws_s3_bucket.${b}.id
}
`;
  const expectDecidedFails = (findings: Parameters<typeof byAddress>[0], address: string) => {
    for (const rule of [
      "bucket.public-access-blocked",
      "bucket.tls-only",
      "bucket.source-condition",
      "bucket.dedicated",
    ])
      expect({ rule, verdicts: byAddress(findings, rule) }).toEqual({
        rule,
        verdicts: { [address]: "fail" },
      });
  };

  test("jsonencode with a variable without default in one statement's Resource", () => {
    const main = `${bucket("logs")}${blocked("logs")}
variable "prefix" {}
resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Principal = "*", Action = "s3:GetObject", Resource = "\${aws_s3_bucket.logs.arn}/*" },
      {
        Effect    = "Allow"
        Principal = { Service = "cloudtrail.amazonaws.com" }
        Action    = "s3:PutObject"
        Resource  = "arn:aws:s3:::\${var.prefix}-logs/AWSLogs/*"
      },
    ]
  })
}
`;
    const r = scanFiles({ "main.tf": main });
    const policy = r.account.buckets[0]?.policy;
    const statements = policy && !isUnknown(policy) ? policy.statements : policy;
    expect(Array.isArray(statements) && statements.map((s) => isUnknown(s.resources))).toEqual([false, true]);
    expect(Array.isArray(statements) && statements[1]?.location?.line).toBe(
      main.split("\n").findIndex((l) => l.trim() === "{") + 1,
    );
    expectDecidedFails(r.findings, "aws_s3_bucket.logs");
  });

  test("aws_iam_policy_document with an unknown condition value in one statement", () => {
    const r = scanFiles({
      "bucket.tf": `${bucket("audit_store")}${blocked("audit_store")}`,
      "policy.tf": `
data "aws_caller_identity" "current" {}
data "terraform_remote_state" "org" {}
data "aws_iam_policy_document" "store" {
  statement {
    sid       = "Anyone"
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.audit_store.arn}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
  statement {
    sid       = "Trail"
    actions   = ["s3:PutObject"]
    resources = ["\${aws_s3_bucket.audit_store.arn}/\${data.terraform_remote_state.org.outputs.prefix}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }
}
resource "aws_s3_bucket_policy" "store" {
  bucket = aws_s3_bucket.audit_store.id
  policy = data.aws_iam_policy_document.store.json
}
`,
    });
    expectDecidedFails(r.findings, "aws_s3_bucket.audit_store");
  });

  test("an unknown principal still leaves the statement's verdict unknown", () => {
    const r = scanFiles({
      "main.tf": `${bucket("b")}${blocked("b")}
variable "reader" {}
resource "aws_s3_bucket_policy" "b" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{ Effect = "Allow", Principal = { AWS = var.reader }, Action = "s3:GetObject", Resource = "*" }]
  })
}
`,
    });
    expect(byAddress(r.findings, "bucket.public-access-blocked")).toEqual({ "aws_s3_bucket.b": "unknown" });
    expect(byAddress(r.findings, "bucket.tls-only")).toEqual({ "aws_s3_bucket.b": "fail" });
  });
});
