// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation placeholders are literal ${...} strings
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readTemplate } from "../../../src/sources/cloudformation/index.js";
import { parseText } from "../../../src/sources/cloudformation/parse.js";
import { errorsOf, fixturesRoot, read, reasonOf, sourceFile, withoutLocations } from "./helpers.js";

const YAML_TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
Mappings:
  Regions:
    prod:
      Retention: 365
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "\${Env}-trail-logs-\${AWS::AccountId}"
  Group:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: !FindInMap [Regions, !Ref Env, Retention]
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: !If [IsProd, true, false]
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: !And [!Condition IsProd, !Not [!Condition NotProd]]
      TrailName: !Join ["-", [!Ref Env, !Select [1, !Split [",", "a,trail,c"]]]]
      S3BucketName: !Ref Logs
      KMSKeyId: !GetAtt Key.Arn
      CloudWatchLogsLogGroupArn: !GetAtt [Group, Arn]
      S3KeyPrefix: !Base64 abc
      SnsTopicName: !ImportValue shared-topic
      CloudWatchLogsRoleArn: !Or [!Equals [a, b], !Equals [c, c]]
      IsMultiRegionTrail: !Equals [!Length [1, 2], 2]
      IncludeGlobalServiceEvents: !ToJsonString [x]
      EnableLogFileValidation: !Transform {Name: Macro}
