import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { findingFingerprint, isUnknown } from "../../../src/model/index.js";
import { scan } from "../../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../../support/evaluate.js";
import { findingsOf, readTree, scanFiles, verdicts, writeTree } from "./support.js";

/** Verdicts keyed by the Terraform address (the part after `file#`). */
function byAddress(findings: Parameters<typeof verdicts>[0], ruleId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(verdicts(findings, ruleId))) out[k.slice(k.indexOf("#") + 1)] = v;
  return out;
}

const bucket = (name: string) => `resource "aws_s3_bucket" "${name}" {\n  bucket = "${name}-logs"\n}\n`;
const trailBlock = (name: string) =>
  `resource "aws_cloudtrail" "t" {\n  name                  = "${name}"\n  s3_bucket_name        = "x"\n  is_multi_region_trail = true\n}\n`;

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

describe("variable files Terraform loads by itself", () => {
  const main = `${bucket("b")}
variable "multi_region" {
  type    = bool
  default = true
}
resource "aws_cloudtrail" "t" {
  name                  = "t"
  s3_bucket_name        = aws_s3_bucket.b.id
  is_multi_region_trail = var.multi_region
}
`;
  test.each([
    ["terraform.tfvars.json", { "terraform.tfvars.json": `{"multi_region": false}` }, "fail"],
    [
      "terraform.tfvars.json after terraform.tfvars",
      {
        "terraform.tfvars": "multi_region = true\n",
        "terraform.tfvars.json": `{\n  "multi_region": false\n}`,
      },
      "fail",
    ],
    [
      "*.auto.tfvars.json in name order after the others",
      {
        "terraform.tfvars.json": `{"multi_region": false}`,
        "a.auto.tfvars.json": `{"multi_region": "false"}`,
        "b.auto.tfvars": "multi_region = true\n",
      },
      "pass",
    ],
    [
      "*.auto.tfvars.json last in name order",
      { "a.auto.tfvars": "multi_region = true\n", "z.auto.tfvars.json": `{"multi_region": false}` },
      "fail",
    ],
  ])("%s", (_name, vars, expected) => {
    const r = scanFiles({ "main.tf": main, ...vars });
    expect(byAddress(r.findings, "trail.multi-region")).toEqual({ "aws_cloudtrail.t": expected });
  });

  test("a .tfvars.json syntax error names its line", () => {
    const r = scanFiles({ "main.tf": main, "terraform.tfvars.json": `{\n  "multi_region": false,\n}` });
    expect(r.errors).toContainEqual(
      expect.objectContaining({ code: "syntax", file: "terraform.tfvars.json", line: 3 }),
    );
  });
});

describe("Terraform's JSON syntax", () => {
  test("a main.tf.json trail is read with templates, references and variables", () => {
    const text = JSON.stringify(
      {
        variable: { multi: { type: "bool", default: false } },
        resource: {
          aws_s3_bucket: { logs: { bucket: "cdktf-logs" } },
          aws_cloudtrail: {
            cdktf_trail: {
              name: "cdktf-trail",
              s3_bucket_name: "${aws_s3_bucket.logs.id}",
              is_multi_region_trail: "${var.multi}",
              event_selector: [{ read_write_type: "WriteOnly", include_management_events: true }],
              tags: { Name: "trail-${var.multi}" },
            },
          },
        },
      },
      null,
      2,
    );
    const r = scanFiles({ "main.tf.json": text });
    expect(byAddress(r.findings, "trail.multi-region")).toEqual({ "aws_cloudtrail.cdktf_trail": "fail" });
    expect(byAddress(r.findings, "trail.management-events")).toEqual({
      "aws_cloudtrail.cdktf_trail": "fail",
    });
    const trail = r.account.trails[0];
    expect(trail?.origin.location).toMatchObject({
      file: "main.tf.json",
      line: text.split("\n").findIndex((l) => l.includes('"cdktf_trail"')) + 1,
    });
    expect(r.errors.filter((e) => e.severity === "error")).toEqual([]);
  });

  test("a .tf.json beside .tf files, with a dynamic block and a module call", () => {
    const r = scanFiles({
      "infra/buckets.tf": bucket("audit"),
      "infra/trail.tf.json": `{
  "locals": { "selectors": [{ "rw": "ReadOnly" }] },
  "module": { "trail": { "source": "../modules/trail", "bucket": "\${aws_s3_bucket.audit.id}" } }
}`,
      "modules/trail/main.tf.json": `{
  "variable": { "bucket": {} },
  "resource": {
    "aws_cloudtrail": {
      "this": {
        "name": "from-module",
        "s3_bucket_name": "\${var.bucket}",
        "dynamic": {
          "event_selector": {
            "for_each": [{ "rw": "ReadOnly" }],
            "content": { "read_write_type": "\${event_selector.value.rw}" }
          }
        }
      }
    }
  }
}`,
    });
    expect(byAddress(r.findings, "trail.management-events")).toEqual({
      "infra:module.trail.aws_cloudtrail.this": "fail",
    });
    expect(r.account.trails[0]?.s3BucketName).toBe("audit-logs");
  });

  test("a .tf.json syntax error names file and line; the other files are read", () => {
    const r = scanFiles({
      "main.tf": `${bucket("b")}resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = aws_s3_bucket.b.id\n}\n`,
      "extra.tf.json": `{\n  "resource": {\n    "aws_sns_topic": { "x": { "name": "x" } }\n  ]\n}`,
    });
    expect(r.errors).toContainEqual(
      expect.objectContaining({ code: "syntax", file: "extra.tf.json", line: 4 }),
    );
    expect(r.account.trails).toHaveLength(1);
  });
});

