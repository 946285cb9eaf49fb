// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation placeholders are literal ${...} strings
import { describe, expect, it } from "vitest";
import { Resolver, toPlain } from "../../../src/sources/cloudformation/intrinsics.js";
import { parseText } from "../../../src/sources/cloudformation/parse.js";
import { readTemplateSections } from "../../../src/sources/cloudformation/template.js";
import {
  entryOf,
  type LMap,
  type LNode,
  type LSeq,
  type RMap,
  type RSeq,
  refsOf,
} from "../../../src/sources/cloudformation/tree.js";
import { errorsOf, read, reasonOf } from "./helpers.js";

/** A template with one trail whose properties are given; parameters and conditions shared by the cases. */
function trailWith(properties: string, extra = ""): string {
  return `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
  Chosen:
    Type: String
  Flag:
    Type: String
    Default: "TRUE"
  Zones:
    Type: CommaDelimitedList
    Default: "a, b, c"
  FromSsm:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /trail/name
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Equals [!Ref Env, dev]
  ByChoice: !Equals [!Ref Chosen, yes]
  InUsEast1: !Equals [!Ref "AWS::Region", us-east-1]
Mappings:
  Names:
    prod:
      Bucket: prod-logs
Resources:
  TrailBucket:
    Type: AWS::S3::Bucket
  NamedBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: named-logs
${extra}  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
${properties
  .split("\n")
  .map((l) => `      ${l}`)
  .join("\n")}
`;
}

const trailOf = (properties: string, extra = "") => {
  const fragment = read(trailWith(properties, extra));
  const trail = fragment.trails.find((t) => t.id === "template.yaml#Trail");
  if (!trail) throw new Error("no trail");
  return { trail, fragment };
};

