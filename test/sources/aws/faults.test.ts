import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createClients } from "../../../src/sources/aws/clients.js";
import { collectLive } from "../../../src/sources/aws/index.js";
import { MOTO_START_TIMEOUT_MS, type Moto, startMoto } from "../../support/moto.js";
import { describeIf } from "../../support/requirements.js";
import { motoRequirement } from "../../support/scenario-accounts.js";
import { awsError, collectAwsShaped } from "./aws-shaped.js";
import { findingsOf, liveOptions, TEST_CREDENTIALS, verdictsFor } from "./helpers.js";
import { type CountingProxy, jsonError, startProxy } from "./proxy.js";

const ACCOUNT = "arn:aws:::account/123456789012";
const MANAGEMENT = "arn:aws:cloudtrail:us-east-1:123456789012:trail/management";
const BUCKET = "arn:aws:s3:::management-trail-logs";
const denied = (what: string) => () => {
  throw awsError(
    "AccessDeniedException",
    `User: arn:aws:iam::123456789012:user/auditor is not authorized to perform: ${what}`,
  );
};

/** Access errors never pass: what could not be read is Unknown, named, and reported. */
describe("faults injected into AWS answers", () => {
  test("AccessDenied on GetTrailStatus: trail.logging and trail.enabled are unknown, with the error named", async () => {
    const result = await collectAwsShaped({ GetTrailStatus: denied("cloudtrail:GetTrailStatus") });
    const findings = findingsOf(result.accounts);
    const trail = verdictsFor(findings, MANAGEMENT);
    expect(trail["trail.logging"]).toBe("unknown");
    expect(verdictsFor(findings, ACCOUNT)["trail.enabled"]).toBe("unknown");
    const logging = findings.find((f) => f.ruleId === "trail.logging" && f.resource.address === MANAGEMENT);
    expect(logging?.unknowns[0]?.reason).toMatch(
      /^GetTrailStatus: AccessDeniedException: User: .* not authorized/,
    );
    expect(result.errors).toContainEqual({
      code: "aws-error",
      message: expect.stringMatching(/^trail arn:.*management: GetTrailStatus: AccessDeniedException/),
      severity: "warning",
    });
    // The rest of the trail is still assessed.
    expect(trail["trail.log-file-validation"]).toBe("pass");
  });

  test("AccessDenied on GetBucketPolicy: the policy rules are unknown, the other bucket rules decided", async () => {
    const result = await collectAwsShaped({
      GetBucketPolicy: () => {
        throw awsError("AccessDenied", "Access Denied");
      },
    });
    const bucket = verdictsFor(findingsOf(result.accounts), BUCKET);
    expect(bucket["bucket.tls-only"]).toBe("unknown");
    expect(bucket["bucket.public-access-blocked"]).toBe("unknown");
    expect(bucket["bucket.versioning"]).toBe("pass");
    expect(result.accounts[0]?.buckets[0]?.policy).toMatchObject({
      reason: "GetBucketPolicy: AccessDenied: Access Denied",
    });
    expect(result.errors.map((e) => e.message)).toContain(
      "S3 bucket management-trail-logs: GetBucketPolicy: AccessDenied: Access Denied",
    );
  });

  test("a bucket of another account that refuses every read: all its rules unknown, never pass", async () => {
    const refuse = () => {
      throw awsError("AccessDenied", "Access Denied");
    };
    const s3Reads = [
      "GetPublicAccessBlock",
      "GetBucketPolicy",
      "GetBucketAcl",
      "GetBucketVersioning",
      "GetObjectLockConfiguration",
      "GetBucketLogging",
      "GetBucketLifecycleConfiguration",
      "GetBucketEncryption",
      "GetBucketWebsite",
      "GetBucketOwnershipControls",
      "GetBucketLocation",
    ];
    // ListBuckets refused too, so ownership is not known and the reads are tried (and refused).
    const result = await collectAwsShaped({
      ListBuckets: refuse,
      ...Object.fromEntries(s3Reads.map((op) => [op, refuse])),
    });
    const bucket = verdictsFor(findingsOf(result.accounts), BUCKET);
    expect(Object.keys(bucket).length).toBeGreaterThan(5);
    expect(Object.values(bucket).every((v) => v === "unknown")).toBe(true);
  });

  test("ListTrails refused: the account's trails are unknown, so trail.enabled is unknown, not fail", async () => {
    const result = await collectAwsShaped({ ListTrails: denied("cloudtrail:ListTrails") });
    expect(verdictsFor(findingsOf(result.accounts), ACCOUNT)["trail.enabled"]).toBe("unknown");
    expect(result.errors.find((e) => e.severity === "error")?.message).toMatch(
      /ListTrails: AccessDeniedException/,
    );
  });

  test("region discovery falls back to EC2 DescribeRegions where ListRegions is refused", async () => {
    const result = await collectAwsShaped({
      ListRegions: () => {
        throw awsError("UnknownError", "UnknownError", 404);
      },
      DescribeRegions: () => ({
        Regions: [
          { RegionName: "us-east-1", OptInStatus: "opt-in-not-required" },
          { RegionName: "af-south-1", OptInStatus: "opted-in" },
        ],
      }),
    });
    expect(result.accounts[0]?.regions).toEqual(["af-south-1", "us-east-1"]);
  });

  test("no credentials: no account, one error", async () => {
    const result = await collectAwsShaped({
      GetCallerIdentity: () => {
        throw awsError("InvalidClientTokenId", "The security token included in the request is invalid.");
      },
    });
    expect(result.accounts).toEqual([]);
    expect(result.errors).toEqual([
      {
        code: "aws-error",
        message: expect.stringContaining("GetCallerIdentity: InvalidClientTokenId"),
        severity: "error",
      },
    ]);
  });
});