describe("override files merge into the blocks they declare again", () => {
  test.each([
    ["override.tf", `resource "aws_cloudtrail" "t" {\n  tags = { team = "audit" }\n}\n`],
    ["trail_override.tf", `resource "aws_cloudtrail" "t" {\n  tags = { team = "audit" }\n}\n`],
    ["override.tf.json", `{"resource": {"aws_cloudtrail": {"t": {"tags": {"team": "audit"}}}}}`],
  ])("%s re-declaring the trail with only tags keeps enable_logging = false", (name, text) => {
    const r = scanFiles({
      "main.tf": `${bucket("b")}resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.b.id
  enable_logging = false
}
`,
      [name]: text,
    });
    const logging = r.findings.find((f) => f.ruleId === "trail.logging");
    expect(logging?.status).toBe("fail");
    expect(logging?.location).toMatchObject({ file: "main.tf", line: 7 });
    expect(r.account.trails[0]?.origin.location).toMatchObject({ file: "main.tf" });
  });

  test("arguments replace one by one, nested blocks of a type replace all of them, locals per name", () => {
    const r = scanFiles({
      "trail.tf": `${bucket("store")}locals {
  multi = false
  name  = "audit"
}
resource "aws_cloudtrail" "audit" {
  name                  = local.name
  s3_bucket_name        = aws_s3_bucket.store.id
  is_multi_region_trail = local.multi
  enable_logging        = true
  event_selector {
    read_write_type = "All"
  }
  event_selector {
    read_write_type = "All"
  }
}
`,
      "z_override.tf": `locals {
  multi = true
}
resource "aws_cloudtrail" "audit" {
  enable_logging = false
  event_selector {
    read_write_type = "ReadOnly"
  }
}
`,
    });
    expect(byAddress(r.findings, "trail.multi-region")).toEqual({ "aws_cloudtrail.audit": "pass" });
    expect(byAddress(r.findings, "trail.logging")).toEqual({ "aws_cloudtrail.audit": "fail" });
    expect(byAddress(r.findings, "trail.management-events")).toEqual({ "aws_cloudtrail.audit": "fail" });
    const trail = r.account.trails[0];
    expect(trail?.name).toBe("audit");
    expect(trail && !isUnknown(trail.eventSelectors) && trail.eventSelectors).toHaveLength(1);
  });

  test("an override of something not declared, and the same address declared twice, are errors", () => {
    const r = scanFiles({
      "a.tf": `${bucket("b")}resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = aws_s3_bucket.b.id\n}\n`,
      "b.tf": `resource "aws_cloudtrail" "t" {\n  name = "other"\n  s3_bucket_name = "x"\n}\n`,
      "override.tf": `resource "aws_sns_topic" "missing" {\n  name = "n"\n}\n`,
    });
    expect(r.errors).toContainEqual(
      expect.objectContaining({ code: "structure", file: "b.tf", line: 1, severity: "error" }),
    );
    expect(r.errors).toContainEqual(
      expect.objectContaining({ code: "structure", file: "override.tf", line: 1, severity: "error" }),
    );
  });

  test.each([
    ["in two files", { "a.tf": trailBlock("a"), "b.tf": trailBlock("b") }],
    ["in one file", { "a.tf": `${trailBlock("a")}${trailBlock("b")}` }],
  ])(
    "a resource declared twice %s: Terraform rejects the module, so none of it is judged",
    (_name, files) => {
      const r = scanFiles({ ...files, "logs.tf": bucket("logs") }, true);
      expect(r.errors).toContainEqual(
        expect.objectContaining({ code: "structure", message: expect.stringMatching(/declared twice/) }),
      );
      expect(r.account.trails).toEqual([]);
      expect(r.account.buckets).toEqual([]);
      expect(r.findings.filter((f) => f.status === "pass")).toEqual([]);
      expect(r.account.coverage.trails.reason).toMatch(
        /module \. are not judged: aws_cloudtrail\.t is declared twice/,
      );
    },
  );

  test("a module that calls a rejected one keeps its own verdicts; the rejected module's lists are partial", () => {
    const r = scanFiles({
      "root/main.tf": `${bucket("kept")}module "m" {\n  source = "../mod"\n}\n`,
      "mod/main.tf": `${bucket("twice")}${bucket("twice")}`,
    });
    expect(r.account.buckets.map((b) => b.name)).toEqual(["kept-logs"]);
    expect(r.account.coverage.buckets.reason).toMatch(/module mod are not judged/);
  });
});

