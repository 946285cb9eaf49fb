import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import type { Finding } from "../../src/model/index.js";
import {
  edits,
  expectSound,
  fixture,
  fuzzParams,
  fuzzTimeout,
  fuzzWorkspace,
  mutate,
  NEIGHBOUR,
  neighbourFindings,
} from "./support.js";

const RUNS = 4;
const MODULE = ["main.tf", "trail.tf", "buckets.tf", "monitoring.tf"];
const example = Object.fromEntries(
  MODULE.map((name) => [`stack/${name}`, fixture(`examples/terraform/compliant/${name}`)]),
);

describe("fuzz: Terraform configuration and plans", () => {
  const scanFiles = fuzzWorkspace();
  let neighbour = new Map<string, Finding>();
  beforeAll(async () => {
    neighbour = neighbourFindings((await scanFiles({ [NEIGHBOUR.path]: NEIGHBOUR.text })).outcome.findings);
  });

  test("the example module beside the neighbour passes rules (the properties below break it)", async () => {
    const scanned = await scanFiles({ ...example, [NEIGHBOUR.path]: NEIGHBOUR.text });
    expectSound(scanned, neighbour, []);
    expect(
      scanned.outcome.findings.some((f) => f.status === "pass" && f.location?.file === "stack/trail.tf"),
    ).toBe(true);
  });

  test(
    "one file of a module with byte, line and token edits",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...MODULE), edits, async (name, list) => {
          const path = `stack/${name}`;
          const files = {
            ...example,
            [path]: mutate(example[path] as string, list),
            [NEIGHBOUR.path]: NEIGHBOUR.text,
          };
          expectSound(await scanFiles(files), neighbour, [path]);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  const TYPES = [
    "aws_cloudtrail",
    "aws_s3_bucket",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_versioning",
    "aws_kms_key",
    "aws_cloudwatch_log_group",
    "aws_sns_topic",
  ];
  const ARGUMENTS = [
    "name",
    "bucket",
    "s3_bucket_name",
    "enable_logging",
    "is_multi_region_trail",
    "enable_log_file_validation",
    "kms_key_id",
    "policy",
    "count",
    "for_each",
    "enable_key_rotation",
    "retention_in_days",
  ];
  const expr: fc.Arbitrary<string> = fc.letrec((tie) => ({
    e: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom("true", "false", "null", "0", "3", '"x"', '"${var.v}"', "var.v", "local.l", "each.key"),
      fc.constantFrom(
        "aws_s3_bucket.r.id",
        "aws_kms_key.r.arn",
        "count.index",
        "data.aws_caller_identity.c.account_id",
      ),
      fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
      fc.array(tie("e"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
      fc.tuple(fc.constantFrom("a", "b"), tie("e")).map(([k, v]) => `{ ${k} = ${v} }`),
      fc.tuple(tie("e"), tie("e"), tie("e")).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
      fc
        .tuple(
          fc.constantFrom("toset", "length", "jsonencode", "lookup", "merge", "concat", "try", "format"),
          fc.array(tie("e"), { maxLength: 2 }),
        )
        .map(([f, args]) => `${f}(${args.join(", ")})`),
      tie("e").map((e) => `[for x in ${e} : x]`),
    ),
  })).e;
  const block = fc.record({
    type: fc.constantFrom(...TYPES),
    name: fc.constantFrom("r", "s"),
    args: fc.dictionary(fc.constantFrom(...ARGUMENTS), expr, { maxKeys: 5 }),
  });
  type Block = { type: string; name: string; args: Record<string, string> };
  const variable = fc.option(expr, { nil: undefined });
  const config = fc.record({ blocks: fc.array(block, { minLength: 1, maxLength: 4 }), v: variable, l: expr });
  const hcl = ({ blocks, v, l }: { blocks: Block[]; v: string | undefined; l: string }) =>
    [
      `variable "v" {${v === undefined ? "" : `\n  default = ${v}\n`}}`,
      `locals {\n  l = ${l}\n}`,
      ...blocks.map((b) => {
        const args = Object.entries(b.args).map(([k, e]) => `  ${k} = ${e}\n`);
        return `resource "${b.type}" "${b.name}" {\n${args.join("")}}`;
      }),
    ].join("\n");

  test(
    "a module built from resource types, arguments and expressions of any shape",
    async () => {
      await fc.assert(
        fc.asyncProperty(config, async (c) => {
          const path = "stack/generated.tf";
          expectSound(await scanFiles({ [path]: hcl(c), [NEIGHBOUR.path]: NEIGHBOUR.text }), neighbour, [
            path,
          ]);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  const json = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: "small" },
      fc.boolean(),
      fc.integer(),
      fc.string({ maxLength: 6 }),
      fc.constant(null),
      fc.array(tie("v"), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...ARGUMENTS, "status", "rule", "values", "statement"), tie("v"), {
        maxKeys: 3,
      }),
    ),
  })).v;
  const planResource = fc.record({
    type: fc.constantFrom(...TYPES),
    name: fc.constantFrom("r", "s"),
    index: fc.option(fc.oneof(fc.nat(3), fc.constantFrom("a", "b")), { nil: undefined }),
    values: fc.dictionary(fc.constantFrom(...ARGUMENTS), json, { maxKeys: 5 }),
    unknown: fc.dictionary(fc.constantFrom(...ARGUMENTS), fc.constant(true), { maxKeys: 2 }),
  });
  const plan = fc.array(planResource, { minLength: 1, maxLength: 4 }).map((resources) => {
    const address = (r: (typeof resources)[number]) =>
      `${r.type}.${r.name}${r.index === undefined ? "" : `[${JSON.stringify(r.index)}]`}`;
    return JSON.stringify(
      {
        format_version: "1.2",
        terraform_version: "1.9.0",
        planned_values: {
          root_module: {
            resources: resources.map((r) => ({
              address: address(r),
              mode: "managed",
              type: r.type,
              name: r.name,
              ...(r.index === undefined ? {} : { index: r.index }),
              values: r.values,
            })),
          },
        },
        resource_changes: resources.map((r) => ({
          address: address(r),
          mode: "managed",
          type: r.type,
          name: r.name,
          change: { actions: ["create"], after: r.values, after_unknown: r.unknown },
        })),
      },
      null,
      2,
    );
  });

  test(
    "a plan built from resources of any values, then with byte, line and token edits",
    async () => {
      await fc.assert(
        fc.asyncProperty(plan, fc.option(edits, { nil: undefined }), async (text, list) => {
          const path = "plan/plan.json";
          const files = { [path]: list ? mutate(text, list) : text, [NEIGHBOUR.path]: NEIGHBOUR.text };
          expectSound(await scanFiles(files), neighbour, [path]);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );
});
