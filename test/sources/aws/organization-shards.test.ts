import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Report, reporters } from "../../../src/report/index.js";
import type { JsonReport } from "../../../src/report/json.js";
import { mergeReports, reportOf, scan } from "../../../src/scan/index.js";
import { parseShard, type Shard } from "../../../src/sources/aws/index.js";
import { MOTO_START_TIMEOUT_MS, type Moto, startMoto } from "../../support/moto.js";
import { POLICIES_DIR } from "../../support/paths.js";
import { describeIf } from "../../support/requirements.js";
import { motoRequirement } from "../../support/scenario-accounts.js";
import { TEST_CREDENTIALS } from "./helpers.js";

const SCANNED_AT = new Date("2026-11-30T00:00:00Z");
const OPTIONS = { includePassed: true, color: false, automationId: "trailguard/" };

/** An organization of a management account and six members, two of them with trails of their own. */
await describeIf(await motoRequirement(), "organization scan in shards", () => {
  let moto: Moto;
  let dir: string;
  const saved = { ...process.env };
  let whole: Report;
  const shards: Report[] = [];
  let merged: Report;

  const run = async (shard?: Shard) =>
    reportOf(
      await scan({
        paths: [],
        scope: "resource",
        policiesDir: POLICIES_DIR,
        version: "test",
        frameworks: ["cis-aws-5.0.0"],
        live: { region: "us-east-1", regions: ["us-east-1"], lakeRegions: "none", org: { shard } },
      }),
      "test",
      SCANNED_AT,
    );

  beforeAll(async () => {
    moto = await startMoto();
    dir = mkdtempSync(join(tmpdir(), "trailguard-shards-"));
    const config = { region: "us-east-1", endpoint: moto.endpoint, credentials: TEST_CREDENTIALS };
    const organizations = new OrganizationsClient(config);
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    const members: string[] = [];
    for (let i = 0; i < 6; i++) {
      const created = await organizations.send(
        new CreateAccountCommand({ AccountName: `member-${i}`, Email: `m${i}@example.com` }),
      );
      members.push(created.CreateAccountStatus?.AccountId ?? "");
    }
    const trailIn = async (credentials: typeof TEST_CREDENTIALS, name: string, organization: boolean) => {
      const bucket = `${name}-logs-bucket`;
      await new S3Client({ ...config, credentials, forcePathStyle: true }).send(
        new CreateBucketCommand({ Bucket: bucket }),
      );
      const trails = new CloudTrailClient({ ...config, credentials });
      await trails.send(
        new CreateTrailCommand({
          Name: name,
          S3BucketName: bucket,
          IsMultiRegionTrail: true,
          IsOrganizationTrail: organization,
        }),
      );
      await trails.send(new StartLoggingCommand({ Name: name }));
    };
    await trailIn(TEST_CREDENTIALS, "org", true);
    for (const member of members.slice(0, 2)) {
      const assumed = await new STSClient(config).send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${member}:role/OrganizationAccountAccessRole`,
          RoleSessionName: "setup",
        }),
      );
      const c = assumed.Credentials;
      await trailIn(
        {
          accessKeyId: c?.AccessKeyId ?? "",
          secretAccessKey: c?.SecretAccessKey ?? "",
          sessionToken: c?.SessionToken ?? "",
        },
        `own-${member}`,
        false,
      );
    }
    Object.assign(process.env, moto.env);

    whole = await run();
    const files: string[] = [];
    for (const index of [1, 2, 3]) {
      const report = await run({ index, count: 3 });
      shards.push(report);
      const file = join(dir, `shard-${index}.json`);
      writeFileSync(file, reporters.json(report, OPTIONS));
      files.push(file);
    }
    merged = mergeReports(files, { policiesDir: POLICIES_DIR, version: "test" });
  }, 6 * MOTO_START_TIMEOUT_MS);

  afterAll(async () => {
    process.env = saved;
    if (dir) rmSync(dir, { recursive: true, force: true });
    await moto?.stop();
  });

  test("each account is judged in exactly one shard", () => {
    const accounts = (r: Report) => new Set(r.findings.map((f) => f.account));
    const all = [...accounts(whole)].sort();
    expect(all).toHaveLength(7);
    const perShard = shards.map((s) => [...accounts(s)]);
    expect(perShard.flat().sort()).toEqual(all);
  });

  test("three shards merged give the unsharded report: results, fingerprints, compliance", () => {
    const sarif = (r: Report) => JSON.parse(reporters.sarif(r, OPTIONS));
    const [a, b] = [sarif(whole), sarif(merged)];
    expect(b.runs[0].results).toEqual(a.runs[0].results);
    expect(b.runs[0].properties.compliance).toEqual(a.runs[0].properties.compliance);
    const json = (r: Report) => JSON.parse(reporters.json(r, OPTIONS)) as JsonReport;
    const [x, y] = [json(whole), json(merged)];
    expect(y.findings).toEqual(x.findings);
    expect(y.accounts).toEqual(x.accounts);
    expect(y.errors).toEqual(x.errors);
    expect(y.summary).toEqual(x.summary);
    expect(reporters.text(merged, OPTIONS)).toBe(reporters.text(whole, OPTIONS));
  });

  test("a shard is named i/n", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["0/3", "4/3", "3", "a/b", "1/0"]) expect(parseShard(bad)).toBeUndefined();
  });
});
