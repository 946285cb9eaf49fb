import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../support/paths.js";
import { PROCESS_TIMEOUT_MS } from "../support/timeouts.js";

/** Runs the bundled action (dist/index.js) as the GitHub runner does: inputs as INPUT_* variables, file commands. */
function runAction(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-action-"));
  const output = join(dir, "output");
  const summary = join(dir, "summary.md");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    "INPUT_FAIL-ON-UNKNOWN": "true",
    "INPUT_SOFT-FAIL": "false",
    "INPUT_JOB-SUMMARY": "true",
    "INPUT_SARIF-FILE": join(dir, "out.sarif"),
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const run = spawnSync(process.execPath, [join(REPO_ROOT, "dist/index.js")], {
    cwd: REPO_ROOT,
    env,
    encoding: "utf8",
  });
  const outputs: Record<string, string> = {};
  // File-command format: name<<delimiter\nvalue\ndelimiter
  const text = readFileSync(output, "utf8");
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm))
    outputs[match[1] as string] = match[3] as string;
  return { run, outputs, summary: readFileSync(summary, "utf8"), sarif: join(dir, "out.sarif"), dir };
}

describe("the GitHub Action (dist/index.js)", { timeout: PROCESS_TIMEOUT_MS }, () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test("fails the step on the non-compliant example, with SARIF, outputs and a job summary", () => {
    const result = runAction({ path: "examples/cloudformation/noncompliant.yaml", "fail-on": "high" });
    dirs.push(result.dir);
    expect(result.run.status).toBe(1);
    expect(result.run.stdout).toMatch(/::error::trailguard found failing checks at or above high/);
    expect(Number(result.outputs.failed)).toBeGreaterThan(5);
    expect(result.outputs["exit-code"]).toBe("1");
    expect(JSON.parse(readFileSync(result.sarif, "utf8")).runs[0].results.length).toBeGreaterThan(5);
    expect(result.summary).toContain("trail.multi-region");
  });

  test("passes on the compliant example", () => {
    const result = runAction({ path: "examples/cloudformation/compliant.yaml" });
    dirs.push(result.dir);
    expect(result.run.status, result.run.stdout).toBe(0);
    expect(result.outputs.failed).toBe("0");
    expect(result.outputs.suppressed).toBe("1");
  });

  test("soft-fail reports but does not fail", () => {
    const result = runAction({ path: "examples/cloudformation/noncompliant.yaml", "soft-fail": "true" });
    dirs.push(result.dir);
    expect(result.run.status).toBe(0);
    expect(result.outputs["exit-code"]).toBe("1");
  });

  test("a bad input value fails with a clear message", () => {
    const result = runAction({ path: "examples/", "fail-on": "severe" });
    dirs.push(result.dir);
    expect(result.run.status).toBe(1);
    expect(result.run.stdout).toContain("fail-on must be one of");
  });
});

describe("action.yml", () => {
  const action = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8"));
  const source = readFileSync(join(REPO_ROOT, "src/action/main.ts"), "utf8");

  test("runs dist/index.js on node24", () => {
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
  });

  test("declares exactly the inputs and outputs the action reads and sets", () => {
    const read = new Set([...source.matchAll(/get(?:Boolean)?Input\("([\w-]+)"\)/g)].map((m) => m[1]));
    const set = new Set([...source.matchAll(/setOutput\("([\w-]+)"/g)].map((m) => m[1]));
    expect(new Set(Object.keys(action.inputs))).toEqual(read);
    expect(new Set(Object.keys(action.outputs))).toEqual(set);
  });
});
