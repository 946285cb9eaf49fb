import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { isUnknown, Unknown } from "../../../src/model/index.js";
import { REPO_ROOT } from "../../support/paths.js";
import { findingsOf, readTree, scanFiles, verdicts, writeTree } from "./support.js";

const trail = (body: string) =>
  `resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = "b"\n${body}\n}\n`;

describe("expressions", () => {
  test.each([
    ["a literal", `is_multi_region_trail = true`, {}, true],
    [
      "a variable default",
      `is_multi_region_trail = var.m`,
      { "v.tf": `variable "m" { default = true }` },
      true,
    ],
    [
      "terraform.tfvars over the default",
      `is_multi_region_trail = var.m`,
      { "v.tf": `variable "m" { default = false }`, "terraform.tfvars": "m = true" },
      true,
    ],
    [
      "*.auto.tfvars after terraform.tfvars",
      `is_multi_region_trail = var.m`,
      {
        "v.tf": `variable "m" {\n type = bool\n}`,
        "terraform.tfvars": "m = false",
        "x.auto.tfvars": `m = "true"`,
      },
      true,
    ],
    [
      "a local with a conditional",
      `is_multi_region_trail = local.m`,
      { "l.tf": `locals {\n env = "prod"\n m = local.env == "prod" ? true : false\n}` },
      true,
    ],
    ["lookup and merge", `is_multi_region_trail = lookup(merge({ a = false }, { a = true }), "a")`, {}, true],
    ["a for expression", `is_multi_region_trail = contains([for s in ["a", "b"] : upper(s)], "B")`, {}, true],
  ])("%s", (_name, attr, extra, expected) => {
    const r = scanFiles({ "main.tf": trail(`  ${attr}`), ...extra });
    expect(r.account.trails[0]?.isMultiRegionTrail).toBe(expected);
  });

  test.each([
    [
      "a variable without default",
      `is_multi_region_trail = var.m`,
      { "v.tf": `variable "m" {}` },
      /var\.m has no default/,
    ],
    [
      "contains() over a list with an unknown element",
      `is_multi_region_trail = !contains(["eu-west-1", var.region], "us-east-1")`,
      { "v.tf": `variable "region" {}` },
      /var\.region has no default/,
    ],
    [
      "a value only in a -var-file",
      `is_multi_region_trail = var.m`,
      { "v.tf": `variable "m" {}`, "prod.tfvars": "m = true" },
      /prod\.tfvars sets it/,
    ],
    [
      "an unknown function",
      `is_multi_region_trail = sha256("x")`,
      {},
      /`sha256\("x"\)` \(main\.tf:4\) calls sha256\(\)/,
    ],
    [
      "an undecidable condition",
      `is_multi_region_trail = data.aws_x.y.z == "a" ? true : false`,
      {},
      /undecidable condition/,
    ],
  ])("%s → Unknown naming the expression", (_name, attr, extra, reason) => {
    const r = scanFiles({ "main.tf": trail(`  ${attr}`), ...extra });
    const v = r.account.trails[0]?.isMultiRegionTrail;
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).reason).toMatch(reason);
    expect(verdicts(r.findings, "trail.multi-region")["main.tf#aws_cloudtrail.t"]).toBe("unknown");
  });

  test("templates, heredocs, jsonencode and placeholders", () => {
    const r = scanFiles({
      "main.tf": `
data "aws_caller_identity" "me" {}
resource "aws_s3_bucket" "b" { bucket = "logs-\${data.aws_caller_identity.me.account_id}" }
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({
    Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = "\${aws_s3_bucket.b.arn}/*",
      Condition = { Bool = { "aws:SecureTransport" = false } } }]
  })
}
`,
    });
    const bucket = r.account.buckets[0];
    expect(bucket?.name).toBe("logs-${data.aws_caller_identity.me.account_id}");
    const policy = bucket?.policy;
    expect(policy && !isUnknown(policy) && policy.statements).toMatchObject([
      {
        effect: "Deny",
        principals: ["*"],
        resources: ["${aws_s3_bucket.b.arn}/*"],
        location: { file: "main.tf", line: 7 },
      },
    ]);
  });
});

