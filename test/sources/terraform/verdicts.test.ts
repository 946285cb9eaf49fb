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
