// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation placeholders are literal ${...} strings
import { describe, expect, it } from "vitest";
import { emptyAccount } from "../../../src/model/index.js";
import { mergeFragment } from "../../../src/sources/fragment.js";
import { findingsForTemplate } from "../../support/evaluate.js";
import { errorsOf, read } from "./helpers.js";

describe("valid CloudFormation parses", () => {
  it("accepts the short forms of the Rules section's functions", () => {
    const fragment = read(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: { Type: String, Default: prod }
  Vpc: { Type: "AWS::EC2::VPC::Id" }
Rules:
  KnownEnv:
    RuleCondition: !Equals [!Ref Env, prod]
    Assertions:
      - Assert: !Contains [[prod, dev], !Ref Env]
      - Assert: !EachMemberEquals [!ValueOfAll ["AWS::EC2::Subnet::Id", VpcId], !Ref Vpc]
      - Assert: !EachMemberIn [!ValueOfAll ["AWS::EC2::Subnet::Id", VpcId], !RefAll "AWS::EC2::VPC::Id"]
Resources:
  Logs:
    Type: AWS::S3::Bucket
`);
    expect(fragment.errors).toEqual([]);
    expect(fragment.buckets).toHaveLength(1);
  });

  it("accepts !ValueOf in any layout, block or flow", () => {
    const fragment = read(`Parameters:
  Network:
    Type: AWS::EC2::VPC::Id
Rules:
  TaggedNetwork:
    Assertions:
      - Assert:
          !Not
            - !Equals
              - !ValueOf
                - Network
                - DefaultNetworkAcl
              - ""
        AssertDescription: the network has a default ACL
Resources:
  Audit: { Type: "AWS::CloudTrail::Trail", Properties: { IsLogging: true, S3BucketName: b } }
`);
    expect(errorsOf(fragment, "error")).toEqual([]);
    expect(fragment.trails).toHaveLength(1);
  });
});

/** A trail that passes and fails some rules, and a bucket: what a corruption must not turn into passes. */
const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  AuditTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      EnableLogFileValidation: true
      S3BucketName: !Ref AuditBucket
  AuditBucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
`;

describe("a file with a parse error contributes no verdict", () => {
  it.each([
    ["an unknown tag", TEMPLATE.replace("!Ref AuditBucket", "!Reff AuditBucket")],
    [
      "a repeated key",
      TEMPLATE.replace("      IsLogging: true\n", "      IsLogging: true\n      IsLogging: false\n"),
    ],
    ["a repeated resource", `${TEMPLATE}  AuditTrail:\n    Type: AWS::SNS::Topic\n`],
    ["a bad indentation", TEMPLATE.replace("        Status: Enabled", "      Status: Enabled\n     Oops: 1")],
    ["an unterminated flow list", TEMPLATE.replace("IsLogging: true", "IsLogging: [true")],
  ])("%s: an error, no resources, no pass", (_name, text) => {
    const findings = findingsForTemplate(text);
    expect(findings.filter((f) => f.status === "pass")).toEqual([]);
    const fragment = read(text);
    expect(errorsOf(fragment, "error")).not.toEqual([]);
    expect(fragment.trails).toEqual([]);
    expect(fragment.buckets).toEqual([]);
  });

  it("the lists the file may hold are partial for account rules", () => {
    const account = emptyAccount("stack", { address: "stack" }, true);
    mergeFragment(account, read(TEMPLATE.replace("Status: Enabled", 'Status: "Enabled')));
    expect(account.coverage.trails).toEqual({
      state: "partial",
      reason: "template.yaml does not parse, so what it declares is not read",
    });
    expect(account.coverage.buckets.state).toBe("partial");
  });

  it("the same template uncorrupted does pass rules", () => {
    expect(findingsForTemplate(TEMPLATE).some((f) => f.status === "pass")).toBe(true);
  });
});

describe("secrets stay out of every report", () => {
  const SECRET = "s3cr3t-Value-9f2b";

  it.each([
    [
      "a NoEcho default used in a name, a condition and a Sub",
      `Parameters:
  Token:
    Type: String
    NoEcho: true
    Default: ${SECRET}
Conditions:
  HasToken: !Not [!Equals [!Ref Token, ""]]
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Condition: HasToken
    Properties:
      BucketName: !Ref Token
  Audit:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Logs
      TrailName: !Sub "trail-\${Token}"
`,
    ],
    [
      'a NoEcho: "True" default joined and looked up in a mapping',
      `{"Parameters": {"ApiKey": {"Type": "String", "NoEcho": "True", "Default": "${SECRET}"}},
 "Mappings": {"Keys": {"${SECRET}": {"Retention": 7}}},
 "Resources": {
  "Group": {"Type": "AWS::Logs::LogGroup", "Properties": {
    "LogGroupName": {"Fn::Join": ["/", ["logs", {"Ref": "ApiKey"}]]},
    "RetentionInDays": {"Fn::FindInMap": ["Keys", {"Ref": "ApiKey"}, "Retention"]}}}}}`,
    ],
  ])("%s", (_name, text) => {
    const fragment = read(text, text.startsWith("{") ? "t.json" : "t.yaml");
    const findings = findingsForTemplate(text);
    expect(findings.length).toBeGreaterThan(0);
    expect(JSON.stringify({ fragment, findings })).not.toContain(SECRET);
  });

  it.each([
    [
      "a bad escape in a double-quoted secret",
      `Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: "x\\q${SECRET}"\n`,
    ],
    [
      "a bad block scalar header",
      `Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: |x${SECRET}\n        body\n`,
    ],
    [
      "a repeated long key",
      `Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata:\n      "${SECRET} ${SECRET}": 1\n      "${SECRET} ${SECRET}": 2\n`,
    ],
  ])("a syntax error does not quote the text: %s", (_name, text) => {
    const errors = errorsOf(read(text), "error");
    expect(errors).not.toEqual([]);
    expect(errors[0]?.column).toBeGreaterThan(0);
    expect(JSON.stringify(errors)).not.toContain(SECRET);
  });
});
