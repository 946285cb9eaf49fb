import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { describeIf } from "../support/requirements.js";
import {
  motoRequirement,
  SCENARIO_TIMEOUT_MS,
  scenarioAccount,
  scenarioExport,
} from "../support/scenario-accounts.js";
import { type Scenario, scenarios } from "../support/scenarios.js";
import { runCli } from "./run-cli.js";

interface JsonFinding {
  ruleId: string;
  status: string;
  resource: { id: string; kind: string };
  location: { file: string; line: number } | null;
}

/** rule → resource id → status, for every decided or undecidable finding. */
function verdicts(stdout: string): Map<string, string> {
  const report = JSON.parse(stdout) as { findings: JsonFinding[] };
  const out = new Map<string, string>();
  for (const f of report.findings) {
    if (f.status === "not-applicable") continue;
    out.set(`${f.ruleId} ${f.resource.kind === "account" ? "account" : f.resource.id}`, f.status);
  }
  return out;
}

/**
 * moto leaves HasCustomEventSelectors and HasInsightSelectors false after PutEventSelectors / PutInsightSelectors.
 * The live collector trusts those flags as AWS sets them (it calls GetEventSelectors / GetInsightSelectors only
 * when they are true), while an export holds the get-event-selectors / get-insight-selectors output itself; so on
 * moto, and only there, the two disagree on the rules that read the selectors. test/sources/aws covers the AWS
 * behaviour with recorded responses.
 */
const MOTO_SELECTOR_RULES = new Set([
  "trail.insights",
  "trail.s3-data-events-read",
  "trail.s3-data-events-write",
]);

await describeIf(await motoRequirement(), "scan --live, export --live and AWS CLI exports agree", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "trailguard-live-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // moto answers CloudTrail Lake calls with HTTP 500: Lake is left out here (test/sources/aws covers it).
  const LIVE = ["--live", "--lake-regions", "none"];

  test.each(Object.values(scenarios))(
    "$name",
    async (scenario: Scenario) => {
      const moto = await scenarioAccount(scenario);
      const cli = (args: string[]) => runCli(args, undefined, moto.env);
      const live = cli(["scan", ...LIVE, "--format", "json"]);
      expect([0, 1], live.stderr).toContain(live.status);
      const liveVerdicts = verdicts(live.stdout);
      expect(liveVerdicts.size).toBeGreaterThan(0);

      const snapshot = join(dir, `${scenario.name}.snapshot.json`);
      const exported = cli(["export", ...LIVE, "--output", snapshot]);
      expect(exported.status, exported.stderr).toBe(0);
      const fromSnapshot = cli(["scan", snapshot, "--format", "json"]);
      expect(verdicts(fromSnapshot.stdout)).toEqual(liveVerdicts);
      // From the snapshot, every finding points into the snapshot file.
      for (const f of (JSON.parse(fromSnapshot.stdout) as { findings: JsonFinding[] }).findings) {
        expect(f.location?.file).toBe(`${scenario.name}.snapshot.json`);
      }

      const folder = await scenarioExport(scenario);
      const fromExport = verdicts(cli(["scan", folder, "--format", "json"]).stdout);
      for (const [key, status] of liveVerdicts) {
        if (MOTO_SELECTOR_RULES.has(key.split(" ")[0] ?? "")) continue;
        expect(fromExport.get(key), key).toBe(status);
      }
    },
    SCENARIO_TIMEOUT_MS,
  );
});
