// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation placeholders are literal ${...} strings
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseText } from "../../../src/sources/cloudformation/parse.js";
import { readTemplateSections, type StructureProblem } from "../../../src/sources/cloudformation/template.js";
import { findingsForTemplate, verdictsOf } from "../../support/evaluate.js";
import { errorsOf, fixturesRoot, read, reasonOf } from "./helpers.js";

describe("Fn::ForEach (AWS::LanguageExtensions)", () => {
  it("expands a literal collection into the resources it creates", () => {
    const text = readFileSync(join(fixturesRoot, "valid/foreach.yaml"), "utf8");
    const fragment = read(text);
    expect(fragment.trails.map((t) => t.id)).toEqual(["template.yaml#AuditTrail", "template.yaml#DataTrail"]);
    expect(fragment.trails.map((t) => t.isMultiRegionTrail)).toEqual([true, true]);
    expect(fragment.trails[0]?.links.bucket).toBe("template.yaml#Logs");
    expect(verdictsOf(findingsForTemplate(text), "trail.multi-region")).toEqual({
      "template.yaml#AuditTrail": "pass",
      "template.yaml#DataTrail": "pass",
    });
  });

  it("expands a collection from a list parameter's default, with Ref and &{} of the identifier, nested", () => {
    const fragment = read(`Transform: [AWS::LanguageExtensions]
Parameters:
  Teams: {Type: CommaDelimitedList, Default: "red-team,blue"}
Resources:
  Fn::ForEach::PerTeam:
    - Team
    - !Ref Teams
    - Fn::ForEach::PerKind:
        - Kind
        - [raw, curated]
        - Bucket&{Team}\${Kind}:
            Type: AWS::S3::Bucket
            Properties:
              BucketName: !Sub "\${Team}-\${Kind}-logs"
              Tags: [{Key: team, Value: !Ref Team}]
`);
    expect(fragment.buckets.map((b) => [b.id, b.name])).toEqual([
      ["template.yaml#Bucketredteamraw", "red-team-raw-logs"],
      ["template.yaml#Bucketredteamcurated", "red-team-curated-logs"],
      ["template.yaml#Bucketblueraw", "blue-raw-logs"],
      ["template.yaml#Bucketbluecurated", "blue-curated-logs"],
    ]);
    expect(errorsOf(fragment, "warning")).toEqual([]);
  });

  it.each([
    ["a loop", (body: string) => `  Fn::ForEach::Queues:\n    - Name\n    - !Ref Names\n${body}`],
    [
      "a loop inside another",
      (body: string) =>
        `  Fn::ForEach::Outer:\n    - Side\n    - [a]\n    - Fn::ForEach::Queues:\n        - Name\n        - !Ref Names\n${body.replace(/^/gm, "    ")}`,
    ],
  ])("expands %s into more resources than a function call takes as arguments", (_, loop) => {
    const count = 150_000;
    const names = Array.from({ length: count }, (_, i) => `q${i}`).join(",");
    const body = "    - Queue${Name}:\n        Type: AWS::SQS::Queue\n";
    const text = `Transform: AWS::LanguageExtensions\nParameters:\n  Names: {Type: CommaDelimitedList, Default: "${names}"}\nResources:\n${loop(body)}`;
    const problems: StructureProblem[] = [];
    const root = parseText(text).root;
    if (root?.kind !== "map") throw new Error("the template does not parse");
    const sections = readTemplateSections(root, problems);
    expect(problems).toEqual([]);
    expect(sections.resources.size).toBe(count);
    expect(sections.resources.has(`Queueq${count - 1}`)).toBe(true);
  });

  it("says which loop cannot be expanded when its collection is known only at deploy time", () => {
    const fragment = read(`Transform: AWS::LanguageExtensions
Parameters:
  Names: {Type: CommaDelimitedList}
Resources:
  Fn::ForEach::Trails:
    - Name
    - !Ref Names
    - \${Name}:
        Type: AWS::CloudTrail::Trail
        Properties: {IsLogging: true, S3BucketName: b}
`);
    expect(fragment.trails).toEqual([]);
    expect(errorsOf(fragment, "warning")).toEqual([
      expect.objectContaining({
        code: "unsupported",
        line: 5,
        message: expect.stringContaining("Fn::ForEach::Trails"),
      }),
    ]);
  });
});

describe("a template with a transform trailguard does not model", () => {
  it.each([
    ["a macro by name", "Transform: CompanyMacro", "CompanyMacro"],
    [
      "AWS::Include among known ones",
      "Transform:\n  - AWS::LanguageExtensions\n  - Name: AWS::Include\n    Parameters: {Location: s3://b/x.yaml}",
      "AWS::Include",
    ],
  ])("has every resource unknown, naming the transform (%s)", (_name, transform, named) => {
    const text = `${transform}
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: logs
`;
    const [trail] = read(text).trails;
    expect(reasonOf(trail?.isMultiRegionTrail)).toContain(named);
    expect(trail?.existence?.reason).toContain(named);
    const findings = findingsForTemplate(text).filter((f) => f.resource.kind === "trail");
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.status === "pass" || f.status === "fail")).toEqual([]);
  });

  it("SAM's transform passes plain AWS resources through: they are judged", () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties: {IsLogging: true, IsMultiRegionTrail: false, S3BucketName: logs}
`;
    expect(verdictsOf(findingsForTemplate(text), "trail.multi-region")).toEqual({
      "template.yaml#Trail": "fail",
    });
  });
});
