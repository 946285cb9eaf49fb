import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadConfig } from "../../src/scan/index.js";
import { example, workspace } from "../scan/support.js";
import { runProgram } from "./run-program.js";

describe("trailguard init", () => {
  const ws = workspace();

  test("writes a starter config that loads without a problem, and does not overwrite one", async () => {
    const run = await runProgram(["init"], ws.dir);
    expect(run.status, run.stderr).toBe(0);
    expect(loadConfig(".trailguard.yml", ws.dir).errors).toEqual([]);
    const again = await runProgram(["init"], ws.dir);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("exists; --force overwrites it");
    expect((await runProgram(["init", "--force", "-o", "other.yml"], ws.dir)).status).toBe(0);
    expect(existsSync(join(ws.dir, "other.yml"))).toBe(true);
  });
});

describe("trailguard scan with a config file", () => {
  const ws = workspace();
  ws.write("infra/stack.yaml", example("examples/cloudformation/noncompliant.yaml"));
  ws.write(
    ".trailguard.yml",
    `fail-on: critical
rules: [bucket.public-access-blocked, trail.logging]
output:
  - format: json
waivers:
  - rule: bucket.public-access-blocked
    resource: TrailBucket
    reason: The bucket serves a public dataset by design.
    expires: 2099-12-31
`,
  );

  test("is found from the scan root up, and its settings apply", async () => {
    const run = await runProgram(["scan", "infra"], ws.dir);
    // fail-on critical: the only critical failure is waived; trail.logging (high) does not count.
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(new Set(report.findings.map((f: { ruleId: string }) => f.ruleId))).toEqual(
      new Set(["bucket.public-access-blocked", "trail.logging"]),
    );
    expect(report.summary.waived).toBe(1);
  });

  test("command-line options override it", async () => {
    const run = await runProgram(["scan", "infra", "--fail-on", "high", "--format", "text"], ws.dir);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/WAIVED\s+critical\s+bucket\.public-access-blocked/);
  });

  test("--config names another file; one with a broken waiver exits 2 and names the line", async () => {
    ws.write(
      "strict.yml",
      "waivers:\n  - rule: trail.logging\n    resource: Trail\n    expires: 2099-12-31\n",
    );
    const run = await runProgram(["scan", "infra", "--config", "strict.yml", "--format", "text"], ws.dir);
    expect(run.status).toBe(2);
    expect(run.stdout).toContain("strict.yml:2: /waivers/0 waiver has no reason");
    expect(run.stdout).toContain("[waiver-invalid]");
  });

  test("--no-inline-suppressions says how many it ignored", async () => {
    ws.write("inline/stack.yaml", example("examples/cloudformation/compliant.yaml"));
    const run = await runProgram(
      [
        "scan",
        "inline",
        "--config",
        "strict.yml",
        "--no-inline-suppressions",
        "--format",
        "text",
        "--rules",
        "bucket.*",
      ],
      ws.dir,
    );
    expect(run.stdout).toContain("1 inline suppression ignored");
  });
});

describe("trailguard scan --write-baseline, then --baseline", () => {
  const ws = workspace();
  const original = example("examples/cloudformation/noncompliant.yaml");
  const stack = ws.write("stack.yaml", original);

  test("only new findings fail a later scan, and the summary says what the baseline matched", async () => {
    const write = await runProgram(["scan", "stack.yaml", "--write-baseline", "baseline.json", "-q"], ws.dir);
    expect(write.status).toBe(1);
    const entries = JSON.parse(readFileSync(join(ws.dir, "baseline.json"), "utf8")).findings;
    expect(entries.length).toBeGreaterThan(5);

    writeFileSync(stack, `# reviewed in the audit of 2026\n${original}`);
    const same = await runProgram(["scan", "stack.yaml", "--baseline", "baseline.json"], ws.dir);
    expect(same.status, same.stdout).toBe(0);
    expect(same.stdout).toContain(`baseline matched ${entries.length} existing, 0 fixed`);

    // Dropping the property keeps its default (false): the same finding, still existing. The baseline now comes
    // from the config file.
    writeFileSync(stack, original.replace("      EnableLogFileValidation: false\n", ""));
    ws.write(".trailguard.yml", "baseline: baseline.json\n");
    const changed = await runProgram(["scan", "stack.yaml", "--format", "json"], ws.dir);
    const report = JSON.parse(changed.stdout);
    expect(report.baseline.file).toBe("baseline.json");
    expect(report.summary.existing).toBe(entries.length);
    expect(changed.status).toBe(0);
  });
});