describe("count, for_each and modules", () => {
  test("instances get indexed addresses and each.value", () => {
    const r = scanFiles({
      "main.tf": `
resource "aws_s3_bucket" "n" {
  count  = 2
  bucket = "b-\${count.index}"
}
resource "aws_s3_bucket" "m" {
  for_each = { a = "x", b = "y" }
  bucket   = each.value
}
resource "aws_s3_bucket_versioning" "v" {
  bucket = aws_s3_bucket.m["b"].id
  versioning_configuration { status = "Enabled" }
}
resource "aws_s3_bucket" "none" {
  count = 0
}
`,
    });
    expect(r.account.buckets.map((b) => [b.id, b.name, b.versioning])).toEqual([
      ["main.tf#aws_s3_bucket.n[0]", "b-0", null],
      ["main.tf#aws_s3_bucket.n[1]", "b-1", null],
      ['main.tf#aws_s3_bucket.m["a"]', "x", null],
      ['main.tf#aws_s3_bucket.m["b"]', "y", "Enabled"],
    ]);
  });

  test("an undecidable count is read once, with a warning", () => {
    const r = scanFiles({ "main.tf": `resource "aws_s3_bucket" "b" {\n  count = length(data.x.y.ids)\n}\n` });
    expect(r.account.buckets).toHaveLength(1);
    expect(r.errors.map((e) => e.message).join("\n")).toMatch(/count cannot be decided/);
  });

  test("local modules are read with their inputs and outputs, once", () => {
    const r = scanFiles({
      "main.tf": `
module "logs" {
  source = "./modules/bucket"
  name   = "audit-logs"
}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = module.logs.id
}
`,
      "modules/bucket/main.tf": `
variable "name" {}
resource "aws_s3_bucket" "this" { bucket = var.name }
resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration { status = "Enabled" }
}
output "id" { value = aws_s3_bucket.this.id }
`,
    });
    expect(r.groups).toHaveLength(1);
    expect(r.account.buckets.map((b) => [b.id, b.name, b.versioning])).toEqual([
      ["modules/bucket/main.tf#module.logs.aws_s3_bucket.this", "audit-logs", "Enabled"],
    ]);
    expect(r.account.trails[0]?.links.bucket).toBe("modules/bucket/main.tf#module.logs.aws_s3_bucket.this");
  });
});

describe("S3 buckets", () => {
  const withBucket = (extra: string) => ({
    "main.tf": `resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = aws_s3_bucket.b.id\n}\nresource "aws_s3_bucket" "b" {\n${extra}\n}\n`,
  });

  test("a bare bucket gets the defaults of a new bucket", () => {
    const b = scanFiles(withBucket("")).account.buckets[0];
    expect(b).toMatchObject({
      name: "${aws_s3_bucket.b.bucket}",
      publicAccessBlock: {
        blockPublicAcls: true,
        ignorePublicAcls: true,
        blockPublicPolicy: true,
        restrictPublicBuckets: true,
      },
      encryption: { algorithm: "AES256", kmsKeyId: null },
      objectOwnership: "BucketOwnerEnforced",
      versioning: null,
      mfaDelete: false,
      logging: null,
      policy: null,
      website: false,
    });
  });

  test.each([
    [
      "legacy inline blocks",
      `  acl = "private"\n  versioning {\n    enabled = true\n    mfa_delete = true\n  }\n  logging {\n    target_bucket = "other"\n  }`,
    ],
    [
      "split resources attached by name",
      `  bucket = "logs"\n}\nresource "aws_s3_bucket_versioning" "v" {\n  bucket = "logs"\n  versioning_configuration {\n    status = "Enabled"\n    mfa_delete = "Enabled"\n  }\n}\nresource "aws_s3_bucket_logging" "l" {\n  bucket = "logs"\n  target_bucket = "other"`,
    ],
  ])("%s", (_name, extra) => {
    const r = scanFiles(withBucket(extra));
    const b = r.account.buckets[0];
    expect([b?.versioning, b?.mfaDelete, b?.logging]).toEqual([
      "Enabled",
      true,
      { targetBucket: "other", targetPrefix: null },
    ]);
    for (const rule of ["bucket.versioning", "bucket.mfa-delete", "bucket.access-logging"]) {
      expect(Object.values(verdicts(r.findings, rule)), rule).toEqual(["pass"]);
    }
  });

  test("a public access block resource turns off what it does not set", () => {
    const r = scanFiles(
      withBucket(
        `}\nresource "aws_s3_bucket_public_access_block" "p" {\n  bucket = aws_s3_bucket.b.id\n  block_public_acls = true`,
      ),
    );
    expect(r.account.buckets[0]?.publicAccessBlock).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
    expect(r.account.buckets[0]?.fieldLocations["publicAccessBlock.blockPublicAcls"]).toMatchObject({
      file: "main.tf",
      line: 9,
    });
  });

  test("aws_iam_policy_document statements keep their locations", () => {
    const r = scanFiles(
      withBucket(`}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.d.json
}
data "aws_iam_policy_document" "d" {
  statement {
    principals {
      type = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    actions = ["s3:PutObject"]
    resources = ["\${aws_s3_bucket.b.arn}/*"]
  }`),
    );
    const policy = r.account.buckets[0]?.policy;
    expect(policy && !isUnknown(policy) && policy.statements).toMatchObject([
      {
        effect: "Allow",
        principals: ["Service:cloudtrail.amazonaws.com"],
        conditions: [],
        location: { line: 12 },
      },
    ]);
    expect(verdicts(r.findings, "bucket.source-condition")["main.tf#aws_s3_bucket.b"]).toBe("fail");
  });
});

