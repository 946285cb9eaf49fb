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
import {
  MergeRefused,
  mergeReports,
  readLive,
  reportOf,
  scan,
  snapshotText,
} from "../../../src/scan/index.js";
import { parseShard, type Shard } from "../../../src/sources/aws/index.js";
import { BUILT_IN_POLICIES } from "../../support/evaluate.js";
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
  let fromSarif: Report;
  let fromSnapshots: Report;
  const jsonFiles: string[] = [];

  const live = (shard?: Shard) => ({
    region: "us-east-1",
    regions: ["us-east-1"],
    lakeRegions: "none" as const,
    org: { shard },
  });
  const run = async (shard?: Shard) =>
    reportOf(
      await scan({
        paths: [],
        scope: "resource",
        ...BUILT_IN_POLICIES,
        version: "test",
        frameworks: ["cis-aws-5.0.0"],
        live: live(shard),
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
    const sarifFiles: string[] = [];
    const snapshotFiles: string[] = [];
    for (const index of [1, 2, 3]) {
      const shard = { index, count: 3 };
      const report = await run(shard);
      shards.push(report);
      const file = join(dir, `shard-${index}`);
      writeFileSync(`${file}.json`, reporters.json(report, OPTIONS));
      jsonFiles.push(`${file}.json`);
      // The default SARIF log: passing results are not results, trailguard's record keeps them.
      writeFileSync(`${file}.sarif`, reporters.sarif(report, { ...OPTIONS, includePassed: false }));
      sarifFiles.push(`${file}.sarif`);
      const collected = await readLive(live(shard), "test");
      writeFileSync(`${file}.snapshot.json`, await snapshotText(collected.accounts, "test"));
      snapshotFiles.push(`${file}.snapshot.json`);
    }
    const merge = (files: string[]) =>
      mergeReports(files, { policiesDir: POLICIES_DIR, version: "test", frameworks: ["cis-aws-5.0.0"] });
    merged = await merge(jsonFiles);
    fromSarif = await merge(sarifFiles);
    fromSnapshots = await merge(snapshotFiles);
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

  /** The report without its run times (the one thing that differs from a scan to the next). */
  const timeless = (text: string) =>
    text.replace(/"(scannedAt|startTimeUtc)": "[^"]*"/g, '"$1": "…"').replace(/"generator": "[^"]*"/g, "");

  test.each([
    ["JSON reports", () => merged],
    ["SARIF logs", () => fromSarif],
    ["snapshots", () => fromSnapshots],
  ])("three shards' %s merged give the unsharded report in every format", (_, of) => {
    const report = of();
    for (const includePassed of [false, true]) {
      const options = { ...OPTIONS, includePassed };
      expect(timeless(reporters.sarif(report, options))).toBe(timeless(reporters.sarif(whole, options)));
      expect(timeless(reporters.json(report, options))).toBe(timeless(reporters.json(whole, options)));
      expect(reporters.text(report, options)).toBe(reporters.text(whole, options));
      expect(reporters.markdown(report, options)).toBe(reporters.markdown(whole, options));
    }
    const json = JSON.parse(reporters.json(report, OPTIONS)) as JsonReport;
    expect(json.findings.length).toBeGreaterThan(0);
    expect(json.compliance?.frameworks.length).toBeGreaterThan(0);
  });

  test("reports of another trailguard version or other packs are refused", async () => {
    const other = join(dir, "other.json");
    const report = JSON.parse(reporters.json(shards[0] as Report, OPTIONS)) as JsonReport;
    writeFileSync(other, JSON.stringify({ ...report, tool: { ...report.tool, version: "9.9.9" } }));
    const merge = (files: string[]) => mergeReports(files, { policiesDir: POLICIES_DIR, version: "test" });
    await expect(merge([jsonFiles[1] as string, other])).rejects.toThrow(MergeRefused);
    await expect(merge([jsonFiles[1] as string, other])).rejects.toThrow(
      /other\.json was judged with trailguard 9\.9\.9, packs .*, .*shard-2\.json with trailguard test/,
    );
    const packs = report.provenance?.packs.map((p) => ({ ...p, version: "0.0.0-other" })) ?? [];
    const provenance = { ...report.provenance, packs };
    writeFileSync(other, JSON.stringify({ ...report, provenance }));
    await expect(merge([jsonFiles[1] as string, other])).rejects.toThrow(/0\.0\.0-other/);
  });

  test("a shard is named i/n", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["0/3", "4/3", "3", "a/b", "1/0"]) expect(parseShard(bad)).toBeUndefined();
  });
});
