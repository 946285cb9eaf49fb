import { readFileSync } from "node:fs";
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { LiveResult } from "../../../src/sources/aws/index.js";
import {
  collectOrganization,
  IAM_ACTIONS,
  iamActionOf,
  ORGANIZATION_IAM_ACTIONS,
} from "../../../src/sources/aws/index.js";
import { MOTO_START_TIMEOUT_MS, type Moto, startMoto } from "../../support/moto.js";
import { describeIf } from "../../support/requirements.js";
import { motoRequirement } from "../../support/scenario-accounts.js";
import { findingsOf, motoOptions, TEST_CREDENTIALS } from "./helpers.js";

const MANAGEMENT = "123456789012";
const BUCKET = "arn:aws:s3:::central-archive-logs";

/**
 * A central log archive: the management account's organization trail writes to a bucket of another member. The
 * bucket is read once, with the archive account's role, and judged once.
 */
await describeIf(await motoRequirement(), "organization scan with a central log archive bucket", () => {
  let moto: Moto;
  let archive = "";
  let result: LiveResult;

  beforeAll(async () => {
    moto = await startMoto();
    const config = { region: "us-east-1", endpoint: moto.endpoint, credentials: TEST_CREDENTIALS };
    const organizations = new OrganizationsClient(config);
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    const created = await organizations.send(
      new CreateAccountCommand({ AccountName: "log-archive", Email: "archive@example.com" }),
    );
    archive = created.CreateAccountStatus?.AccountId ?? "";
    const assumed = await new STSClient(config).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${archive}:role/OrganizationAccountAccessRole`,
        RoleSessionName: "setup",
      }),
    );
    const c = assumed.Credentials;
    const s3 = new S3Client({
      ...config,
      forcePathStyle: true,
      credentials: {
        accessKeyId: c?.AccessKeyId ?? "",
        secretAccessKey: c?.SecretAccessKey ?? "",
        sessionToken: c?.SessionToken ?? "",
      },
    });
    await s3.send(new CreateBucketCommand({ Bucket: "central-archive-logs" }));
    await s3.send(
      new PutBucketVersioningCommand({
        Bucket: "central-archive-logs",
        VersioningConfiguration: { Status: "Enabled" },
      }),
    );
    const trails = new CloudTrailClient(config);
    await trails.send(
      new CreateTrailCommand({
        Name: "org",
        S3BucketName: "central-archive-logs",
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
      }),
    );
    await trails.send(new StartLoggingCommand({ Name: "org" }));
    result = await collectOrganization({
      ...motoOptions(moto, { regions: ["us-east-1"], lake: false }),
      organization: {},
    });
  }, 2 * MOTO_START_TIMEOUT_MS);

  afterAll(async () => {
    await moto?.stop();
  });

  test("the archive's bucket is read with the archive account's role, once, and judged once", () => {
    const management = result.accounts.find((a) => a.accountId === MANAGEMENT);
    const bucket = management?.buckets.find((b) => b.id === BUCKET);
    expect(bucket).toMatchObject({ accountId: archive, versioning: "Enabled" });
    expect(bucket?.sharedFrom).toBeUndefined();
    expect(result.errors.filter((e) => e.message.includes("is not owned by account"))).toEqual([]);
    expect(result.apiCalls.filter((c) => c.operation === "GetBucketVersioning")).toHaveLength(1);

    const findings = findingsOf(result.accounts).filter((f) => f.resource.address === BUCKET);
    const versioning = findings.filter((f) => f.ruleId === "bucket.versioning");
    expect(versioning.map((f) => [f.account, f.status])).toEqual([
      [MANAGEMENT, "pass"],
      [archive, "pass"],
    ]);
    expect(versioning[1]?.message).toContain(`owned by ${MANAGEMENT}`);
    // Failures of the bucket are reported once, where its trail lives.
    const failing = findings.filter((f) => f.status === "fail");
    expect(failing.length).toBeGreaterThan(0);
    expect(new Set(failing.map((f) => f.account))).toEqual(new Set([MANAGEMENT]));
  });

  test("every call is allowed by the read-only policy or the organization policy, and those list only what is used", () => {
    const policy = (name: string) =>
      JSON.parse(readFileSync(new URL(`../../../policies/iam/${name}`, import.meta.url), "utf8")) as {
        Statement: { Action: string[] }[];
      };
    const organization = policy("trailguard-organization.json").Statement.flatMap((s) => s.Action);
    expect(organization.sort()).toEqual(Object.values(ORGANIZATION_IAM_ACTIONS).sort());
    const allowed = new Set([...Object.values(IAM_ACTIONS), ...organization]);
    for (const call of result.apiCalls) {
      const action =
        iamActionOf(call.service, call.operation) ??
        ORGANIZATION_IAM_ACTIONS[`${call.service}:${call.operation}`];
      expect(action && allowed.has(action), `${call.service}:${call.operation}`).toBe(true);
    }
    expect(result.apiCalls.some((c) => c.operation === "ListAccounts")).toBe(true);
    expect(result.apiCalls.some((c) => c.operation === "AssumeRole")).toBe(true);
  });
});