describe("problems", () => {
  test("bad HCL gives file:line errors; no block of that file is read, the other files are", () => {
    const r = scanFiles({
      "bad.tf": `resource "aws_s3_bucket" "ok" {}\n\nresource "aws_cloudtrail" "broken" {\n  name = = "x"\n}\n`,
      "good.tf": trail("  is_multi_region_trail = true"),
    });
    const error = r.errors.find((e) => e.severity === "error");
    expect(error).toMatchObject({ file: "bad.tf", line: 4 });
    expect(r.account.trails.map((t) => t.id)).toEqual(["good.tf#aws_cloudtrail.t"]);
    expect(r.account.buckets).toEqual([]);
    expect(r.account.coverage.buckets).toEqual({
      state: "partial",
      reason: expect.stringContaining("bad.tf"),
    });
  });

  test("suppressions need a reason", () => {
    const r = scanFiles({
      "main.tf": `# trailguard:ignore trail.multi-region single-region by design (ticket 12)\n${trail("")}
// trailguard:ignore trail.logging
resource "aws_cloudtrail" "u" {
  name = "u"
  s3_bucket_name = "b"
}
`,
    });
    expect(r.account.trails[0]?.suppressions).toEqual([
      {
        ruleId: "trail.multi-region",
        reason: "single-region by design (ticket 12)",
        location: expect.objectContaining({ file: "main.tf", line: 1 }),
      },
    ]);
    expect(r.account.trails[1]?.suppressions).toBeUndefined();
    expect(r.errors).toContainEqual(
      expect.objectContaining({
        severity: "warning",
        file: "main.tf",
        line: 8,
        message: expect.stringMatching(/no reason.*main\.tf:8/),
      }),
    );
  });
});

