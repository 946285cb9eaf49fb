import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity } from "@smithy/types";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Finding } from "../../../src/model/index.js";
import { reporters } from "../../../src/report/index.js";
import type { JsonReport } from "../../../src/report/json.js";
import { reportOf, type ScanOutcome, scan } from "../../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../../support/evaluate.js";
import { MOTO_START_TIMEOUT_MS, type Moto, startMoto } from "../../support/moto.js";
import { describeIf } from "../../support/requirements.js";
import { motoRequirement } from "../../support/scenario-accounts.js";
import { TEST_CREDENTIALS } from "./helpers.js";
import { type CountingProxy, startProxy } from "./proxy.js";

const MANAGEMENT = "123456789012";
const ORG_TRAIL = `arn:aws:cloudtrail:us-east-1:${MANAGEMENT}:trail/org`;
const REGION = "us-east-1";

/** STS answers in XML (query protocol): the refusal as AWS sends it for a role whose trust policy says no. */
function accessDenied(roleArn: string) {
  return {
    status: 403,
    contentType: "text/xml",
    body:
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>` +
      `<Code>AccessDenied</Code><Message>User: arn:aws:iam::${MANAGEMENT}:user/auditor is not authorized to ` +
      `perform: sts:AssumeRole on resource: ${roleArn}</Message></Error><RequestId>denied</RequestId></ErrorResponse>`,
  };
}

/**
 * An organization on moto: the management account owns a logging, multi-region organization trail without KMS; one
 * member has a compliant trail of its own, one has none, and one cannot be entered (its AssumeRole is refused at the
 * endpoint, as AWS refuses it when the role's trust policy does not admit the caller).
 */
await describeIf(await motoRequirement(), "organization scan on moto", () => {
  let moto: Moto;
  let proxy: CountingProxy;
  const members = { withTrail: "", withoutTrail: "", locked: "" };
  let outcome: ScanOutcome;
  const saved = { ...process.env };

  const config = (credentials: AwsCredentialIdentity = TEST_CREDENTIALS) => ({
    region: REGION,
    endpoint: moto.endpoint,
    credentials,
  });

  beforeAll(async () => {
    moto = await startMoto();
    proxy = await startProxy(moto.endpoint);
    const organizations = new OrganizationsClient(config());
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    for (const name of Object.keys(members) as (keyof typeof members)[]) {
      const created = await organizations.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
      );
      members[name] = created.CreateAccountStatus?.AccountId ?? "";
    }

    await new S3Client({ ...config(), forcePathStyle: true }).send(
      new CreateBucketCommand({ Bucket: "org-trail-logs" }),
    );
    const trails = new CloudTrailClient(config());
    await trails.send(
      new CreateTrailCommand({
        Name: "org",
        S3BucketName: "org-trail-logs",
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
        EnableLogFileValidation: true,
      }),
    );
    await trails.send(new StartLoggingCommand({ Name: "org" }));

    // The member's own trail, made with the member's credentials (moto then acts in that account).
    const assumed = await new STSClient(config()).send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${members.withTrail}:role/OrganizationAccountAccessRole`,
        RoleSessionName: "setup",
      }),
    );
    const c = assumed.Credentials;
    const member = config({
      accessKeyId: c?.AccessKeyId ?? "",
      secretAccessKey: c?.SecretAccessKey ?? "",
      sessionToken: c?.SessionToken ?? "",
    });
    await new S3Client({ ...member, forcePathStyle: true }).send(
      new CreateBucketCommand({ Bucket: "member-own-logs" }),
    );
    const key = await new KMSClient(member).send(new CreateKeyCommand({}));
    const own = new CloudTrailClient(member);
    await own.send(
      new CreateTrailCommand({
        Name: "own",
        S3BucketName: "member-own-logs",
        IsMultiRegionTrail: true,
        KmsKeyId: key.KeyMetadata?.Arn,
        EnableLogFileValidation: true,
      }),
    );
    await own.send(new StartLoggingCommand({ Name: "own" }));

    const lockedRole = `arn:aws:iam::${members.locked}:role/OrganizationAccountAccessRole`;
    proxy.intercept = (request, body) =>
      request.operation === "AssumeRole" && decodeURIComponent(body).includes(lockedRole)
        ? accessDenied(lockedRole)
        : undefined;

    Object.assign(process.env, moto.env, {
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_MAX_ATTEMPTS: "2",
    });
    outcome = await scan({
      paths: [],
      scope: "resource",
      ...BUILT_IN_POLICIES,
      version: "test",
      live: { region: REGION, regions: [REGION], lakeRegions: "none", org: {} },
    });
  }, 4 * MOTO_START_TIMEOUT_MS);

  afterAll(async () => {
    process.env = saved;
    await proxy?.close();
    await moto?.stop();
  });

  const finding = (account: string, ruleId: string, address?: string): Finding | undefined =>
    outcome.findings.find(
      (f) =>
        f.account === account &&
        f.ruleId === ruleId &&
        (address === undefined || f.resource.address === address),
    );

  test("every account of the organization is in the report, the unreachable one too", () => {
    const accounts = new Set(outcome.findings.map((f) => f.account));
    expect([...accounts].sort()).toEqual([MANAGEMENT, ...Object.values(members)].sort());
  });

  test("members pass trail.enabled: one on its own trail, one through the organization trail", () => {
    expect(finding(MANAGEMENT, "trail.enabled")?.status).toBe("pass");
    const own = finding(members.withTrail, "trail.enabled");
    expect(own?.status).toBe("pass");
    expect(own?.message).not.toContain("covered by");
    const covered = finding(members.withoutTrail, "trail.enabled");
    expect(covered?.status).toBe("pass");
    expect(covered?.message).toContain(`covered by organization trail ${ORG_TRAIL} owned by ${MANAGEMENT}`);
    // The trail rule passes through as well, and says so.
    const multiRegion = finding(members.withoutTrail, "trail.multi-region", ORG_TRAIL);
    expect(multiRegion?.status).toBe("pass");
    expect(multiRegion?.message).toContain(
      `covered by organization trail ${ORG_TRAIL} owned by ${MANAGEMENT}`,
    );
  });

  test("the organization trail's missing KMS key is reported once, against the owning account", () => {
    const failing = outcome.findings.filter(
      (f) => f.ruleId === "trail.kms-encryption" && f.status === "fail",
    );
    expect(failing.map((f) => [f.account, f.resource.address])).toEqual([[MANAGEMENT, ORG_TRAIL]]);
    const inMember = finding(members.withoutTrail, "trail.kms-encryption", ORG_TRAIL);
    expect(inMember?.status).toBe("not-applicable");
    expect(inMember?.message).toContain(`owned by ${MANAGEMENT}: fail there`);
    // The member's own trail is encrypted.
    expect(
      outcome.findings.find(
        (f) =>
          f.account === members.withTrail &&
          f.ruleId === "trail.kms-encryption" &&
          f.resource.kind === "trail",
      )?.status,
    ).toBe("pass");
    // The organization trail's bucket is judged once, in its owner, and is not read from the members.
    const bucketFailures = outcome.findings.filter(
      (f) => f.resource.address === "arn:aws:s3:::org-trail-logs" && f.status === "fail",
    );
    expect(bucketFailures.length).toBeGreaterThan(0);
    expect(new Set(bucketFailures.map((f) => f.account))).toEqual(new Set([MANAGEMENT]));
    const bucketReads = proxy.requests.filter((r) => r.service === "s3" && r.operation.includes("<bucket>"));
    expect(bucketReads.length).toBeGreaterThan(0);
  });

  test("account rules that fail through the organization trail fail once, in its owner", () => {
    // No trail of the organization delivers to CloudWatch Logs: the CIS alarm rules fail in the management account;
    // in the member covered only by the organization trail they are not repeated.
    expect(finding(MANAGEMENT, "cis.alarm.root-account-usage")?.status).toBe("fail");
    const inMember = finding(members.withoutTrail, "cis.alarm.root-account-usage");
    expect(inMember?.status).toBe("not-applicable");
    expect(inMember?.message).toContain(`organization trail ${ORG_TRAIL} owned by ${MANAGEMENT}: fail there`);
    const failing = outcome.findings.filter(
      (f) => f.ruleId === "trail.s3-data-events-write" && f.status === "fail",
    );
    expect(failing.map((f) => f.account)).toEqual([MANAGEMENT]);
  });

  test("the member that cannot be entered is listed with its error, and its account rules are unknown", () => {
    const error = outcome.errors.find((e) => e.code === "account-unreachable");
    expect(error).toMatchObject({ severity: "error", account: members.locked });
    expect(error?.message).toMatch(/AssumeRole: AccessDenied: .*not authorized to perform: sts:AssumeRole/);
    const locked = outcome.findings.filter((f) => f.account === members.locked);
    expect(locked.length).toBeGreaterThan(0);
    expect(locked.every((f) => f.resource.kind === "account" && f.status === "unknown")).toBe(true);
    expect(locked.find((f) => f.ruleId === "trail.enabled")?.message).toContain("AccessDenied");
  });

  test("each member was entered as the default role with the session name trailguard", () => {
    const assumes = proxy.requests.filter((r) => r.operation === "AssumeRole");
    // One per member, none for the calling account (the setup's own AssumeRole went straight to moto).
    expect(assumes).toHaveLength(3);
    expect(new Set(assumes.map((r) => r.region))).toEqual(new Set([REGION]));
  });

  test("a member asks neither whose credentials it has nor which organization it is in: the scan knows both", () => {
    const asked = (operation: string) => proxy.requests.filter((r) => r.operation === operation).length;
    // The calling account's questions only.
    expect(asked("GetCallerIdentity")).toBe(1);
    expect(asked("DescribeOrganization")).toBe(1);
    // Each entered member still has its organization, the calling account's.
    const organization = outcome.inventory.accounts.find((a) => a.key === MANAGEMENT)?.organization;
    const member = outcome.inventory.accounts.find((a) => a.key === members.withTrail)?.organization;
    expect(member).toEqual(organization);
    expect(member).toMatchObject({ managementAccountId: MANAGEMENT });
  });

  test("one report covers every account: JSON grouped by account, a per-account table, SARIF by account", () => {
    const report = reportOf(outcome, "test");
    const options = { includePassed: false, color: false, automationId: "trailguard/" };
    const json = JSON.parse(reporters.json(report, options)) as JsonReport;
    expect(json.accounts.map((a) => a.account)).toEqual([MANAGEMENT, ...Object.values(members)].sort());
    const locked = json.accounts.find((a) => a.account === members.locked);
    expect(locked).toMatchObject({ fail: 0, pass: 0, inputErrors: 1 });
    expect(locked?.unknown).toBeGreaterThan(0);
    expect(locked?.unreachable).toContain("AssumeRole: AccessDenied");
    expect(json.accounts.find((a) => a.account === MANAGEMENT)?.unreachable).toBeNull();

    const text = reporters.text(report, options);
    expect(text).toContain("Accounts (4)");
    expect(text).toMatch(new RegExp(`${members.locked} +0 +\\d+ +0 +1  not entered`));
    const markdown = reporters.markdown(report, options);
    expect(markdown).toContain("### Accounts (4)");

    const sarif = JSON.parse(reporters.sarif(report, { ...options, includePassed: true }));
    const accounts = new Set(
      sarif.runs[0].results.map((r: { properties: { account: string } }) => r.properties.account),
    );
    expect(accounts).toEqual(new Set([MANAGEMENT, ...Object.values(members)]));
  });
});