describe("intrinsic functions", () => {
  it.each([
    [
      "!Sub with pseudo parameters and resources",
      'S3KeyPrefix: !Sub "arn:${AWS::Partition}:s3:::${TrailBucket}/AWSLogs/${AWS::AccountId}/*"',
      "arn:${AWS::Partition}:s3:::${TrailBucket}/AWSLogs/${AWS::AccountId}/*",
    ],
    ["!Sub with an attribute", "S3KeyPrefix: !Sub ${TrailBucket.Arn}/x", "${TrailBucket.Arn}/x"],
    ["!Sub with a literal ${!...}", "S3KeyPrefix: !Sub a-${!Literal}-${Env}", "a-${Literal}-prod"],
    [
      "!Sub with a stray brace and an unclosed ${",
      'S3KeyPrefix: !Sub "${Env}}-${ Env }/${Env"',
      "prod}-prod/${Env",
    ],
    [
      "!Sub with a variable map",
      'S3KeyPrefix: !Sub ["${A}-${Env}", {A: !Ref NamedBucket}]',
      "named-logs-prod",
    ],
    ["a Ref to a named bucket yields its name", "S3KeyPrefix: !Ref NamedBucket", "named-logs"],
    ["a Ref to an unnamed bucket yields a placeholder", "S3KeyPrefix: !Ref TrailBucket", "${TrailBucket}"],
    ["a parameter default", "S3KeyPrefix: !Ref Env", "prod"],
    ["!Join over a list parameter", 'S3KeyPrefix: !Join ["/", !Ref Zones]', "a/b/c"],
    ["!Select from !Split", 'S3KeyPrefix: !Select [2, !Split ["-", "x-y-z"]]', "z"],
    ["!FindInMap with resolved keys", "S3KeyPrefix: !FindInMap [Names, !Ref Env, Bucket]", "prod-logs"],
    ["a decidable !If (true branch)", "S3KeyPrefix: !If [IsProd, p, d]", "p"],
    ["a decidable !If (false branch)", "S3KeyPrefix: !If [IsDev, d, p]", "p"],
    ["!GetAtt string form", "S3KeyPrefix: !GetAtt TrailBucket.Arn", "${TrailBucket.Arn}"],
  ])("%s", (_name, properties, expected) => {
    const { trail, fragment } = trailOf(properties);
    expect(trail.s3KeyPrefix).toBe(expected);
    expect(errorsOf(fragment, "error")).toEqual([]);
  });

  it.each([
    [
      "a parameter without default",
      "S3KeyPrefix: !Ref Chosen",
      "parameter Chosen has no default; its value is chosen at deploy time",
    ],
    [
      "an SSM parameter",
      "S3KeyPrefix: !Ref FromSsm",
      "parameter FromSsm is read from SSM Parameter Store at deploy time",
    ],
    [
      "!ImportValue",
      "S3KeyPrefix: !ImportValue central-log-bucket",
      'Fn::ImportValue "central-log-bucket" (line 37)',
    ],
    [
      "an undecidable !If",
      "S3KeyPrefix: !If [ByChoice, a, b]",
      "Fn::If on condition ByChoice (line 37) cannot be decided: parameter Chosen has no default",
    ],
    [
      "an !If on a deploy-time region",
      "S3KeyPrefix: !If [InUsEast1, a, b]",
      "Fn::If on condition InUsEast1 (line 37) cannot be decided",
    ],
    ["!GetAZs", "S3KeyPrefix: !Select [0, !GetAZs '']", "Fn::GetAZs (line 37)"],
    ["!Cidr", "S3KeyPrefix: !Select [0, !Cidr [10.0.0.0/16, 2, 8]]", "Fn::Cidr (line 37)"],
    [
      "a Ref to nothing",
      "S3KeyPrefix: !Ref Nowhere",
      "Ref Nowhere (line 37): neither a parameter nor a resource",
    ],
    [
      "!Sub of an undecidable value",
      "S3KeyPrefix: !Sub ${Chosen}-x",
      "Fn::Sub (line 37) cannot be evaluated: ${Chosen}: parameter Chosen has no default",
    ],
  ])("%s is Unknown with the reason", (_name, properties, reason) => {
    const { trail } = trailOf(properties);
    expect(reasonOf(trail.s3KeyPrefix)).toContain(reason);
  });

  it("accepts booleans given as strings, in any case, and numbers as strings", () => {
    const { trail } = trailOf(
      'IsMultiRegionTrail: "true"\nEnableLogFileValidation: !Ref Flag\nIncludeGlobalServiceEvents: "False"',
    );
    expect(trail.isMultiRegionTrail).toBe(true);
    expect(trail.logFileValidationEnabled).toBe(true);
    expect(trail.includeGlobalServiceEvents).toBe(false);
    const fragment = read(
      `Resources:\n  G:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: "365"\n`,
    );
    expect(fragment.logGroups[0]?.retentionInDays).toBe(365);
  });

  it("removes a property set to AWS::NoValue", () => {
    const { trail } = trailOf(
      'S3KeyPrefix: !If [IsProd, !Ref "AWS::NoValue", x]\nIncludeGlobalServiceEvents: !Ref AWS::NoValue',
    );
    expect(trail.s3KeyPrefix).toBeNull();
    expect(trail.includeGlobalServiceEvents).toBe(true);
  });

  it("skips resources whose condition is false and keeps undecidable ones with a warning", () => {
    const extra = `  DevTrail:
    Type: AWS::CloudTrail::Trail
    Condition: IsDev
    Properties: {IsLogging: true}
  MaybeTrail:
    Type: AWS::CloudTrail::Trail
    Condition: ByChoice
    Properties: {IsLogging: true}
`;
    const { fragment } = trailOf("S3BucketName: x", extra);
    expect(fragment.trails.map((t) => t.id)).toEqual(["template.yaml#MaybeTrail", "template.yaml#Trail"]);
    const warning = errorsOf(fragment, "warning").find((w) => w.message.includes("MaybeTrail"));
    expect(warning?.message).toContain("condition ByChoice");
  });
});