describe("each root module is its own evaluation", () => {
  test("the same module called from two roots keeps each root's inputs and gets distinct addresses", () => {
    const root = fileURLToPath(new URL("../../fixtures/terraform/multi-root", import.meta.url));
    const outcome = readTree(root);
    const findings = findingsOf(outcome, root);
    expect(verdicts(findings, "trail.multi-region")).toEqual({
      "modules/trail/main.tf#envs/dev:module.trail.aws_cloudtrail.this": "fail",
      "modules/trail/main.tf#envs/prod:module.trail.aws_cloudtrail.this": "pass",
    });
    expect(outcome.account.trails.map((t) => t.s3BucketName).sort()).toEqual([
      "dev-trail-logs",
      "prod-trail-logs",
    ]);
  });

  test("instances of one module in several roots and under several names get distinct fingerprints", () => {
    const call = (name: string, multi: string) =>
      `module "${name}" {\n  source = "../../shared/audit"\n  multi  = ${multi}\n}\n`;
    const r = scanFiles({
      "shared/audit/trail.tf": `variable "multi" {}\n${bucket("audit")}resource "aws_cloudtrail" "main" {
  name                  = "main"
  s3_bucket_name        = aws_s3_bucket.audit.id
  is_multi_region_trail = var.multi
}
`,
      "stacks/eu/main.tf": call("audit", "true") + call("audit_copy", "false"),
      "stacks/us/main.tf": call("audit", "false") + call("audit_copy", "true"),
    });
    const verdict = verdicts(r.findings, "trail.multi-region");
    expect(verdict).toEqual({
      "shared/audit/trail.tf#stacks/eu:module.audit.aws_cloudtrail.main": "pass",
      "shared/audit/trail.tf#stacks/eu:module.audit_copy.aws_cloudtrail.main": "fail",
      "shared/audit/trail.tf#stacks/us:module.audit.aws_cloudtrail.main": "fail",
      "shared/audit/trail.tf#stacks/us:module.audit_copy.aws_cloudtrail.main": "pass",
    });
    const fingerprints = r.findings
      .filter((f) => f.ruleId === "trail.multi-region")
      .map((f) => findingFingerprint(f));
    expect(new Set(fingerprints).size).toBe(4);
    // Each bucket belongs to its own root's trail.
    expect(Object.keys(verdicts(r.findings, "bucket.versioning"))).toHaveLength(4);
  });
});

