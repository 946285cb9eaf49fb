import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Moto, MotoEndpoint } from "./moto.js";

const run = promisify(execFile);

/**
 * AWS accounts built with the real `aws` CLI against moto_server: the scenarios the live collector, the snapshot
 * and the AWS CLI export source are all tested on. Each builder starts from a reset emulator. The run service builds
 * each once per run, on a moto_server of its own (see scenario-accounts.ts).
 */
export const ACCOUNT_ID = "123456789012";
export const OTHER_ACCOUNT_ID = "222222222222";
export const REGION = "us-east-1";

export type AwsCli = (...args: string[]) => Promise<unknown>;

/**
 * Runs `aws <args> --output json` with the emulator's environment (and optional extra variables). Asynchronous, so
 * that the run service stays responsive while it builds several scenarios at once.
 */
export function awsCli(moto: MotoEndpoint, extraEnv: Record<string, string> = {}): AwsCli {
  return async (...args: string[]) => {
    const { stdout } = await run("aws", [...args, "--output", "json"], {
      env: { ...process.env, ...moto.env, ...extraEnv },
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim() ? JSON.parse(stdout) : undefined;
  };
}

export interface Scenario {
  name: string;
  /** What the scenario is meant to show, for test names. */
  description: string;
  build(moto: Moto): Promise<void>;
}

const json = (value: unknown) => JSON.stringify(value);

function trailBucketPolicy(bucket: string, trailName: string) {
  const trailArn = `arn:aws:cloudtrail:${REGION}:${ACCOUNT_ID}:trail/${trailName}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AclCheck",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: `arn:aws:s3:::${bucket}`,
        Condition: { StringEquals: { "aws:SourceArn": trailArn } },
      },
      {
        Sid: "Write",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${bucket}/AWSLogs/${ACCOUNT_ID}/*`,
        Condition: {
          StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn },
        },
      },
      {
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

export const scenarios: Record<
  "noTrail" | "singleRegionNotLogging" | "compliant" | "crossAccountBucket",
  Scenario
> = {
  noTrail: {
    name: "no-trail",
    description: "an account without any trail",
    async build(moto) {
      await moto.reset();
      await awsCli(moto)("s3api", "create-bucket", "--bucket", "unrelated-data");
    },
  },

  singleRegionNotLogging: {
    name: "single-region-not-logging",
    description: "a single-region trail that was never started, writing to a plain bucket",
    async build(moto) {
      await moto.reset();
      const aws = awsCli(moto);
      await aws("s3api", "create-bucket", "--bucket", "plain-trail-logs");
      await aws("cloudtrail", "create-trail", "--name", "regional", "--s3-bucket-name", "plain-trail-logs");
    },
  },

  compliant: {
    name: "compliant",
    description:
      "a logging multi-region trail with validation, KMS (rotating key), CloudWatch Logs, SNS, Insights and S3 data " +
      "events, writing to a locked-down, versioned, object-locked bucket that logs to a separate bucket; the 15 CIS " +
      "alarm chains on its log group, but one alarm notifies the topic without subscription and one filter sits on " +
      "another log group (cis-chains.ts)",
    async build(moto) {
      await moto.reset();
      const aws = awsCli(moto);
      const bucket = "audit-trail-logs";
      const trail = "org-audit";
      const key = (await aws("kms", "create-key", "--description", "trail key")) as {
        KeyMetadata: { KeyId: string; Arn: string };
      };
      await aws("kms", "enable-key-rotation", "--key-id", key.KeyMetadata.KeyId);
      await aws(
        "kms",
        "create-alias",
        "--alias-name",
        "alias/trail",
        "--target-key-id",
        key.KeyMetadata.KeyId,
      );

      await aws("s3api", "create-bucket", "--bucket", "audit-access-logs");
      await aws(
        "s3api",
        "put-bucket-policy",
        "--bucket",
        "audit-access-logs",
        "--policy",
        json({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ServerAccessLogs",
              Effect: "Allow",
              Principal: { Service: "logging.s3.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: "arn:aws:s3:::audit-access-logs/*",
              Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID } },
            },
          ],
        }),
      );
      await aws("s3api", "create-bucket", "--bucket", bucket, "--object-lock-enabled-for-bucket");
      await aws(
        "s3api",
        "put-public-access-block",
        "--bucket",
        bucket,
        "--public-access-block-configuration",
        "BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true",
      );
      await aws(
        "s3api",
        "put-bucket-versioning",
        "--bucket",
        bucket,
        "--versioning-configuration",
        "Status=Enabled",
      );
      await aws(
        "s3api",
        "put-object-lock-configuration",
        "--bucket",
        bucket,
        "--object-lock-configuration",
        json({ ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 365 } } }),
      );
      await aws(
        "s3api",
        "put-bucket-logging",
        "--bucket",
        bucket,
        "--bucket-logging-status",
        json({ LoggingEnabled: { TargetBucket: "audit-access-logs", TargetPrefix: "trail-bucket/" } }),
      );
      await aws(
        "s3api",
        "put-bucket-lifecycle-configuration",
        "--bucket",
        bucket,
        "--lifecycle-configuration",
        json({
          Rules: [{ ID: "archive", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 2555 } }],
        }),
      );
      await aws(
        "s3api",
        "put-bucket-encryption",
        "--bucket",
        bucket,
        "--server-side-encryption-configuration",
        json({
          Rules: [
            {
              ApplyServerSideEncryptionByDefault: {
                SSEAlgorithm: "aws:kms",
                KMSMasterKeyID: key.KeyMetadata.Arn,
              },
            },
          ],
        }),
      );
      await aws(
        "s3api",
        "put-bucket-policy",
        "--bucket",
        bucket,
        "--policy",
        json(trailBucketPolicy(bucket, trail)),
      );

      const group = "/aws/cloudtrail/org-audit";
      await aws("logs", "create-log-group", "--log-group-name", group, "--kms-key-id", key.KeyMetadata.Arn);
      await aws("logs", "put-retention-policy", "--log-group-name", group, "--retention-in-days", "400");
      const role = (await aws(
        "iam",
        "create-role",
        "--role-name",
        "cloudtrail-to-logs",
        "--assume-role-policy-document",
        json({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      )) as { Role: { Arn: string } };
      const deliveries = (await aws("sns", "create-topic", "--name", "trail-deliveries")) as {
        TopicArn: string;
      };

      await aws(
        "cloudtrail",
        "create-trail",
        "--name",
        trail,
        "--s3-bucket-name",
        bucket,
        "--is-multi-region-trail",
        "--include-global-service-events",
        "--enable-log-file-validation",
        "--kms-key-id",
        "alias/trail",
        "--cloud-watch-logs-log-group-arn",
        `arn:aws:logs:${REGION}:${ACCOUNT_ID}:log-group:${group}:*`,
        "--cloud-watch-logs-role-arn",
        role.Role.Arn,
        "--sns-topic-name",
        "trail-deliveries",
      );
      await aws(
        "cloudtrail",
        "put-event-selectors",
        "--trail-name",
        trail,
        "--event-selectors",
        json([
          {
            ReadWriteType: "All",
            IncludeManagementEvents: true,
            DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3"] }],
          },
        ]),
      );
      await aws(
        "cloudtrail",
        "put-insight-selectors",
        "--trail-name",
        trail,
        "--insight-selectors",
        json([{ InsightType: "ApiCallRateInsight" }, { InsightType: "ApiErrorRateInsight" }]),
      );
      await aws("cloudtrail", "start-logging", "--name", trail);
      // Loaded here: the files that only name the scenarios do not load the SDK clients it uses.
      const { buildCisChains } = await import("./cis-chains.js");
      await buildCisChains(moto, REGION, group, deliveries.TopicArn);
    },
  },

  crossAccountBucket: {
    name: "cross-account-bucket",
    description:
      "a logging multi-region trail whose bucket belongs to another account (its settings cannot be read)",
    async build(moto) {
      await moto.reset();
      const role = (await awsCli(moto)(
        "sts",
        "assume-role",
        "--role-arn",
        `arn:aws:iam::${OTHER_ACCOUNT_ID}:role/log-archive`,
        "--role-session-name",
        "setup",
      )) as { Credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string } };
      const other = awsCli(moto, {
        AWS_ACCESS_KEY_ID: role.Credentials.AccessKeyId,
        AWS_SECRET_ACCESS_KEY: role.Credentials.SecretAccessKey,
        AWS_SESSION_TOKEN: role.Credentials.SessionToken,
      });
      await other("s3api", "create-bucket", "--bucket", "central-log-archive");
      const aws = awsCli(moto);
      await aws(
        "cloudtrail",
        "create-trail",
        "--name",
        "to-archive",
        "--s3-bucket-name",
        "central-log-archive",
        "--is-multi-region-trail",
        "--enable-log-file-validation",
      );
      await aws("cloudtrail", "start-logging", "--name", "to-archive");
    },
  },
};