describe("links set from references", () => {
  const template = `Resources:
  Logs:
    Type: AWS::S3::Bucket
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: "true"
  KeyAlias:
    Type: AWS::KMS::Alias
    Properties:
      AliasName: alias/trail
      TargetKeyId: !Ref Key
  Group:
    Type: AWS::Logs::LogGroup
    Properties:
      LogGroupName: trail-group
  Topic:
    Type: AWS::SNS::Topic
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Logs
      KMSKeyId: !Ref KeyAlias
      CloudWatchLogsLogGroupArn: !GetAtt Group.Arn
      SnsTopicName: !GetAtt Topic.TopicName
  Filter:
    Type: AWS::Logs::MetricFilter
    Properties:
      LogGroupName: !Ref Group
      FilterPattern: "{ $.eventName = StopLogging }"
      MetricTransformations:
        - MetricName: StopLogging
          MetricNamespace: CloudTrailMetrics
          MetricValue: "1"
`;

  it("links the trail to the bucket, key (through its alias), log group and topic", () => {
    const fragment = read(template);
    const [trail] = fragment.trails;
    expect(trail?.links).toEqual({
      bucket: "template.yaml#Logs",
      key: "template.yaml#Key",
      logGroup: "template.yaml#Group",
      topic: "template.yaml#Topic",
    });
    expect(trail?.s3BucketName).toBe("${Logs}");
    expect(trail?.kmsKeyId).toBe("alias/trail");
    expect(trail?.snsTopic).toBe("${Topic.TopicName}");
    expect(fragment.keys[0]?.aliases).toEqual(["alias/trail"]);
    expect(fragment.keys[0]?.rotationEnabled).toBe(true);
    expect(fragment.metricFilters[0]).toMatchObject({
      logGroupName: "trail-group",
      links: { logGroup: "template.yaml#Group" },
      metricTransformations: [{ metricName: "StopLogging", metricNamespace: "CloudTrailMetrics" }],
    });
    expect(errorsOf(fragment, "warning")).toEqual([]);
  });
});

describe("resolving a tree", () => {
  const text = `Parameters:
  Env: {Type: String, Default: prod}
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      Tags:
        - {Key: team, Value: audit}
        - {Key: env, Value: !Ref Env}
        - !Ref AWS::NoValue
      LifecycleConfiguration:
        Rules: [{Id: expire, Status: Enabled, ExpirationInDays: 90}]
      Extra: !Ref AWS::NoValue
`;
  const parsed = parseText(text).root as LMap;
  const sections = readTemplateSections(parsed, []);
  const props = sections.resources.get("Logs")?.properties?.value as LMap;
  const literal = (key: string) => entryOf(props, key)?.value;

  it("shares the parts without intrinsic functions and makes anew only those that changed", () => {
    const resolved = new Resolver(sections).value(props) as RMap;
    expect(resolved).not.toBe(props);
    expect(resolved.entries.map((e) => e.key)).toEqual(["Tags", "LifecycleConfiguration"]);
    expect(resolved.removed?.map((e) => e.key)).toEqual(["Extra"]);
    expect(entryOf(resolved, "LifecycleConfiguration")?.value).toBe(literal("LifecycleConfiguration"));
    const tags = entryOf(resolved, "Tags")?.value as RSeq;
    const parsedTags = literal("Tags") as LSeq;
    expect(tags.items).toHaveLength(2);
    expect(tags.items[0]).toBe(parsedTags.items[0]);
    expect(tags.items[1]).not.toBe(parsedTags.items[1]);
    expect(toPlain(tags)).toEqual([
      { Key: "team", Value: "audit" },
      { Key: "env", Value: "prod" },
    ]);
  });

  it("leaves the parsed tree as it was", () => {
    new Resolver(sections).value(props);
    expect(props.entries.map((e) => e.key)).toEqual(["Tags", "LifecycleConfiguration", "Extra"]);
    const env = (literal("Tags") as LSeq).items[1] as LMap;
    expect(entryOf(env, "Value")?.value).toMatchObject({ kind: "map", entries: [{ key: "Ref" }] });
  });

  it("gives a literal's value no references, and a reference's value the resource it names", () => {
    const resolver = new Resolver(sections);
    expect(refsOf(resolver.value(literal("LifecycleConfiguration")))).toEqual([]);
    const ref = resolver.value(parseText("!Ref Logs").root as LNode);
    expect(refsOf(ref)).toEqual(["Logs"]);
  });
});
