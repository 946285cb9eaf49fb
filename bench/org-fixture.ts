// The organization of the audit benchmark, built on moto_server, and the throttling the benchmark's proxy injects.
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import type { Canned, Interceptor, SeenRequest } from "../test/sources/aws/proxy.js";

export { awsAnswers } from "../test/sources/aws/plan.js";
export { startProxy } from "../test/sources/aws/proxy.js";
export { startMoto } from "../test/support/moto.js";

const REGION = "us-east-1";
const CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing", sessionToken: "testing" };

/** Runs `task` for every item, `width` at a time. */
async function each<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await task(items[next++] as T);
    }),
  );
}

export interface Organization {
  management: string;
  members: string[];
  /** Calls made to build it. */
  calls: number;
}

/**
 * The management account owns a logging, multi-region organization trail; every member has a logging trail of its
 * own (AssumeRole, CreateBucket, CreateTrail, StartLogging: four calls a member). `grow` adds members up to a count.
 */
export async function createOrganization(endpoint: string): Promise<Organization> {
  const config = { region: REGION, endpoint, credentials: CREDENTIALS };
  await new OrganizationsClient(config).send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
  await new S3Client({ ...config, forcePathStyle: true }).send(
    new CreateBucketCommand({ Bucket: "bench-org-trail" }),
  );
  const trails = new CloudTrailClient(config);
  await trails.send(
    new CreateTrailCommand({
      Name: "org",
      S3BucketName: "bench-org-trail",
      IsMultiRegionTrail: true,
      IsOrganizationTrail: true,
      EnableLogFileValidation: true,
    }),
  );
  await trails.send(new StartLoggingCommand({ Name: "org" }));
  return { management: "123456789012", members: [], calls: 5 };
}

export async function grow(endpoint: string, org: Organization, count: number): Promise<void> {
  const config = { region: REGION, endpoint, credentials: CREDENTIALS, maxAttempts: 5 };
  const organizations = new OrganizationsClient(config);
  const sts = new STSClient(config);
  const names = Array.from(
    { length: count - org.members.length },
    (_, i) => `member-${org.members.length + i}`,
  );
  await each(names, 16, async (name) => {
    const created = await organizations.send(
      new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
    );
    const id = created.CreateAccountStatus?.AccountId ?? "";
    const assumed = await sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`,
        RoleSessionName: "setup",
      }),
    );
    const c = assumed.Credentials;
    const member: AwsCredentialIdentity = {
      accessKeyId: c?.AccessKeyId ?? "",
      secretAccessKey: c?.SecretAccessKey ?? "",
      sessionToken: c?.SessionToken ?? "",
    };
    const as = { ...config, credentials: member };
    const bucket = `bench-${id}-logs`;
    await new S3Client({ ...as, forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: bucket }));
    const own = new CloudTrailClient(as);
    await own.send(new CreateTrailCommand({ Name: "own", S3BucketName: bucket, IsMultiRegionTrail: true }));
    await own.send(new StartLoggingCommand({ Name: "own" }));
    own.destroy();
    org.members.push(id);
    org.calls += 5;
  });
  organizations.destroy();
  sts.destroy();
}

/** A request rate a quota allows: `rate` per second, after a burst of `burst`. */
export interface Quota {
  rate: number;
  burst: number;
}

/** The quotas the proxy enforces, each per API group, per account (signing key) and region. */
export interface Quotas {
  cloudtrail: Quota;
  organizations: Quota;
  sts: Quota;
}

/** The throttling error each service sends, in its protocol. */
function throttled(service: string): Canned {
  if (service === "sts") {
    return {
      status: 400,
      contentType: "text/xml",
      body:
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>' +
        "<Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>throttled</RequestId></ErrorResponse>",
    };
  }
  const type = service === "organizations" ? "TooManyRequestsException" : "ThrottlingException";
  return { status: 400, body: JSON.stringify({ __type: type, message: "Rate exceeded" }) };
}

/** CloudTrail's read APIs share one quota; its other APIs are not called by a scan. */
function groupOf(request: SeenRequest): keyof Quotas | undefined {
  if (request.service === "cloudtrail") return "cloudtrail";
  if (request.service === "organizations" || request.service === "sts") return request.service;
  return undefined;
}

export interface Throttle {
  intercept: Interceptor;
  /** Requests answered with a throttling error, by API group. */
  throttled: Record<string, number>;
  /** Requests seen, by signing key (one per account). */
  byKey: Map<string, number>;
}

/** Token buckets keyed by (API group, signing key, region): a request finding no token is refused as AWS refuses it. */
export function throttle(quotas: Quotas, now: () => number = () => performance.now()): Throttle {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const state: Throttle = { throttled: {}, byKey: new Map(), intercept: () => undefined };
  state.intercept = (request, _body, accessKey) => {
    state.byKey.set(accessKey, (state.byKey.get(accessKey) ?? 0) + 1);
    const group = groupOf(request);
    if (!group) return undefined;
    const quota = quotas[group];
    const key = `${group} ${accessKey} ${request.region}`;
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: quota.burst, at: t };
    bucket.tokens = Math.min(quota.burst, bucket.tokens + ((t - bucket.at) / 1000) * quota.rate);
    bucket.at = t;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    state.throttled[group] = (state.throttled[group] ?? 0) + 1;
    return throttled(request.service);
  };
  return state;
}
