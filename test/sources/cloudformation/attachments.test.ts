// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation placeholders are literal ${...} strings
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scan } from "../../../src/scan/index.js";
import { BUILT_IN_POLICIES, findingsForTemplate, verdictsOf } from "../../support/evaluate.js";
import { errorsOf, read, reasonOf } from "./helpers.js";

const TLS_ONLY = `      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: "*"
            Condition: {Bool: {"aws:SecureTransport": "false"}}
`;

const TRAIL_AND_BUCKET = (bucketName: string) => `Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Logs
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: ${bucketName}
`;

describe("a bucket policy created only under an undecidable condition", () => {
  it.each([
    [
      "a parameter without default",
      `Parameters:\n  Hardened: {Type: String}\nConditions:\n  IsHardened: !Equals [!Ref Hardened, "yes"]\n`,
      "IsHardened",
    ],
    [
      "an imported value",
      `Conditions:\n  Strict:\n    Fn::Not:\n      - Fn::Equals: [!ImportValue shared-mode, lax]\n`,
      "Strict",
    ],
  ])("leaves tls-only unknown, naming the condition (%s)", (_name, conditions, condition) => {
    const text = `${conditions}${TRAIL_AND_BUCKET("audit-logs")}  Policy:
    Type: AWS::S3::BucketPolicy
    Condition: ${condition}
    Properties:
      Bucket: !Ref Logs
${TLS_ONLY}`;
    const finding = findingsForTemplate(text).find((f) => f.ruleId === "bucket.tls-only");
    expect(finding?.status).toBe("unknown");
    expect(JSON.stringify(finding)).toContain(`condition ${condition}`);
    expect(reasonOf(read(text).buckets[0]?.policy)).toContain(`condition ${condition}`);
  });

  it("marks a resource under an undecidable condition as of undecided existence", () => {
    const fragment = read(`Parameters:\n  Env: {Type: String}\nConditions:\n  Prod: !Equals [!Ref Env, prod]
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Condition: Prod
  Always:
    Type: AWS::S3::Bucket
`);
    expect(fragment.buckets[0]?.existence?.reason).toContain("condition Prod");
    expect(fragment.buckets[1]?.existence).toBeUndefined();
  });
});

describe("other attachments under an undecidable condition", () => {
  const CONDITIONS = `Parameters:\n  Mode: {Type: String}\nConditions:\n  Paging: !Equals [!Ref Mode, page]\n  Named: !Not [!Equals [!Ref Mode, anon]]\n`;

  it("a subscription leaves the topic's subscriptions unknown, naming the condition", () => {
    const fragment = read(`${CONDITIONS}Resources:
  Alerts:
    Type: AWS::SNS::Topic
  Pager:
    Type: AWS::SNS::Subscription
    Condition: Paging
    Properties: {TopicArn: !Ref Alerts, Protocol: email, Endpoint: ops@example.com}
`);
    expect(reasonOf(fragment.topics[0]?.subscriptions)).toContain("condition Paging");
  });

  it("an alias leaves the key's aliases unknown, naming the condition", () => {
    const fragment = read(`${CONDITIONS}Resources:
  TrailKey:
    Type: AWS::KMS::Key
  TrailKeyAlias:
    Type: AWS::KMS::Alias
    Condition: Named
    Properties: {AliasName: alias/trail, TargetKeyId: !Ref TrailKey}
`);
    expect(reasonOf(fragment.keys[0]?.aliases)).toContain("condition Named");
  });
});

describe("two bucket policies on one bucket", () => {
  it.each([
    ["both by Ref", "!Ref Logs", "!Ref Logs"],
    ["one by Ref, one by literal name", "!Ref Logs", "audit-logs"],
  ])("are a conflict: the policy is unknown, not the last one (%s)", (_name, first, second) => {
    const text = `${TRAIL_AND_BUCKET("audit-logs")}  Strict:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: ${first}
${TLS_ONLY}  Lax:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: ${second}
      PolicyDocument:
        Statement:
          - {Effect: Allow, Principal: "*", Action: "s3:GetObject", Resource: "*"}
`;
    const fragment = read(text);
    expect(reasonOf(fragment.buckets[0]?.policy)).toMatch(/declared more than once.*Strict.*Lax/);
    expect(errorsOf(fragment, "warning").filter((e) => e.message.includes("more than once"))).toHaveLength(2);
    expect(verdictsOf(findingsForTemplate(text), "bucket.tls-only")).toEqual({
      "template.yaml#Logs": "unknown",
    });
  });
});

describe("settings declared in another template of the scan", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "trailguard-attach-"));
    mkdirSync(join(dir, "stack"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async () => {
    const outcome = await scan({
      paths: ["stack"],
      scope: "resource",
      ...BUILT_IN_POLICIES,
      cwd: dir,
      rules: ["bucket.tls-only", "bucket.dedicated"],
    });
    return { outcome, verdicts: verdictsOf(outcome.findings, "bucket.tls-only") };
  };

  it.each([
    ["by name", "org-trail-logs"],
    ["by ARN", "arn:aws:s3:::org-trail-logs"],
  ])("attach to the bucket they name %s", async (_name, reference) => {
    writeFileSync(join(dir, "stack/trail.yaml"), TRAIL_AND_BUCKET("org-trail-logs"));
    writeFileSync(
      join(dir, "stack/policies.yaml"),
      `Resources:\n  LogsPolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: ${reference}\n${TLS_ONLY}`,
    );
    const { verdicts, outcome } = await run();
    expect(verdicts).toEqual({ "stack/trail.yaml#Logs": "pass" });
    expect(outcome.errors).toEqual([]);
  });

  it("a second policy in another template is a conflict, whatever the order of the files", async () => {
    writeFileSync(
      join(dir, "stack/a-policy.yaml"),
      `Resources:\n  Open:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: team-logs\n      PolicyDocument: {Statement: [{Effect: Allow, Principal: "*", Action: "s3:*", Resource: "*"}]}\n`,
    );
    writeFileSync(
      join(dir, "stack/b-trail.yaml"),
      `${TRAIL_AND_BUCKET("team-logs")}  Own:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Logs\n${TLS_ONLY}`,
    );
    const { verdicts, outcome } = await run();
    expect(verdicts).toEqual({ "stack/b-trail.yaml#Logs": "unknown" });
    expect(outcome.errors.map((e) => e.message).join("\n")).toMatch(/declared more than once/);
  });

  it("a policy whose bucket is in no scanned file is reported, and judges nothing", async () => {
    writeFileSync(join(dir, "stack/trail.yaml"), TRAIL_AND_BUCKET("kept-logs"));
    writeFileSync(
      join(dir, "stack/other.yaml"),
      `Resources:\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: elsewhere-logs\n${TLS_ONLY}`,
    );
    const { verdicts, outcome } = await run();
    expect(verdicts).toEqual({ "stack/trail.yaml#Logs": "fail" });
    expect(outcome.errors).toEqual([
      expect.objectContaining({
        code: "unresolved",
        file: "stack/other.yaml",
        severity: "warning",
        message: expect.stringContaining("elsewhere-logs"),
      }),
    ]);
  });
});