describe("modules trailguard cannot read", () => {
  const root = `resource "aws_cloudwatch_log_group" "trail" {
  name              = "trail-events"
  retention_in_days = 30
}
resource "aws_cloudwatch_log_group" "app" {
  name              = "app"
  retention_in_days = 7
}
module "cloudtrail" {
  source                     = "cloudposse/cloudtrail/aws"
  version                    = "0.24.0"
  cloud_watch_logs_group_arn = "\${aws_cloudwatch_log_group.trail.arn}:*"
}
`;
  test("a log group handed to a module that is not downloaded is possibly a trail's: unknown, naming the module", () => {
    const r = scanFiles({ "main.tf": root });
    expect(byAddress(r.findings, "log-group.retention")).toEqual({
      "aws_cloudwatch_log_group.trail": "unknown",
      "aws_cloudwatch_log_group.app": "not-applicable",
    });
    const finding = r.findings.find(
      (f) => f.ruleId === "log-group.retention" && f.resource.address.endsWith("log_group.trail"),
    );
    expect(JSON.stringify(finding)).toMatch(/module\.cloudtrail.*terraform init/);
  });

  test("after terraform init, the downloaded module is read from .terraform/modules", () => {
    const r = scanFiles({
      "live/main.tf": root.replace("cloudposse/cloudtrail/aws", "git::https://example.com/trail.git?ref=v1"),
      "live/.terraform/modules/modules.json": JSON.stringify({
        Modules: [
          { Key: "", Source: "", Dir: "." },
          {
            Key: "cloudtrail",
            Source: "git::https://example.com/trail.git?ref=v1",
            Dir: ".terraform/modules/cloudtrail",
          },
        ],
      }),
      "live/.terraform/modules/cloudtrail/main.tf": `variable "cloud_watch_logs_group_arn" {}
resource "aws_s3_bucket" "logs" {
  bucket = "downloaded-logs"
}
resource "aws_cloudtrail" "this" {
  name                       = "downloaded"
  s3_bucket_name             = aws_s3_bucket.logs.id
  cloud_watch_logs_group_arn = var.cloud_watch_logs_group_arn
  cloud_watch_logs_role_arn  = "arn:aws:iam::111122223333:role/trail"
}
`,
    });
    expect(r.account.trails.map((t) => t.name)).toEqual(["downloaded"]);
    expect(byAddress(r.findings, "log-group.retention")).toEqual({
      "aws_cloudwatch_log_group.trail": "fail",
      "aws_cloudwatch_log_group.app": "not-applicable",
    });
  });
});

describe("resources whose creation cannot be decided", () => {
  test("carry the reason, so that account rules never pass thanks to them", () => {
    const r = scanFiles({
      "main.tf": `variable "enabled" {}
${bucket("b")}resource "aws_cloudtrail" "maybe" {
  count          = var.enabled ? 1 : 0
  name           = "maybe"
  s3_bucket_name = aws_s3_bucket.b.id
}
`,
    });
    expect(r.account.trails[0]?.existence?.reason).toMatch(/aws_cloudtrail\.maybe.*var\.enabled/);
  });

  test("a module called with an undecidable for_each passes the doubt to its resources", () => {
    const r = scanFiles({
      "root/main.tf": `variable "regions" {}
module "audit" {
  source   = "../mod"
  for_each = var.regions
}
`,
      "mod/main.tf": `${bucket("x")}resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.x.id
}
`,
    });
    expect(r.account.trails[0]?.existence?.reason).toMatch(/module\.audit.*var\.regions/);
  });
});