describe("plans", () => {
  const plan = {
    format_version: "1.2",
    planned_values: {
      root_module: {
        resources: [
          {
            address: "aws_cloudtrail.t",
            mode: "managed",
            type: "aws_cloudtrail",
            name: "t",
            values: { name: "t", is_multi_region_trail: true, enable_logging: true },
          },
          {
            address: "aws_s3_bucket.b",
            mode: "managed",
            type: "aws_s3_bucket",
            name: "b",
            values: { force_destroy: false },
          },
          {
            address: "aws_s3_bucket_policy.p",
            mode: "managed",
            type: "aws_s3_bucket_policy",
            name: "p",
            values: {},
          },
        ],
      },
    },
    resource_changes: [
      { address: "aws_cloudtrail.t", change: { after_unknown: { s3_bucket_name: true, arn: true } } },
      {
        address: "aws_s3_bucket.b",
        change: { after_unknown: { arn: true, bucket: true, versioning: true, policy: true } },
      },
      { address: "aws_s3_bucket_policy.p", change: { after_unknown: { bucket: true, policy: true } } },
    ],
    configuration: {
      root_module: {
        resources: [
          {
            address: "aws_cloudtrail.t",
            expressions: {
              name: {},
              s3_bucket_name: { references: ["aws_s3_bucket.b.id", "aws_s3_bucket.b"] },
            },
          },
          { address: "aws_s3_bucket.b", expressions: { bucket_prefix: {} } },
          {
            address: "aws_s3_bucket_policy.p",
            expressions: {
              bucket: { references: ["aws_s3_bucket.b.id", "aws_s3_bucket.b"] },
              policy: { references: ["aws_s3_bucket.b.arn"] },
            },
          },
        ],
      },
    },
  };

  test("values known only after apply are unknown, never pass; locations point to the .tf beside the plan", () => {
    const root = writeTree({
      "plan.json": JSON.stringify(plan, null, 1),
      "main.tf": `resource "aws_cloudtrail" "t" {\n  name = "t"\n  s3_bucket_name = aws_s3_bucket.b.id\n  is_multi_region_trail = true\n}\nresource "aws_s3_bucket" "b" {\n  bucket_prefix = "x"\n}\n`,
      "other.json": `{"not": "a plan"}`,
    });
    const outcome = readTree(root, ["."], true);
    expect(outcome.groups).toEqual([["plan.json", "main.tf"]]);
    const t = outcome.account.trails[0];
    expect(t?.id).toBe("main.tf#aws_cloudtrail.t");
    // Known only after apply, but a reference to the bucket the plan creates: set, its text a placeholder.
    expect(t?.s3BucketName).toBe("${aws_s3_bucket.b.id}");
    expect(t?.links.bucket).toBe("main.tf#aws_s3_bucket.b");
    expect(t?.fieldLocations.isMultiRegionTrail).toMatchObject({ file: "main.tf", line: 4 });
    const b = outcome.account.buckets[0];
    // The bucket's legacy `versioning` is computed by the provider, not configured: not taken as Unknown.
    expect(b?.versioning).toBeNull();
    expect(b?.policy).toBeInstanceOf(Unknown);
    const findings = findingsOf(outcome, root);
    for (const rule of [
      "bucket.tls-only",
      "bucket.public-access-blocked",
      "bucket.dedicated",
      "bucket.source-condition",
    ]) {
      expect(Object.values(verdicts(findings, rule)), rule).toEqual(["unknown"]);
    }
    expect(Object.values(verdicts(findings, "trail.multi-region"))).toEqual(["pass"]);
  });

  test("without .tf files, locations point into the plan", () => {
    const root = writeTree({});
    writeFileSync(join(root, "plan.json"), JSON.stringify(plan, null, 1));
    const outcome = readTree(root);
    expect(outcome.account.trails[0]?.origin.location).toMatchObject({ file: "plan.json" });
    expect(outcome.account.trails[0]?.origin.location?.line).toBeGreaterThan(1);
  });
});

describe("split bucket resources whose bucket cannot be told", () => {
  test("make the settings they make unknown on every bucket of the module, never the defaults", () => {
    const r = scanFiles({
      "main.tf": `
variable "target" {}
resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = aws_s3_bucket.logs.id
}
resource "aws_s3_bucket" "logs" { bucket = "logs" }
resource "aws_s3_bucket_public_access_block" "off" {
  bucket              = var.target
  block_public_acls   = false
  block_public_policy = false
}
`,
    });
    const bucket = r.account.buckets[0];
    expect(isUnknown(bucket?.publicAccessBlock)).toBe(true);
    const block = bucket?.publicAccessBlock;
    expect(block instanceof Unknown && block.reason).toContain("aws_s3_bucket_public_access_block.off");
    expect(verdicts(r.findings, "bucket.public-access-blocked")).toEqual({
      "main.tf#aws_s3_bucket.logs": "unknown",
    });
    expect(r.errors.some((e) => e.severity === "warning" && e.message.includes("cannot be told"))).toBe(true);
  });
});

test("a lifecycle expiry on a date is unknown for retention, not 'never expires'", () => {
  const dated = scanFiles({
    "main.tf": `
resource "aws_s3_bucket" "logs" { bucket = "logs" }
resource "aws_s3_bucket_lifecycle_configuration" "l" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "purge"
    status = "Enabled"
    expiration {
      date = "2027-01-01T00:00:00Z"
    }
  }
}
`,
  });
  const datedRules = dated.account.buckets[0]?.lifecycleRules;
  expect(Array.isArray(datedRules) && isUnknown(datedRules[0]?.expirationDays)).toBe(true);
});

