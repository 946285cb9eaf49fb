import { describe, expect, test } from "vitest";
import { FORMATS, reporters } from "../../../src/report/index.js";
import { reportOf, scan } from "../../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../../support/evaluate.js";
import { writeTree } from "./support.js";

const SECRET = "s3cr3t-Tf-Value-7c1d";

/** Every report format, with passed findings, and the errors: what a reader of any output could see. */
async function everything(files: Record<string, string>, paths = ["."]) {
  const cwd = writeTree(files);
  const outcome = await scan({ paths, cwd, scope: "account", ...BUILT_IN_POLICIES });
  const report = reportOf(outcome, "0.0.0-test", new Date("2026-03-01T12:00:00Z"));
  const rendered = FORMATS.map((format) =>
    reporters[format](report, { includePassed: true, color: false, automationId: "t/" }),
  );
  return {
    outcome,
    text: [...rendered, JSON.stringify(outcome.errors), JSON.stringify(outcome.inventory)].join("\n"),
  };
}

const trailUsing = (name: string, bucket: string) => `resource "aws_s3_bucket" "logs" {
  bucket = ${bucket}
}
resource "aws_cloudtrail" "t" {
  name                  = ${name}
  s3_bucket_name        = aws_s3_bucket.logs.id
  is_multi_region_trail = true
}
`;

const CASES: [string, Record<string, string>][] = [
  [
    "a sensitive variable's default in names, a template and a condition",
    {
      "main.tf": `variable "token" {
  type      = string
  default   = "${SECRET}"
  sensitive = true
}
resource "aws_sns_topic" "maybe" {
  count = var.token == "" ? 0 : 1
  name  = "topic-\${var.token}"
}
${trailUsing('"trail-${var.token}"', "var.token")}`,
    },
  ],
  [
    "a sensitive variable set in terraform.tfvars",
    {
      "main.tf": `variable "token" {\n  sensitive = true\n}\n${trailUsing("var.token", 'lower("b-${var.token}")')}`,
      "terraform.tfvars": `token = "${SECRET}"\n`,
    },
  ],
  [
    "sensitive() in a local, a policy and a for_each key",
    {
      "main.tf": `locals {
  key = sensitive("${SECRET}")
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.logs.id
  policy = jsonencode({ Statement = [{ Effect = "Deny", Principal = "*", Action = "s3:*", Resource = local.key }] })
}
${trailUsing("local.key", '"logs"')}`,
    },
  ],
  [
    "a module output marked sensitive",
    {
      "main.tf": `module "names" {\n  source = "./names"\n}\n${trailUsing("module.names.trail", "module.names.trail")}`,
      "names/main.tf": `output "trail" {\n  value     = "${SECRET}"\n  sensitive = true\n}\n`,
    },
  ],
  [
    "a sensitive value in a module variable",
    {
      "main.tf": `module "trail" {\n  source = "./trail"\n  name   = "${SECRET}"\n}\n`,
      "trail/main.tf": `variable "name" {\n  sensitive = true\n}\n${trailUsing("var.name", "var.name")}`,
    },
  ],
  [
    "a plan's sensitive_values and after_sensitive",
    {
      "plan.json": JSON.stringify({
        format_version: "1.2",
        planned_values: {
          root_module: {
            resources: [
              {
                address: "aws_cloudtrail.t",
                mode: "managed",
                type: "aws_cloudtrail",
                name: "t",
                values: {
                  name: SECRET,
                  s3_bucket_name: SECRET,
                  is_multi_region_trail: true,
                  tags: { k: SECRET },
                },
                sensitive_values: { name: true, tags: { k: true } },
              },
            ],
          },
        },
        resource_changes: [
          {
            address: "aws_cloudtrail.t",
            mode: "managed",
            type: "aws_cloudtrail",
            name: "t",
            change: {
              actions: ["create"],
              after: {},
              after_unknown: {},
              after_sensitive: { s3_bucket_name: true },
            },
          },
        ],
      }),
    },
  ],
];

describe("Terraform sensitive values stay out of every report", () => {
  test.each(CASES)("%s", async (_name, files) => {
    const { outcome, text } = await everything(files);
    expect(
      outcome.findings.filter((f) => f.resource.address.includes("aws_cloudtrail")).length,
    ).toBeGreaterThan(0);
    expect(text).not.toContain(SECRET);
  });

  test.each(CASES.filter(([name]) => !name.includes("plan")))(
    "without the marking, %s does reach the reports (the check above can fail)",
    async (_name, files) => {
      const unmarked = Object.fromEntries(
        Object.entries(files).map(([path, text]) => [
          path,
          text.replace(/\n\s*sensitive = true/g, "").replace(/sensitive\(("[^"]*")\)/g, "$1"),
        ]),
      );
      expect((await everything(unmarked)).text).toContain(SECRET);
    },
  );

  test("a sensitive string is still a set value: the rules judge it as one", async () => {
    const { outcome } = await everything(CASES[0]?.[1] ?? {});
    const trail = outcome.inventory.accounts[0]?.trails[0];
    expect(trail?.name).toBe("trail-${var.token}");
    expect(outcome.findings.find((f) => f.ruleId === "trail.multi-region")?.status).toBe("pass");
  });

  test.each([
    ["an unterminated string", `token = "${SECRET}\n`],
    ["a bad operator after it", `token = "${SECRET}" ==\n`],
    ["a bare word", `token = ${SECRET} ${SECRET}\n`],
  ])("a syntax error in a variable file does not quote the line: %s", async (_name, tfvars) => {
    const { outcome, text } = await everything({
      "main.tf": `variable "token" {\n  sensitive = true\n}\n${trailUsing("var.token", '"b"')}`,
      "terraform.tfvars": tfvars,
    });
    const errors = outcome.errors.filter((e) => e.code === "syntax");
    expect(errors).toContainEqual(expect.objectContaining({ file: "terraform.tfvars", severity: "error" }));
    expect(text).not.toContain(SECRET);
  });
});