describe("plan JSON: references link what the plan creates", () => {
  const resource = (address: string, type: string, values: Record<string, unknown>) => ({
    address,
    mode: "managed",
    type,
    name: address.split(".").pop()?.replace(/\[.*$/, ""),
    values,
  });
  const writePlan = (plan: unknown) => ({
    "tfplan.json": JSON.stringify({ format_version: "1.2", ...(plan as object) }),
  });

  test("a kms_key_id known only after apply that refers to a key created without rotation fails rotation", () => {
    const r = scanFiles(
      writePlan({
        planned_values: {
          root_module: {
            resources: [
              resource("aws_cloudtrail.main", "aws_cloudtrail", {
                name: "main",
                s3_bucket_name: "plan-logs",
              }),
              resource("aws_kms_key.trail", "aws_kms_key", { enable_key_rotation: false }),
              resource("aws_kms_key.other", "aws_kms_key", { enable_key_rotation: true }),
            ],
          },
        },
        resource_changes: [
          { address: "aws_cloudtrail.main", change: { after_unknown: { kms_key_id: true } } },
          { address: "aws_kms_key.trail", change: { after_unknown: { arn: true } } },
        ],
        configuration: {
          root_module: {
            resources: [
              {
                address: "aws_cloudtrail.main",
                expressions: { kms_key_id: { references: ["aws_kms_key.trail.arn", "aws_kms_key.trail"] } },
              },
            ],
          },
        },
      }),
    );
    expect(byAddress(r.findings, "trail.kms-key-rotation")).toEqual({ "aws_cloudtrail.main": "fail" });
    expect(r.account.trails[0]?.links.key).toMatch(/aws_kms_key\.trail$/);
  });

  test("references inside a module call are followed to the caller's bucket and log group", () => {
    const r = scanFiles(
      writePlan({
        planned_values: {
          root_module: {
            resources: [
              resource("aws_s3_bucket.store", "aws_s3_bucket", { force_destroy: false }),
              resource("aws_cloudwatch_log_group.events[0]", "aws_cloudwatch_log_group", {
                name: "events",
                retention_in_days: 14,
              }),
            ],
            child_modules: [
              {
                address: "module.audit",
                resources: [
                  resource("module.audit.aws_cloudtrail.this", "aws_cloudtrail", {
                    name: "audit",
                    cloud_watch_logs_role_arn: "arn:aws:iam::111122223333:role/t",
                  }),
                ],
              },
            ],
          },
        },
        resource_changes: [
          {
            address: "module.audit.aws_cloudtrail.this",
            change: { after_unknown: { s3_bucket_name: true, cloud_watch_logs_group_arn: true } },
          },
          { address: "aws_s3_bucket.store", change: { after_unknown: { bucket: true, id: true } } },
        ],
        configuration: {
          root_module: {
            module_calls: {
              audit: {
                expressions: {
                  bucket_id: { references: ["aws_s3_bucket.store.id", "aws_s3_bucket.store"] },
                  group_arn: {
                    references: [
                      "aws_cloudwatch_log_group.events[0].arn",
                      "aws_cloudwatch_log_group.events[0]",
                      "aws_cloudwatch_log_group.events",
                    ],
                  },
                },
                module: {
                  resources: [
                    {
                      address: "aws_cloudtrail.this",
                      expressions: {
                        s3_bucket_name: { references: ["var.bucket_id"] },
                        cloud_watch_logs_group_arn: { references: ["var.group_arn"] },
                      },
                    },
                  ],
                },
              },
            },
          },
        },
      }),
    );
    const trail = r.account.trails[0];
    expect(trail?.links.bucket).toMatch(/aws_s3_bucket\.store$/);
    expect(trail?.links.logGroup).toMatch(/aws_cloudwatch_log_group\.events\[0\]$/);
    expect(byAddress(r.findings, "log-group.retention")).toEqual({
      "aws_cloudwatch_log_group.events[0]": "fail",
    });
  });

  test("a value that also depends on a variable stays unknown", () => {
    const r = scanFiles(
      writePlan({
        planned_values: {
          root_module: {
            resources: [
              resource("aws_cloudtrail.t", "aws_cloudtrail", { name: "t", s3_bucket_name: "b" }),
              resource("aws_kms_key.k", "aws_kms_key", { enable_key_rotation: false }),
            ],
          },
        },
        resource_changes: [{ address: "aws_cloudtrail.t", change: { after_unknown: { kms_key_id: true } } }],
        configuration: {
          root_module: {
            resources: [
              {
                address: "aws_cloudtrail.t",
                expressions: {
                  kms_key_id: { references: ["var.use_key", "aws_kms_key.k.arn", "aws_kms_key.k"] },
                },
              },
            ],
          },
        },
      }),
    );
    expect(byAddress(r.findings, "trail.kms-key-rotation")).toEqual({ "aws_cloudtrail.t": "unknown" });
  });
});

describe("bounded: limits are errors naming file and line, the rest is read", () => {
  const trailTf = `${bucket("kept")}resource "aws_cloudtrail" "kept" {\n  name           = "kept"\n  s3_bucket_name = aws_s3_bucket.kept.id\n}\n`;
  test.each([
    ["count = 100000000", `resource "aws_sns_topic" "many" {\n  count = 100000000\n  name  = "t"\n}\n`, 2],
    ["count = 1e10", `\n\nresource "aws_s3_bucket" "huge" {\n  count  = 10000000000\n  bucket = "b"\n}\n`, 4],
    [
      "for_each over more items than the limit",
      `locals {\n  names = [for i in range(1) : "x"]\n}\nresource "aws_s3_bucket" "each" {\n  for_each = toset([${Array.from({ length: 10_001 }, (_, i) => `"n${i}"`).join(", ")}])\n  bucket   = each.key\n}\n`,
      5,
    ],
  ])("%s", (_name, text, line) => {
    const r = scanFiles({ "main.tf": trailTf, "many.tf": text });
    expect(r.errors).toContainEqual(
      expect.objectContaining({ code: "limit-exceeded", file: "many.tf", line, severity: "error" }),
    );
    expect(r.account.trails.map((t) => t.name)).toEqual(["kept"]);
  });

  test("200k for_each instances: the cap's error, no stack overflow, the rest read", async () => {
    // 448 × 448 keys from two nested `for`s: 200k instances from a file of a few kilobytes.
    const keys = `[${Array.from({ length: 448 }, (_, i) => `"k${i}"`).join(", ")}]`;
    const list = `flatten([for a in ${keys} : [for b in ${keys} : "\${a}-\${b}"]])`;
    const cwd = writeTree({
      "main.tf": trailTf,
      "many.tf": `\nresource "aws_s3_bucket" "each" {\n  for_each = toset(${list})\n  bucket   = each.key\n}\n`,
    });
    const r = await scan({ paths: ["."], cwd, scope: "resource", ...BUILT_IN_POLICIES });
    expect(r.errors).toContainEqual(
      expect.objectContaining({
        code: "limit-exceeded",
        file: "many.tf",
        line: 3,
        severity: "error",
        message: expect.stringMatching(/--max-instances/),
      }),
    );
    expect(r.errors.filter((e) => e.code === "reader-failure")).toEqual([]);
    expect(r.inventory.accounts.flatMap((a) => a.trails.map((t) => t.name))).toEqual(["kept"]);
    expect(r.findings.some((f) => f.resource.address.includes("aws_cloudtrail.kept"))).toBe(true);
  }, 60_000);

  test.each([
    ["a module that calls itself", { "mod/main.tf": `module "again" {\n  source = "./"\n}\n` }],
    [
      "two modules that call each other",
      {
        "mod/main.tf": `module "other" {\n  source = "../other"\n}\n`,
        "other/main.tf": `\nmodule "back" {\n  source = "../mod"\n}\n`,
      },
    ],
  ])("%s is an error", (_name, files) => {
    const r = scanFiles({ "root/main.tf": `${trailTf}module "m" {\n  source = "../mod"\n}\n`, ...files });
    expect(r.errors).toContainEqual(
      expect.objectContaining({
        code: "structure",
        message: expect.stringMatching(/cycle/),
        severity: "error",
      }),
    );
    expect(r.account.trails.map((t) => t.name)).toEqual(["kept"]);
  });

  test("a deeply nested expression is an error naming its file and line; the other files are read", () => {
    const deep = `locals {\n  a = 1\n  x = ${"[".repeat(20_000)}${"]".repeat(20_000)}\n}\n`;
    const r = scanFiles({ "main.tf": trailTf, "deep.tf": deep });
    expect(r.errors).toContainEqual(
      expect.objectContaining({ code: "limit-exceeded", file: "deep.tf", line: 3, severity: "error" }),
    );
    expect(r.account.trails.map((t) => t.name)).toEqual(["kept"]);
  });

  test("a plan JSON syntax error names its line", () => {
    const plan = `{\n  "format_version": "1.2",\n  "planned_values": {\n    "root_module": {}\n  },,\n}\n`;
    const r = scanFiles({ "plan.json": plan });
    expect(r.errors).toContainEqual(expect.objectContaining({ code: "syntax", file: "plan.json", line: 5 }));
  });
});

describe("--var-file", () => {
  const tree = () =>
    writeTree({
      "env/main.tf": `${bucket("b")}variable "multi" {
  default = true
}
variable "logging" {
  default = true
}
resource "aws_cloudtrail" "t" {
  name                  = "t"
  s3_bucket_name        = aws_s3_bucket.b.id
  is_multi_region_trail = var.multi
  enable_logging        = var.logging
}
`,
      "env/prod.tfvars": "multi = false\n",
      "env/later.tfvars.json": `{"logging": false}`,
      "env/unused.tfvars": "logging = true\n",
    });
  const run = (cwd: string, varFiles: string[]) =>
    scan({ paths: ["env"], cwd, scope: "resource", ...BUILT_IN_POLICIES, terraform: { varFiles } });
  const verdict = (findings: Parameters<typeof byAddress>[0], rule: string) =>
    Object.values(byAddress(findings, rule))[0];

  test("a non-auto .tfvars overriding a default is read when given, in the order given", async () => {
    const cwd = tree();
    const without = await run(cwd, []);
    expect(verdict(without.findings, "trail.multi-region")).toBe("pass");
    const warned = without.errors.find(
      (e) => e.file === "env/later.tfvars.json" || e.file === "env/prod.tfvars",
    );
    expect(warned?.message).toMatch(/not read: Terraform reads them only with -var-file.*read for env: none/);

    const given = await run(cwd, ["env/prod.tfvars", "env/later.tfvars.json"]);
    expect(verdict(given.findings, "trail.multi-region")).toBe("fail");
    expect(verdict(given.findings, "trail.logging")).toBe("fail");
    const report = given.errors.find((e) => e.code === "unresolved" && /not read/.test(e.message));
    expect(report?.message).toMatch(
      /env\/unused\.tfvars is not read.*read for env: env\/prod\.tfvars, env\/later\.tfvars\.json/,
    );
  });

  test("a later --var-file wins over an earlier one and over the automatic files", async () => {
    const cwd = tree();
    writeFileSync(join(cwd, "env/terraform.tfvars"), "logging = false\n");
    const r = await run(cwd, ["env/later.tfvars.json", "env/unused.tfvars"]);
    expect(verdict(r.findings, "trail.logging")).toBe("pass");
  });
});

describe("conflicting declarations of a bucket setting", () => {
  test.each([
    [
      "an inline lifecycle_rule beside aws_s3_bucket_lifecycle_configuration",
      `  lifecycle_rule {
    enabled = true
    expiration {
      days = 30
    }
  }`,
      `resource "aws_s3_bucket_lifecycle_configuration" "split" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "keep"
    status = "Enabled"
    expiration {
      days = 400
    }
  }
}`,
      "lifecycleRules",
      "bucket.retention",
    ],
    [
      "two aws_s3_bucket_versioning resources for one bucket",
      "",
      `resource "aws_s3_bucket_versioning" "on" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_s3_bucket_versioning" "off" {
  bucket = aws_s3_bucket.logs.bucket
  versioning_configuration {
    status = "Suspended"
  }
}`,
      "versioning",
      "bucket.versioning",
    ],
  ])("%s: reported, and the setting is unknown", (_name, inline, split, field, rule) => {
    const r = scanFiles({
      "main.tf": `resource "aws_s3_bucket" "logs" {
  bucket = "conflict-logs"
${inline}
}
${split}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.logs.id
}
`,
    });
    const b = r.account.buckets[0] as unknown as Record<string, unknown>;
    expect(isUnknown(b[field])).toBe(true);
    expect(r.errors).toContainEqual(
      expect.objectContaining({ severity: "warning", message: expect.stringMatching(/configured both by/) }),
    );
    expect(byAddress(r.findings, rule)).toEqual({ "aws_s3_bucket.logs": "unknown" });
  });
});

describe("a file of a module that cannot be read", () => {
  test.each([
    ["the root module", "stack", "stack/extra.tf"],
    ["a called module", "modules/logs", "modules/logs/split.tf"],
  ])("in %s leaves the bucket settings it may configure unknown, never passing", async (_name, dir, big) => {
    const cwd = writeTree({
      [`${dir}/main.tf`]: `${bucket("store")}resource "aws_s3_bucket_versioning" "v" {
  bucket = aws_s3_bucket.store.id
  versioning_configuration {
    status = "Enabled"
  }
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.store.id
}
`,
      ...(dir === "stack" ? {} : { "stack/main.tf": `module "logs" {\n  source = "../${dir}"\n}\n` }),
      [big]: `# ${"x".repeat(4000)}\nresource "aws_s3_bucket_versioning" "off" {}\n`,
    });
    const r = await scan({
      paths: ["."],
      cwd,
      scope: "resource",
      ...BUILT_IN_POLICIES,
      maxFileBytes: 2000,
    });
    expect(r.errors).toContainEqual(expect.objectContaining({ code: "file-too-large", file: big }));
    const versioning = r.findings.filter((f) => f.ruleId === "bucket.versioning");
    expect(versioning.map((f) => f.status)).toEqual(["unknown"]);
    expect(JSON.stringify(versioning[0])).toContain(big);
  });

  test.each([
    ["the root module", "stack", "stack/trails.tf"],
    ["a called module", "modules/audit", "modules/audit/trails.tf"],
  ])(
    "in %s leaves the account's lists, trail use and subscriptions unknown, naming it",
    async (_name, dir, big) => {
      const cwd = writeTree({
        [`${dir}/main.tf`]: `${bucket("spare")}resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\n`,
        ...(dir === "stack" ? {} : { "stack/main.tf": `module "audit" {\n  source = "../${dir}"\n}\n` }),
        [big]: `# ${"x".repeat(4000)}\nresource "aws_cloudtrail" "hidden" {}\n`,
      });
      const r = await scan({
        paths: ["."],
        cwd,
        scope: "account",
        ...BUILT_IN_POLICIES,
        maxFileBytes: 2000,
      });
      const [account] = r.inventory.accounts;
      expect(account?.coverage.trails).toEqual({ state: "partial", reason: expect.stringContaining(big) });
      const enabled = r.findings.filter((f) => f.ruleId === "trail.enabled");
      expect(enabled.map((f) => f.status)).toEqual(["unknown"]);
      expect(JSON.stringify(enabled[0])).toContain(big);
      const spare = account?.buckets.find((b) => b.name === "spare-logs");
      expect(spare?.trailUse?.reason).toContain(big);
      const topic = account?.topics[0];
      expect(isUnknown(topic?.subscriptions) && topic.subscriptions.reason).toContain(big);
    },
  );

  test.each([
    [
      "a syntax error after the trail",
      "trail.tf",
      (t: string) => `${t}\nresource "aws_sns_topic" "x" {\n  name = = 1\n}\n`,
    ],
    ["an unclosed block", "trail.tf", (t: string) => `${t}\nresource "aws_sns_topic" "x" {\n`],
    [
      "a .tf.json syntax error",
      "trail.tf.json",
      () => `{"resource": {"aws_cloudtrail": {"t": {"name": "t",}}}}`,
    ],
  ])("%s: no verdict of the file passes, the module's lists are partial", (_name, file, broken) => {
    const good = `resource "aws_cloudtrail" "t" {\n  name                  = "t"\n  s3_bucket_name        = "b"\n  is_multi_region_trail = true\n}\n`;
    const r = scanFiles({ "other.tf": bucket("store"), [file]: broken(good) }, true);
    expect(r.errors).toContainEqual(expect.objectContaining({ code: "syntax", file, severity: "error" }));
    expect(r.findings.filter((f) => f.status === "pass" && f.location?.file === file)).toEqual([]);
    expect(r.account.trails).toEqual([]);
    expect(r.account.coverage.trails.reason).toContain(file);
    expect(r.findings.find((f) => f.ruleId === "trail.enabled")?.status).toBe("unknown");
  });

  test.each([
    ["terraform.tfvars", "logging = false\nname = = 1\n"],
    ["x.auto.tfvars.json", `{"logging": false,}`],
  ])(
    "a variable file %s with a syntax error leaves the variables unknown, never their defaults",
    (name, text) => {
      const r = scanFiles({
        "main.tf": `variable "logging" {\n  default = true\n}\nresource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "b"\n  enable_logging = var.logging\n}\n`,
        [name]: text,
      });
      expect(r.errors).toContainEqual(
        expect.objectContaining({ code: "syntax", file: name, severity: "error" }),
      );
      const logging = r.findings.find((f) => f.ruleId === "trail.logging");
      expect(logging?.status).toBe("unknown");
      expect(JSON.stringify(logging?.unknowns)).toContain(name);
    },
  );

  test("a module whose files are all read keeps its lists complete", async () => {
    const cwd = writeTree({ "stack/main.tf": `${bucket("spare")}` });
    const r = await scan({ paths: ["."], cwd, scope: "account", ...BUILT_IN_POLICIES });
    expect(r.inventory.accounts[0]?.coverage.trails.state).toBe("complete");
    expect(r.findings.filter((f) => f.ruleId === "trail.enabled").map((f) => f.status)).toEqual(["fail"]);
  });
});