describe("arguments a mapped resource type does not accept", () => {
  test.each([
    [
      "a misspelt argument",
      `resource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "b"\n  enable_log_file_validaton = true\n}\n`,
      4,
      "enable_log_file_validaton",
      "enable_log_file_validation",
    ],
    [
      "a misspelt nested block",
      `resource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "b"\n\n  event_selectors {\n    read_write_type = "All"\n  }\n}\n`,
      5,
      "event_selectors",
      "event_selector",
    ],
    [
      "a misspelt dynamic block",
      `resource "aws_s3_bucket" "b" {\n  bucket = "b"\n  dynamic "versionning" {\n    for_each = [1]\n    content {\n      enabled = true\n    }\n  }\n}\n`,
      3,
      "versionning",
      "versioning",
    ],
    [
      "a misspelt argument of a split bucket resource",
      `resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\nresource "aws_s3_bucket_versioning" "v" {\n  bucket = aws_s3_bucket.b.id\n  versionning_configuration {\n    status = "Enabled"\n  }\n}\n`,
      6,
      "versionning_configuration",
      "versioning_configuration",
    ],
    [
      "a misspelt argument of a split bucket resource whose bucket is not declared",
      `resource "aws_s3_bucket_public_access_block" "p" {\n  bucket                  = "elsewhere"\n  block_public_acl        = true\n  restrict_public_buckets = true\n}\n`,
      3,
      "block_public_acl",
      "block_public_acls",
    ],
  ])(
    "%s is a warning naming file, line, the argument and the one meant",
    (_name, text, line, written, meant) => {
      const r = scanFiles({ "main.tf": text });
      const warnings = r.errors.filter((e) => e.message.includes("is not an argument"));
      expect(warnings).toEqual([
        expect.objectContaining({
          severity: "warning",
          file: "main.tf",
          line,
          message: expect.stringContaining(`${written} is not an argument`),
        }),
      ]);
      expect(warnings[0]?.message).toContain(`did you mean ${meant}?`);
    },
  );

  test("every argument and block of the split bucket resources gives no such warning", () => {
    const r = scanFiles({
      "main.tf": `resource "aws_s3_bucket" "b" {
  bucket = "b"
}
resource "aws_s3_bucket" "logs" {
  bucket = "logs"
}
resource "aws_s3_bucket_versioning" "v" {
  bucket                = aws_s3_bucket.b.id
  expected_bucket_owner = "123456789012"
  mfa                   = "arn:aws:iam::123456789012:mfa/root 123456"
  versioning_configuration {
    status     = "Enabled"
    mfa_delete = "Enabled"
  }
}
resource "aws_s3_bucket_public_access_block" "p" {
  bucket                  = aws_s3_bucket.b.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
  skip_destroy            = true
}
resource "aws_s3_bucket_logging" "l" {
  bucket                = aws_s3_bucket.b.id
  expected_bucket_owner = "123456789012"
  target_bucket         = aws_s3_bucket.logs.id
  target_prefix         = "log/"
  target_grant {
    permission = "READ"
    grantee {
      type = "CanonicalUser"
      id   = "abc"
    }
  }
  target_object_key_format {
    simple_prefix {}
  }
}
resource "aws_s3_bucket_policy" "pol" {
  bucket = aws_s3_bucket.b.id
  policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  bucket                = aws_s3_bucket.b.id
  expected_bucket_owner = "123456789012"
  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
resource "aws_s3_bucket_lifecycle_configuration" "lc" {
  bucket                                 = aws_s3_bucket.b.id
  expected_bucket_owner                  = "123456789012"
  transition_default_minimum_object_size = "all_storage_classes_128K"
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = 400
    }
  }
}
resource "aws_s3_bucket_object_lock_configuration" "o" {
  bucket                = aws_s3_bucket.b.id
  expected_bucket_owner = "123456789012"
  object_lock_enabled   = "Enabled"
  token                 = "token"
  rule {
    default_retention {
      mode = "GOVERNANCE"
      days = 1
    }
  }
}
resource "aws_s3_bucket_ownership_controls" "w" {
  bucket = aws_s3_bucket.logs.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}
resource "aws_s3_bucket_acl" "a" {
  bucket                = aws_s3_bucket.b.id
  expected_bucket_owner = "123456789012"
  acl                   = "private"
}
resource "aws_s3_bucket_website_configuration" "site" {
  bucket                = aws_s3_bucket.logs.id
  expected_bucket_owner = "123456789012"
  index_document {
    suffix = "index.html"
  }
  error_document {
    key = "error.html"
  }
  routing_rule {
    condition {
      key_prefix_equals = "docs/"
    }
    redirect {
      replace_key_prefix_with = "documents/"
    }
  }
}
resource "aws_s3_bucket_website_configuration" "redirect" {
  bucket = aws_s3_bucket.b.id
  redirect_all_requests_to {
    host_name = "example.com"
  }
  routing_rules = "[]"
}
resource "aws_s3_bucket_acl" "grants" {
  bucket = aws_s3_bucket.logs.id
  access_control_policy {
    owner {
      id = "abc"
    }
    grant {
      permission = "READ"
      grantee {
        type = "CanonicalUser"
        id   = "abc"
      }
    }
  }
}
`,
    });
    expect(r.errors.filter((e) => e.message.includes("is not an argument"))).toEqual([]);
    expect(r.account.buckets.length).toBe(2);
  });

  test("the setting the typo meant keeps its default: the rule reading it fails", () => {
    const r = scanFiles({
      "main.tf": `resource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "b"\n  enable_log_file_validaton = true\n}\n`,
    });
    expect(verdicts(r.findings, "trail.log-file-validation")).toEqual({ "main.tf#aws_cloudtrail.t": "fail" });
  });

  test("an argument far from every known one is named without a guess", () => {
    const r = scanFiles({
      "main.tf": `resource "aws_sns_topic" "t" {\n  name = "t"\n  something_else_entirely = 1\n}\n`,
    });
    const warning = r.errors.find((e) => e.message.includes("is not an argument"));
    expect(warning?.message).toMatch(
      /something_else_entirely is not an argument of aws_sns_topic; it is ignored/,
    );
  });

  test("each record's unread arguments are reported, beside a value of the wrong type", () => {
    const r = scanFiles({
      "main.tf": [
        `resource "aws_sns_topic" "a" {\n  name = "a"\n  nmae = "x"\n}\n`,
        `resource "aws_cloudtrail" "b" {\n  name = "b"\n  s3_bucket_name = "b"\n  is_logging = [1]\n  s3_bucket_nmae = "c"\n}\n`,
        `resource "aws_sns_topic" "c" {\n  name = "c"\n  nmae = "y"\n}\n`,
      ].join(""),
    });
    const warnings = r.errors
      .filter((e) => e.severity === "warning")
      .map((e) => `${e.line}: ${e.message.slice(0, e.message.indexOf(":"))}`);
    expect(warnings).toEqual([
      "3: aws_sns_topic.a",
      "8: aws_cloudtrail.b",
      "9: aws_cloudtrail.b",
      "13: aws_sns_topic.c",
    ]);
    expect(r.errors.find((e) => e.line === 9)?.message).toMatch(
      /s3_bucket_nmae .*did you mean s3_bucket_name/,
    );
  });

  test("meta-arguments, tags, arguments no rule reads and the examples give no such warning", () => {
    const examples = join(REPO_ROOT, "examples/terraform/compliant");
    const files = Object.fromEntries(
      readdirSync(examples).map((n) => [n, readFileSync(join(examples, n), "utf8")]),
    );
    const r = scanFiles({
      ...files,
      "extra.tf": `resource "aws_s3_bucket" "extra" {
  count         = 1
  bucket        = "extra"
  force_destroy = true
  tags          = { a = "b" }
  depends_on    = [aws_sns_topic.x]
  provider      = aws.other
  lifecycle {
    prevent_destroy = true
  }
}
resource "aws_sns_topic" "x" {
  name                            = "x"
  display_name                    = "X"
  lambda_success_feedback_role_arn = "arn"
}
resource "aws_kms_key" "k" {
  description             = "k"
  deletion_window_in_days = 7
  enable_key_rotation     = true
}
`,
    });
    expect(r.errors.filter((e) => e.message.includes("is not an argument"))).toEqual([]);
  });
});