`;

const JSON_TEMPLATE = JSON.stringify(
  {
    AWSTemplateFormatVersion: "2010-09-09",
    Parameters: { Env: { Type: "String", Default: "prod" } },
    Conditions: {
      IsProd: { "Fn::Equals": [{ Ref: "Env" }, "prod"] },
      NotProd: { "Fn::Not": [{ Condition: "IsProd" }] },
    },
    Mappings: { Regions: { prod: { Retention: 365 } } },
    Resources: {
      Logs: {
        Type: "AWS::S3::Bucket",
        Properties: { BucketName: { "Fn::Sub": "${Env}-trail-logs-${AWS::AccountId}" } },
      },
      Group: {
        Type: "AWS::Logs::LogGroup",
        Properties: { RetentionInDays: { "Fn::FindInMap": ["Regions", { Ref: "Env" }, "Retention"] } },
      },
      Key: {
        Type: "AWS::KMS::Key",
        Properties: { EnableKeyRotation: { "Fn::If": ["IsProd", true, false] } },
      },
      Trail: {
        Type: "AWS::CloudTrail::Trail",
        Properties: {
          IsLogging: { "Fn::And": [{ Condition: "IsProd" }, { "Fn::Not": [{ Condition: "NotProd" }] }] },
          TrailName: {
            "Fn::Join": ["-", [{ Ref: "Env" }, { "Fn::Select": [1, { "Fn::Split": [",", "a,trail,c"] }] }]],
          },
          S3BucketName: { Ref: "Logs" },
          KMSKeyId: { "Fn::GetAtt": ["Key", "Arn"] },
          CloudWatchLogsLogGroupArn: { "Fn::GetAtt": ["Group", "Arn"] },
          S3KeyPrefix: { "Fn::Base64": "abc" },
          SnsTopicName: { "Fn::ImportValue": "shared-topic" },
          CloudWatchLogsRoleArn: { "Fn::Or": [{ "Fn::Equals": ["a", "b"] }, { "Fn::Equals": ["c", "c"] }] },
          IsMultiRegionTrail: { "Fn::Equals": [{ "Fn::Length": [1, 2] }, 2] },
          IncludeGlobalServiceEvents: { "Fn::ToJsonString": ["x"] },
          EnableLogFileValidation: { "Fn::Transform": { Name: "Macro" } },
        },
      },
    },
  },
  null,
  2,
);

describe("short-form tags", () => {
  it("give the same model as the long forms in JSON", () => {
    const fromYaml = read(YAML_TEMPLATE, "t.template");
    const fromJson = read(JSON_TEMPLATE, "t.template");
    expect(errorsOf(fromYaml, "error")).toEqual([]);
    expect(withoutLocations(fromYaml)).toEqual(withoutLocations(fromJson));
  });

  it("are evaluated", () => {
    const [trail] = read(YAML_TEMPLATE).trails;
    expect(trail).toBeDefined();
    expect(trail?.isLogging).toBe(true);
    expect(trail?.name).toBe("prod-trail");
    expect(trail?.s3BucketName).toBe("prod-trail-logs-${AWS::AccountId}");
    expect(trail?.kmsKeyId).toBe("${Key.Arn}");
    expect(trail?.cloudWatchLogsLogGroupArn).toBe("${Group.Arn}");
    expect(trail?.s3KeyPrefix).toBe(Buffer.from("abc").toString("base64"));
    expect(trail?.cloudWatchLogsRoleArn).toBe("true");
    expect(trail?.isMultiRegionTrail).toBe(true);
    expect(trail?.includeGlobalServiceEvents).toEqual(expect.objectContaining({ unknown: true }));
    expect(trail?.logFileValidationEnabled).toEqual(expect.objectContaining({ unknown: true }));
    const fragment = read(YAML_TEMPLATE);
    expect(fragment.logGroups[0]?.retentionInDays).toBe(365);
    expect(fragment.keys[0]?.rotationEnabled).toBe(true);
  });

  it("keep the position of every node", () => {
    const [trail] = read(YAML_TEMPLATE).trails;
    expect(trail?.fieldLocations.kmsKeyId).toMatchObject({ file: "template.yaml", line: 32, column: 7 });
    expect(trail?.fieldLocations.snsTopic).toMatchObject({ line: 35, column: 7 });
    expect(trail?.origin.location).toMatchObject({ line: 26, column: 3 });
  });
});

const malformed = (name: string) => {
  const file = path.join(fixturesRoot, "malformed", name);
  return sourceFile(readFileSync(file, "utf8"), `test/fixtures/cloudformation/malformed/${name}`);
};

describe("malformed input", () => {
  it.each([
    ["bad-indent.yaml", 7],
    ["truncated.json", 8],
    ["unknown-tag.yaml", 7],
    ["alias-bomb.yaml", 0],
  ])(
    "%s: an error with file and line, no throw (an alias bomb is refused, not expanded: the test's time limit)",
    (name, line) => {
      const result = readTemplate(malformed(name));
      expect(result.status).toBe("read");
      if (result.status !== "read") return;
      const errors = errorsOf(result.fragment, "error");
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]?.file).toBe(`test/fixtures/cloudformation/malformed/${name}`);
      expect(errors[0]?.line).toBeGreaterThan(0);
      expect(errors[0]?.column).toBeGreaterThan(0);
      if (line) expect(errors.some((e) => e.line === line)).toBe(true);
    },
  );

  it("names the unknown tag and reads nothing of the file: a recovered part is a guess", () => {
    const result = readTemplate(malformed("unknown-tag.yaml"));
    if (result.status !== "read") throw new Error("not read");
    expect(result.fragment.errors[0]).toMatchObject({ line: 7, column: 21, severity: "error" });
    expect(result.fragment.errors[0]?.message).toContain("!Foo");
    expect(result.fragment.trails).toEqual([]);
  });

  it("refuses absurdly deep nesting without overflowing the stack", () => {
    const depth = 100_000;
    const text = `{"AWSTemplateFormatVersion": "2010-09-09", "Metadata": ${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const result = readTemplate(sourceFile(text, "deep.json"));
    if (result.status !== "read") throw new Error("not read");
    expect(result.fragment.errors).toEqual([
      expect.objectContaining({
        file: "deep.json",
        line: 1,
        severity: "error",
        message: expect.stringMatching(/nesting/),
      }),
    ]);
  });

  it("reads many shallow lists, and nesting up to the limit; refuses one level more", () => {
    const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
    const template = (metadata: string) =>
      `{"AWSTemplateFormatVersion": "2010-09-09", "Metadata": ${metadata}, "Resources": {}}`;
    const nestingErrors = (text: string) => {
      const result = readTemplate(sourceFile(text, "t.json"));
      if (result.status !== "read") throw new Error("not read");
      return result.fragment.errors.filter((e) => /nesting/.test(e.message));
    };
    // Far more brackets than the limit, none deep.
    expect(nestingErrors(template(`[${Array.from({ length: 400 }, () => "[1]").join(",")}]`))).toEqual([]);
    // The template's own braces are one level around the nested lists; the limit is 256 levels.
    expect(nestingErrors(template(nested(255)))).toEqual([]);
    expect(nestingErrors(template(nested(256)))).toHaveLength(1);
  });

  it("stops an alias bomb", () => {
    const result = readTemplate(malformed("alias-bomb.yaml"));
    if (result.status !== "read") throw new Error("not read");
    expect(result.fragment.errors[0]?.message).toMatch(/alias/);
    expect(result.fragment.trails).toEqual([]);
  });

  it.each([
    ["package.json", JSON.stringify({ name: "x", version: "1.0.0", scripts: { test: "vitest" } })],
    ["ci.yml", "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n"],
    ["deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"],
    ["broken.yaml", "a: [1, 2\nb: {"],
    ["empty.yaml", ""],
    [
      "guard-tests.yml",
      "- name: x\n  input:\n    Resources:\n      T:\n        Type: AWS::CloudTrail::Trail\n",
    ],
    ["no-aws.yaml", "Resources:\n  Thing:\n    Type: Custom::Thing\n"],
  ])("%s is not CloudFormation", (name, text) => {
    expect(readTemplate(sourceFile(text, name))).toEqual({ status: "not-mine" });
  });

  it("reports an unparsable file that mentions AWS:: types", () => {
    const result = readTemplate(
      sourceFile("Resources:\n  T:\n    Type: AWS::S3::Bucket\n   Bad: [", "x.yaml"),
    );
    expect(result.status).toBe("read");
    if (result.status === "read") expect(errorsOf(result.fragment, "error")[0]?.file).toBe("x.yaml");
  });

  it("keeps a resource whose properties are malformed, with the field Unknown and a warning", () => {
    const fragment = read(`Resources:
  T:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: [1, 2]
      IsMultiRegionTrail: {a: 1}
      S3BucketName: [x]
  B:
    Type: AWS::S3::Bucket
    Properties: [1]
`);
    const [trail] = fragment.trails;
    expect(trail?.isLogging).toEqual(expect.objectContaining({ unknown: true }));
    expect(reasonOf(trail?.isLogging)).toMatch(/IsLogging must be a boolean, got a list/);
    expect(trail?.isMultiRegionTrail).toEqual(expect.objectContaining({ unknown: true }));
    expect(trail?.s3BucketName).toEqual(expect.objectContaining({ unknown: true }));
    expect(fragment.buckets).toHaveLength(1);
    expect(fragment.buckets[0]?.versioning).toEqual(expect.objectContaining({ unknown: true }));
    const warnings = errorsOf(fragment, "warning");
    expect(warnings.some((w) => w.line === 5 && /IsLogging/.test(w.message))).toBe(true);
    expect(warnings.some((w) => w.line === 10)).toBe(true);
  });
});

