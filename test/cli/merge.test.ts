import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { JsonReport } from "../../src/report/index.js";
import { REPO_ROOT } from "../support/paths.js";
import { PROCESS_TIMEOUT_MS } from "../support/timeouts.js";
import { runProgram } from "./run-program.js";

const example = (name: string) => join(REPO_ROOT, "examples/cloudformation", name);

describe("trailguard merge", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "trailguard-merge-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = (file: string) => JSON.parse(readFileSync(join(dir, file), "utf8")) as JsonReport;

  test(
    "joins JSON reports into one report with every finding of each",
    async () => {
      for (const [name, out] of [
        ["noncompliant.yaml", "a"],
        ["compliant.yaml", "b"],
      ] as const) {
        const run = await runProgram(
          [
            "scan",
            example(name),
            ...["--framework", "cis-aws-5.0.0"],
            ...["-f", "json", "-o", `${out}.json`, "-f", "sarif", "-o", `${out}.sarif`, "--fail-on", "none"],
          ],
          dir,
        );
        expect(run.status, run.stderr).toBe(0);
      }
      const merged = await runProgram(
        ["merge", "a.json", "b.json", "-f", "json", "-o", "all.json", "-f", "sarif", "-o", "all.sarif"],
        dir,
      );
      expect(merged.status, merged.stderr).toBe(0);
      const [a, b, all] = [read("a.json"), read("b.json"), read("all.json")];
      expect(all.findings).toHaveLength(a.findings.length + b.findings.length);
      expect(all.summary.fail).toBe(a.summary.fail + b.summary.fail);
      const sarif = JSON.parse(readFileSync(join(dir, "all.sarif"), "utf8"));
      expect(sarif.runs[0].results.length).toBeGreaterThan(0);
      // Two scans and a merge, each loading the packs: slow on a busy machine.
    },
    PROCESS_TIMEOUT_MS,
  );

  test(
    "SARIF logs merge into the report their JSON reports merge into, passing checks and compliance included",
    async () => {
      const fromSarif = await runProgram(
        [
          "merge",
          "a.sarif",
          "b.sarif",
          "-f",
          "json",
          "-o",
          "sarif-all.json",
          "-f",
          "sarif",
          "-o",
          "again.sarif",
        ],
        dir,
      );
      expect(fromSarif.status, fromSarif.stderr).toBe(0);
      const timeless = (r: JsonReport) => ({ ...r, provenance: { ...r.provenance, scannedAt: "" } });
      const [json, sarif] = [read("all.json"), read("sarif-all.json")];
      expect(sarif.summary.pass).toBeGreaterThan(0);
      expect(sarif.compliance?.frameworks.length).toBeGreaterThan(0);
      expect(timeless(sarif)).toEqual(timeless(json));
      expect(readFileSync(join(dir, "again.sarif"), "utf8")).toBe(
        readFileSync(join(dir, "all.sarif"), "utf8"),
      );
      // One scan's JSON report and SARIF log hold the same findings: merged, each finding is there once.
      const same = await runProgram(["merge", "a.json", "a.sarif", "-f", "json", "-o", "same.json"], dir);
      expect(same.status, same.stderr).toBe(0);
      expect(read("same.json").findings).toEqual(read("a.json").findings);
    },
    PROCESS_TIMEOUT_MS,
  );

  test(
    "reports of another trailguard version are refused: exit 2, nothing written",
    async () => {
      const a = read("a.json");
      writeFileSync(join(dir, "old.json"), JSON.stringify({ ...a, tool: { ...a.tool, version: "0.0.1" } }));
      const run = await runProgram(["merge", "b.sarif", "old.json", "-f", "json", "-o", "mixed.json"], dir);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(
        /cannot merge: old\.json was judged with trailguard 0\.0\.1, packs .*, b\.sarif with/,
      );
      expect(() => readFileSync(join(dir, "mixed.json"))).toThrow();
    },
    PROCESS_TIMEOUT_MS,
  );

  test(
    "a file that is not a JSON report is named, left out, and exits 2",
    async () => {
      writeFileSync(join(dir, "notes.json"), '{"hello": 1}');
      const run = await runProgram(["merge", "a.json", "notes.json", "-f", "json", "-o", "out.json"], dir);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("error[report-invalid]: notes.json: not a trailguard JSON report");
      expect(read("out.json").findings).toHaveLength(read("a.json").findings.length);
    },
    PROCESS_TIMEOUT_MS,
  );

  test(
    "a snapshot that does not read is told however its path is written",
    async () => {
      writeFileSync(join(dir, "broken.snapshot.json"), '{"trailguardSnapshot": 1, "accounts": [');
      for (const name of [
        "broken.snapshot.json",
        "./broken.snapshot.json",
        join(dir, "broken.snapshot.json"),
      ]) {
        const run = await runProgram(["merge", "a.json", name, "-f", "json", "-o", "out.json"], dir);
        expect(run.status).toBe(2);
        expect(run.stderr).toContain(name);
        expect(run.stderr).toMatch(/^error\[/m);
      }
    },
    PROCESS_TIMEOUT_MS,
  );

  test("a shard must be i/n", async () => {
    const run = await runProgram(["scan", "--org", "--shard", "4/3"], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("expected i/n");
  });
});
