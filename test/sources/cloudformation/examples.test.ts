// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation placeholders are literal ${...} strings
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { errorsOf, read, repoRoot } from "./helpers.js";

const EXAMPLES = ["examples/cloudformation/compliant.yaml", "examples/cloudformation/noncompliant.yaml"];
const example = (rel: string) => read(readFileSync(path.join(repoRoot, rel), "utf8"), rel);

// That cfn-lint finds nothing to say about them is checked with the other templates, in test/corpus/cfn-lint.test.ts.
describe("CloudFormation examples", () => {
  it("compliant.yaml reads as a compliant setup", () => {
    const rel = EXAMPLES[0] as string;
    const fragment = example(rel);
    expect(fragment.errors).toEqual([]);
    const [trail] = fragment.trails;
    expect(trail).toMatchObject({
      name: "audit-trail",
      isLogging: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      logFileValidationEnabled: true,
      kmsKeyId: "alias/cloudtrail",
      insightTypes: ["ApiCallRateInsight", "ApiErrorRateInsight"],
      eventSelectors: [
        {
          readWriteType: "All",
          includeManagementEvents: true,
          dataResources: [{ type: "AWS::S3::Object", values: ["arn:${AWS::Partition}:s3"] }],
        },
      ],
      links: {
        bucket: `${rel}#TrailBucket`,
        key: `${rel}#TrailKey`,
        logGroup: `${rel}#TrailLogGroup`,
        topic: `${rel}#TrailTopic`,
      },
    });
    const bucket = fragment.buckets.find((b) => b.id === `${rel}#TrailBucket`);
    expect(bucket).toMatchObject({
      versioning: "Enabled",
      objectLock: { enabled: true, mode: "GOVERNANCE", retentionDays: 365 },
      links: { loggingTarget: `${rel}#AccessLogBucket` },
      lifecycleRules: [{ enabled: true, expirationDays: 400, noncurrentVersionExpirationDays: 400 }],
    });
    const policy = bucket?.policy as { statements: { conditions: { key: string }[] }[] } | undefined;
    const conditionKeys = policy?.statements.flatMap((s) => s.conditions.map((c) => c.key));
    expect(conditionKeys).toEqual(
      expect.arrayContaining(["aws:sourcearn", "aws:sourceaccount", "aws:securetransport"]),
    );
    expect(fragment.keys[0]).toMatchObject({ rotationEnabled: true, aliases: ["alias/cloudtrail"] });
    expect(fragment.logGroups[0]).toMatchObject({ retentionInDays: 365, kmsKeyId: `\${TrailKey.Arn}` });
  });

  it("noncompliant.yaml reads as a noncompliant setup", () => {
    const fragment = example(EXAMPLES[1] as string);
    expect(errorsOf(fragment, "error")).toEqual([]);
    expect(fragment.trails[0]).toMatchObject({
      isLogging: false,
      isMultiRegionTrail: false,
      logFileValidationEnabled: false,
      kmsKeyId: null,
      cloudWatchLogsLogGroupArn: null,
      snsTopic: null,
    });
    expect(fragment.buckets[0]).toMatchObject({
      cannedAcl: "public-read",
      logging: null,
      versioning: null,
      publicAccessBlock: { blockPublicAcls: false, blockPublicPolicy: false },
    });
  });
});
