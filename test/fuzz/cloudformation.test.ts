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

const RUNS = 5;
const TEMPLATES = [
  "examples/cloudformation/compliant.yaml",
  "examples/cloudformation/noncompliant.yaml",
  "test/fixtures/cloudformation/valid/foreach.yaml",
  "test/fixtures/no-trail/stacks/data-lake.json",
];

describe("fuzz: CloudFormation templates", () => {
  const scanFiles = fuzzWorkspace();
  let neighbour = new Map<string, Finding>();
  beforeAll(async () => {
    neighbour = neighbourFindings((await scanFiles({ [NEIGHBOUR.path]: NEIGHBOUR.text })).outcome.findings);
  });

  test("the neighbour alone is judged (the properties below compare against it)", () => {
    const statuses = [...neighbour.values()].map((f) => f.status);
    expect(statuses).toContain("pass");
    expect(statuses).toContain("fail");
  });

  test(
    "a template with byte, line and token edits",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...TEMPLATES), edits, async (path, list) => {
          const name = `stack/template${path.slice(path.lastIndexOf("."))}`;
          const scanned = await scanFiles({
            [name]: mutate(fixture(path), list),
            [NEIGHBOUR.path]: NEIGHBOUR.text,
          });
          expectSound(scanned, neighbour, [name]);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  const TYPES = [
    "AWS::CloudTrail::Trail",
    "AWS::S3::Bucket",
    "AWS::S3::BucketPolicy",
    "AWS::KMS::Key",
    "AWS::Logs::LogGroup",
    "AWS::Logs::MetricFilter",
    "AWS::CloudWatch::Alarm",
    "AWS::SNS::Topic",
    "AWS::CloudTrail::EventDataStore",
  ];
  const PROPERTY_NAMES = [
    "IsLogging",
    "IsMultiRegionTrail",
    "S3BucketName",
    "KMSKeyId",
    "EnableLogFileValidation",
    "BucketName",
    "Bucket",
    "PolicyDocument",
    "VersioningConfiguration",
    "EventSelectors",
    "EnableKeyRotation",
    "RetentionInDays",
    "FilterPattern",
  ];
  const scalar = fc.oneof(fc.boolean(), fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null));
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: "small" },
      scalar,
      fc.array(tie("node"), { maxLength: 3 }),
      fc.dictionary(
        fc.constantFrom("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Status", "Key", "Value"),
        tie("node"),
        {
          maxKeys: 2,
        },
      ),
    ),
  })).node;
  const template = fc.record({
    Parameters: fc.option(
      fc.dictionary(fc.constantFrom("P", "Q"), fc.record({ Type: fc.constant("String"), Default: scalar })),
      {
        nil: undefined,
      },
    ),
    Conditions: fc.option(fc.dictionary(fc.constantFrom("C", "D"), value, { maxKeys: 2 }), {
      nil: undefined,
    }),
    Resources: fc.dictionary(
      fc.constantFrom("Trail", "Logs", "Key", "Policy", "Group"),
      fc.record(
        {
          Type: fc.constantFrom(...TYPES),
          Condition: fc.constantFrom("C", "D", "Missing"),
          Properties: fc.dictionary(fc.constantFrom(...PROPERTY_NAMES), value, { maxKeys: 5 }),
        },
        { requiredKeys: ["Type"] },
      ),
      { minKeys: 1, maxKeys: 4 },
    ),
  });

  test(
    "a template built from resource types, properties and intrinsics of any shape",
    async () => {
      await fc.assert(
        fc.asyncProperty(template, async (t) => {
          const name = "stack/generated.json";
          const scanned = await scanFiles({ [name]: JSON.stringify(t), [NEIGHBOUR.path]: NEIGHBOUR.text });
          expectSound(scanned, neighbour, [name]);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );
});
