import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import {
  CreateAccountCommand,
  CreateOrganizationCommand,
  OrganizationsClient,
} from "@aws-sdk/client-organizations";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { MOTO_START_TIMEOUT_MS, type Moto, startMoto } from "../support/moto.js";
import { describeIf } from "../support/requirements.js";
import { motoRequirement } from "../support/scenario-accounts.js";
import { runStep, step } from "./mock-core.js";

vi.mock("@actions/core", async () => (await import("./mock-core.js")).mockCore);

const { run } = await import("../../src/action/main.js");

const MANAGEMENT = "123456789012";
const REGION = "us-east-1";

interface SarifResult {
  ruleId: string;
  locations: {
    physicalLocation: { artifactLocation: { uri: string } };
    logicalLocations: { kind: string; name: string; fullyQualifiedName: string }[];
  }[];
}

/** The action in `mode: org` against an organization on moto: a management account and two members. */
await describeIf(await motoRequirement(), "the action in organization mode", () => {
  let moto: Moto;
  const members: string[] = [];
  const workspace = mkdtempSync(join(tmpdir(), "trailguard-action-org-"));

  beforeAll(async () => {
    moto = await startMoto();
    const config = {
      region: REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
    };
    const organizations = new OrganizationsClient(config);
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: "ALL" }));
    for (const name of ["dev", "prod"]) {
      const created = await organizations.send(
        new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }),
      );
      members.push(created.CreateAccountStatus?.AccountId ?? "");
    }
    await new S3Client({ ...config, forcePathStyle: true }).send(
      new CreateBucketCommand({ Bucket: "org-logs" }),
    );
    const trails = new CloudTrailClient(config);
    await trails.send(
      new CreateTrailCommand({
        Name: "org",
        S3BucketName: "org-logs",
        IsMultiRegionTrail: true,
        IsOrganizationTrail: true,
      }),
    );
    await trails.send(new StartLoggingCommand({ Name: "org" }));
    for (const [name, value] of Object.entries({ ...moto.env, AWS_REGION: REGION, AWS_MAX_ATTEMPTS: "2" })) {
      vi.stubEnv(name, value);
    }
    vi.stubEnv("GITHUB_EVENT_NAME", "schedule");
    vi.stubEnv("GITHUB_WORKSPACE", workspace);
    vi.stubEnv("RUNNER_TEMP", workspace);
  }, 2 * MOTO_START_TIMEOUT_MS);

  afterAll(async () => {
    vi.unstubAllEnvs();
    await moto?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  const inputs = (extra: Record<string, string> = {}) => ({
    mode: "org",
    regions: REGION,
    // moto answers CloudTrail Lake calls with HTTP 500.
    "lake-regions": "none",
    "soft-fail": "true",
    "sarif-file": join(workspace, "org.sarif"),
    "report-json": join(workspace, "org.json"),
    ...extra,
  });
  const accountsOf = (sarif: { runs: { results: SarifResult[] }[] }) =>
    new Set(
      sarif.runs[0]?.results.flatMap((r) =>
        (r.locations[0]?.logicalLocations ?? [])
          .filter((l) => l.kind === "namespace" && /^account\/\d{12}$/.test(l.fullyQualifiedName))
          .map((l) => l.name),
      ),
    );

  test(
    "reads every account; results name their account and anchor to the snapshot in the workspace",
    async () => {
      await runStep(run, inputs(), workspace);
      expect(step.failed).toEqual([]);
      expect(step.annotations.filter((a) => a.properties?.title === "trailguard")).toEqual([]);
      expect(step.outputs["input-errors"]).toBe(0);
      const sarif = JSON.parse(readFileSync(join(workspace, "org.sarif"), "utf8"));
      const uris = new Set(
        sarif.runs[0].results.map((r: SarifResult) => r.locations[0]?.physicalLocation.artifactLocation.uri),
      );
      expect([...uris]).toEqual(["trailguard-snapshot.json"]);
      const json = JSON.parse(readFileSync(join(workspace, "org.json"), "utf8"));
      const accounts = new Set(json.findings.map((f: { account: string }) => f.account));
      expect([...accounts].sort()).toEqual([MANAGEMENT, ...members].sort());
      // Only failing and unknown results are uploaded: the organization trail's failures, in its owner.
      expect([...accountsOf(sarif)]).toEqual([MANAGEMENT]);
      // The members have no trail of their own: the organization trail covers them.
      for (const member of members) {
        const enabled = json.findings.find(
          (f: { account: string; ruleId: string }) => f.account === member && f.ruleId === "trail.enabled",
        );
        expect(enabled?.status).toBe("pass");
      }
    },
    4 * MOTO_START_TIMEOUT_MS,
  );

  test(
    "accounts and shard narrow the accounts read",
    async () => {
      await runStep(run, inputs({ accounts: members[0] ?? "" }), workspace);
      const one = JSON.parse(readFileSync(join(workspace, "org.json"), "utf8"));
      expect(one.findings.some((f: { account: string }) => f.account === members[1])).toBe(false);
      const seen: string[][] = [];
      for (const shard of ["1/2", "2/2"]) {
        await runStep(run, inputs({ shard }), workspace);
        const part = JSON.parse(readFileSync(join(workspace, "org.json"), "utf8"));
        seen.push([...new Set<string>(part.findings.map((f: { account: string }) => f.account))]);
      }
      const shardOf = (account: string) => seen.filter((accounts) => accounts.includes(account)).length;
      for (const member of members) expect(shardOf(member)).toBe(1);
    },
    4 * MOTO_START_TIMEOUT_MS,
  );
});