describe("the client factory", () => {
  test("adaptive retries, attempts, user agent and timeouts are set on every client", async () => {
    const clients = await createClients({
      region: "eu-west-1",
      endpoint: "http://127.0.0.1:9",
      credentials: TEST_CREDENTIALS,
      version: "1.2.3",
      maxAttempts: 7,
    });
    for (const client of [
      clients.cloudtrail("eu-west-1"),
      clients.s3("us-east-1"),
      clients.kms("ap-south-1"),
    ]) {
      expect(client.config.retryMode).toBe("adaptive");
      const strategy = (await client.config.retryStrategy()) as { mode?: string };
      expect(strategy.constructor.name).toBe("AdaptiveRetryStrategy");
      expect(strategy.mode).toBe("adaptive");
      expect(await client.config.maxAttempts()).toBe(7);
      expect(client.config.customUserAgent).toEqual([["trailguard/1.2.3"]]);
    }
    expect(clients.homeRegion).toBe("eu-west-1");
    expect(clients.cloudtrail("eu-west-1")).toBe(clients.cloudtrail("eu-west-1"));
    clients.destroy();
  });
});

/** Throttling and timeouts at the HTTP level: a proxy in front of moto answers with errors or too slowly. */
// Its own moto_server, with a trail of its own behind the proxy.
await describeIf(await motoRequirement(), "retries against a throttling or slow endpoint", () => {
  let moto: Moto;
  let proxy: CountingProxy;
  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startProxy(moto.endpoint);
    const config = {
      endpoint: moto.endpoint,
      region: "us-east-1",
      credentials: TEST_CREDENTIALS,
      forcePathStyle: true,
    };
    const s3 = new S3Client(config);
    const ct = new CloudTrailClient(config);
    await s3.send(new CreateBucketCommand({ Bucket: "throttled-trail-logs" }));
    await ct.send(
      new CreateTrailCommand({
        Name: "busy",
        S3BucketName: "throttled-trail-logs",
        IsMultiRegionTrail: true,
      }),
    );
    await ct.send(new StartLoggingCommand({ Name: "busy" }));
    s3.destroy();
    ct.destroy();
  }, MOTO_START_TIMEOUT_MS);
  afterAll(async () => {
    await proxy?.close();
    await moto?.stop();
  });

  const noLake = { lake: false as const, regions: ["us-east-1"] };

  test("ThrottlingException three times, then an answer: collected, after retries", async () => {
    proxy.reset();
    let throttled = 0;
    proxy.intercept = (r) => {
      if (r.operation === "GetTrailStatus" && throttled < 3) {
        throttled++;
        return jsonError("ThrottlingException", "Rate exceeded");
      }
      return undefined;
    };
    const result = await collectLive(liveOptions(proxy.endpoint, { ...noLake, maxAttempts: 5 }));
    expect(throttled).toBe(3);
    expect(result.accounts[0]?.trails[0]?.isLogging).toBe(true);
    expect(proxy.requests.filter((r) => r.operation === "GetTrailStatus")).toHaveLength(4);
    expect(result.attempts - result.calls).toBe(3);
  }, 30_000);

  test("throttled beyond the attempts: unknown with the error named, not pass", async () => {
    proxy.reset();
    proxy.intercept = (r) =>
      r.operation === "GetTrailStatus" ? jsonError("ThrottlingException", "Rate exceeded") : undefined;
    const result = await collectLive(liveOptions(proxy.endpoint, { ...noLake, maxAttempts: 2 }));
    const trail = result.accounts[0]?.trails[0];
    expect(trail?.isLogging).toMatchObject({ reason: "GetTrailStatus: ThrottlingException: Rate exceeded" });
    expect(verdictsFor(findingsOf(result.accounts), ACCOUNT)["trail.enabled"]).toBe("unknown");
  }, 30_000);

  test("a request that outlasts the time limit: unknown, timeout named", async () => {
    proxy.reset();
    proxy.intercept = (r) =>
      r.operation === "GetTrailStatus"
        ? { status: 200, body: '{"IsLogging":true}', delayMs: 8000 }
        : undefined;
    // The limit leaves room for moto's own answers on a busy machine: only the delayed call may outlast it.
    const result = await collectLive(
      liveOptions(proxy.endpoint, { ...noLake, maxAttempts: 1, requestTimeoutMs: 2500 }),
    );
    const isLogging = result.accounts[0]?.trails[0]?.isLogging;
    expect(isLogging).toMatchObject({
      reason: expect.stringMatching(/^GetTrailStatus: .*(Timeout|timed out)/i),
    });
    expect(result.errors.some((e) => e.message.includes("GetTrailStatus"))).toBe(true);
  }, 30_000);
});