describe("the YAML version a template names", () => {
  const body = `Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Ref Name
      Flag: yes
`;
  const flag = (text: string) => {
    const root = parseText(text).root;
    const resources =
      root?.kind === "map" ? root.entries.find((e) => e.key === "Resources")?.value : undefined;
    const logs = resources?.kind === "map" ? resources.entries[0]?.value : undefined;
    const props = logs?.kind === "map" ? logs.entries.find((e) => e.key === "Properties")?.value : undefined;
    return props?.kind === "map" ? props.entries.map((e) => [e.key, e.value]) : [];
  };

  it("is honoured: `yes` is a boolean in YAML 1.1, a string in 1.2; short forms parse in both", () => {
    const v11 = flag(`%YAML 1.1\n---\n${body}`);
    const v12 = flag(body);
    const directive12 = flag(`%YAML 1.2\n---\n${body}`);
    expect(v11.find(([k]) => k === "Flag")?.[1]).toMatchObject({ kind: "scalar", value: true });
    expect(v12.find(([k]) => k === "Flag")?.[1]).toMatchObject({ kind: "scalar", value: "yes" });
    expect(directive12.find(([k]) => k === "Flag")?.[1]).toMatchObject({ kind: "scalar", value: "yes" });
    for (const parsed of [v11, v12, directive12]) {
      expect(parsed.find(([k]) => k === "BucketName")?.[1]).toMatchObject({
        kind: "map",
        entries: [{ key: "Ref", value: { kind: "scalar", value: "Name" } }],
      });
    }
  });
});
