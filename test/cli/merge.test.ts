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
        ["noncompliant.yaml", "a.json"],
        ["compliant.yaml", "b.json"],
      ] as const) {
        const run = await runProgram(
          ["scan", example(name), "-f", "json", "-o", out, "--fail-on", "none"],
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

  test("a shard must be i/n", async () => {
    const run = await runProgram(["scan", "--org", "--shard", "4/3"], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("expected i/n");
  });
});
