import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { expect, test } from "vitest";
import type { Finding } from "../../../src/model/index.js";
import { type ApiCall, collectLive, iamActionOf, type LiveResult } from "../../../src/sources/aws/index.js";
import { readSnapshot, snapshotReader, writeSnapshot } from "../../../src/sources/snapshot/index.js";
import { REPO_ROOT } from "../../support/paths.js";
import { describeIf } from "../../support/requirements.js";
import { motoRequirement, SCENARIO_TIMEOUT_MS, scenarioAccount } from "../../support/scenario-accounts.js";
import { ACCOUNT_ID, type Scenario, scenarios } from "../../support/scenarios.js";
import { collectAwsShaped } from "./aws-shaped.js";
import { comparable, findingsOf, motoOptions, verdictsFor } from "./helpers.js";

const ACCOUNT = `arn:aws:::account/${ACCOUNT_ID}`;
const trailArn = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT_ID}:trail/${name}`;
const BUCKET_RULES = [
  "bucket.public-access-blocked",
  "bucket.access-logging",
  "bucket.dedicated",
  "bucket.versioning",
  "bucket.mfa-delete",
  "bucket.object-lock",
  "bucket.tls-only",
  "bucket.source-condition",
  "bucket.retention",
];

const schema = JSON.parse(readFileSync(`${REPO_ROOT}/policies/schema/snapshot.schema.json`, "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const policy = JSON.parse(readFileSync(`${REPO_ROOT}/policies/iam/trailguard-readonly.json`, "utf8")) as {
  Statement: { Action: string[] }[];
};

/**
 * The four accounts of test/support/scenarios.ts, built with the aws CLI on moto_server, collected live, evaluated
 * with the core pack; then written to a snapshot, read back, and evaluated again: same findings.
 */
await describeIf(await motoRequirement(), "live collection of the moto scenarios", () => {
  const called: ApiCall[] = [];

  async function collect(scenario: Scenario): Promise<{ result: LiveResult; findings: Finding[] }> {
    const moto = await scenarioAccount(scenario);
    // Two regions keep moto's failing Lake calls (HTTP 500, retried) few; the call-count test covers all 17.
    const result = await collectLive(motoOptions(moto, { regions: ["us-east-1", "eu-west-1"] }));
    called.push(...result.apiCalls);
    expect(result.accounts).toHaveLength(1);
    const account = result.accounts[0];
    expect(account?.completeAccount).toBe(true);
    expect(account?.anchor).toEqual({ address: ACCOUNT });
    expect(account?.accountId).toBe(ACCOUNT_ID);
    // moto's EC2 DescribeRegions answers (Account ListRegions is a 404 there); only the aws partition's regions.
    expect(account?.regions).toContain("us-east-1");
    expect(account?.regions).not.toContain("cn-north-1");
    const snapshotted = roundTrip(result);
    const findings = findingsOf(result.accounts);
    expect(comparable(snapshotted)).toEqual(comparable(findings));
    return { result, findings };
  }

  /** Writes the snapshot, checks it against the schema, reads it back and evaluates what was read. */
  function roundTrip(result: LiveResult): Finding[] {
    const text = writeSnapshot(result.accounts, { generator: "trailguard/test" });
    const valid = validate(JSON.parse(text));
    expect(validate.errors ?? [], "snapshot must validate against its schema").toEqual([]);
    expect(valid).toBe(true);
    const file = { path: "snapshot.json", absolutePath: `${REPO_ROOT}/snapshot.json`, text };
    const read = readSnapshot(file);
    expect(read?.errors).toEqual([]);
    const recorded = snapshotReader.read(file);
    expect(recorded.status).toBe("accounts");
    const accounts = read?.accounts ?? [];
    // Written again, the snapshot is the same text: nothing was lost or added but positions.
    const rewritten = writeSnapshot(
      accounts.map((a) => ({ ...a, anchor: { address: a.anchor.address } })),
      { generator: "trailguard/test" },
    );
    expect(stripPositions(rewritten)).toEqual(stripPositions(text));
    const findings = findingsOf(accounts);
    // Findings about resources point at the resource's lines in the snapshot.
    for (const f of findings.filter((x) => x.resource.kind !== "account")) {
      expect(f.location?.file).toBe("snapshot.json");
      expect(f.location?.line).toBeGreaterThan(1);
    }
    return findings;
  }

  test(
    scenarios.noTrail.description,
    async () => {
      const { result, findings } = await collect(scenarios.noTrail);
      expect(result.accounts[0]?.trails).toEqual([]);
      expect(verdictsFor(findings, ACCOUNT)["trail.enabled"]).toBe("fail");
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    scenarios.singleRegionNotLogging.description,
    async () => {
      const { findings } = await collect(scenarios.singleRegionNotLogging);
      expect(verdictsFor(findings, ACCOUNT)["trail.enabled"]).toBe("fail");
      const trail = verdictsFor(findings, trailArn("regional"));
      expect(trail["trail.logging"]).toBe("fail");
      expect(trail["trail.multi-region"]).toBe("fail");
      // No custom selectors: the default selector records all management events.
      expect(trail["trail.management-events"]).toBe("pass");
      const bucket = verdictsFor(findings, "arn:aws:s3:::plain-trail-logs");
      expect(bucket["bucket.versioning"]).toBe("fail");
      expect(bucket["bucket.public-access-blocked"]).toBe("fail");
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    scenarios.compliant.description,
    async () => {
      const { result, findings } = await collect(scenarios.compliant);
      expect(verdictsFor(findings, ACCOUNT)["trail.enabled"]).toBe("pass");
      const trail = verdictsFor(findings, trailArn("org-audit"));
      for (const rule of [
        "trail.logging",
        "trail.multi-region",
        "trail.management-events",
        "trail.log-file-validation",
        "trail.kms-encryption",
        "trail.kms-key-rotation",
        "trail.cloudwatch-logs",
        "trail.sns-notification",
      ]) {
        expect(trail[rule], rule).toBe("pass");
      }
      // moto keeps HasCustomEventSelectors and HasInsightSelectors false after PutEventSelectors and
      // PutInsightSelectors, so the collector (which trusts the flags, as AWS sets them) reads neither: the S3 data
      // events and Insights rules fail here. aws-shaped.test.ts covers the AWS answers.
      expect(trail["trail.insights"]).toBe("fail");
      expect(verdictsFor(findings, ACCOUNT)["trail.s3-data-events-read"]).toBe("fail");
      expect(verdictsFor(findings, ACCOUNT)["trail.s3-data-events-write"]).toBe("fail");
      const bucket = verdictsFor(findings, "arn:aws:s3:::audit-trail-logs");
      for (const rule of BUCKET_RULES.filter((r) => r !== "bucket.mfa-delete"))
        expect(bucket[rule], rule).toBe("pass");
      expect(bucket["bucket.mfa-delete"]).toBe("fail");
      const group = verdictsFor(
        findings,
        `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/aws/cloudtrail/org-audit`,
      );
      expect(group).toEqual({ "log-group.retention": "pass", "log-group.kms": "pass" });
      const account = result.accounts[0];
      expect(account?.keys[0]?.aliases).toEqual(["alias/trail"]);
      expect(account?.trails[0]?.links).toEqual({
        bucket: "arn:aws:s3:::audit-trail-logs",
        key: account?.keys[0]?.id,
        logGroup: `arn:aws:logs:us-east-1:${ACCOUNT_ID}:log-group:/aws/cloudtrail/org-audit`,
        topic: `arn:aws:sns:us-east-1:${ACCOUNT_ID}:trail-deliveries`,
      });
    },
    SCENARIO_TIMEOUT_MS,
  );

  test(
    scenarios.crossAccountBucket.description,
    async () => {
      const { result, findings } = await collect(scenarios.crossAccountBucket);
      expect(verdictsFor(findings, ACCOUNT)["trail.enabled"]).toBe("pass");
      const bucket = verdictsFor(findings, "arn:aws:s3:::central-log-archive");
      for (const rule of BUCKET_RULES) expect(bucket[rule], rule).toBe("unknown");
      expect(Object.values(bucket)).not.toContain("pass");
      expect(result.errors.map((e) => e.message)).toContainEqual(
        expect.stringContaining("S3 bucket central-log-archive is not owned by account 123456789012"),
      );
    },
    SCENARIO_TIMEOUT_MS,
  );

  test("the IAM policy lists exactly the actions the collector calls", async () => {
    // moto never leads to GetInsightSelectors or GetEventSelectors (it keeps the trail's flags false) nor to
    // GetEventDataStore (no Lake): the AWS-shaped collection adds what AWS would make the collector call.
    const shaped = await collectAwsShaped();
    const used = new Set(
      [...called, ...shaped.apiCalls].map((c) => {
        const action = iamActionOf(c.service, c.operation);
        expect(action, `${c.service}:${c.operation} has an IAM action`).toBeDefined();
        return action;
      }),
    );
    const listed = new Set(policy.Statement.flatMap((s) => s.Action));
    expect(
      [...used].filter((a) => a && !listed.has(a)),
      "called but missing from the policy",
    ).toEqual([]);
    expect(
      [...listed].filter((a) => !used.has(a)),
      "in the policy but never called",
    ).toEqual([]);
  }, 60_000);
});

/** A snapshot's text without the positions a read adds (`location` objects). */
function stripPositions(text: string): unknown {
  return JSON.parse(text, (key, value) =>
    key === "location" || key === "fieldLocations" ? undefined : value,
  );
}
