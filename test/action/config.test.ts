import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { run } from "../../src/action/main.js";
import { baselineText } from "../../src/scan/index.js";
import { example, scanWithConfig, workspace } from "../scan/support.js";
import { inputEnvironment } from "./runner-env.js";

/**
 * Runs the action from the sources, in this process (the bundle in dist/ is rebuilt separately): every input as the
 * runner sets it (action.yml's defaults unless given), outputs read from the GITHUB_OUTPUT file.
 */
async function runAction(dir: string, inputs: Record<string, string>) {
  const output = join(dir, "github-output");
  const summary = join(dir, "github-summary.md");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env: Record<string, string> = {
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_EVENT_NAME: "push",
    RUNNER_TEMP: dir,
    ...inputEnvironment({ "sarif-file": join(dir, "out.sarif"), ...inputs }),
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  const previous = process.cwd();
  try {
    process.chdir(dir);
    await run();
  } finally {
    process.chdir(previous);
    stdout.mockRestore();
  }
  const failed = process.exitCode === 1;
  process.exitCode = 0;
  const outputs: Record<string, string> = {};
  for (const match of readFileSync(output, "utf8").matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
    outputs[match[1] as string] = match[3] as string;
  }
  return { failed, outputs, summary: readFileSync(summary, "utf8") };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the GitHub Action with a project config", () => {
  const ws = workspace();
  const original = example("examples/cloudformation/noncompliant.yaml");
  ws.write("infra/stack.yaml", original);
  ws.write(
    ".trailguard.yml",
    `fail-on: critical
waivers:
  - rule: bucket.public-access-blocked
    resource: TrailBucket
    reason: The bucket serves a public dataset by design.
    expires: 2099-12-31
`,
  );

  test("takes the config's settings and waivers, and its inputs override them", async () => {
    const passing = await runAction(ws.dir, { path: "infra" });
    expect(passing.failed).toBe(false);
    expect(passing.outputs["exit-code"]).toBe("0");
    expect(Number(passing.outputs.suppressed)).toBe(1);
    expect(passing.summary).toContain("1 suppressed (1 by waivers)");
    const strict = await runAction(ws.dir, { path: "infra", "fail-on": "high" });
    expect(strict.failed).toBe(true);
    expect(strict.outputs["exit-code"]).toBe("1");
  });

  test("a baseline input makes recorded findings existing, not failing", async () => {
    const first = await scanWithConfig(ws.dir, ["infra"]);
    writeFileSync(join(ws.dir, "baseline.json"), baselineText(first.outcome.findings, "0.0.0-test"));
    const result = await runAction(ws.dir, { path: "infra", "fail-on": "low", baseline: "baseline.json" });
    expect(result.outputs["exit-code"]).toBe("0");
    expect(Number(result.outputs.existing)).toBeGreaterThan(5);
    expect(result.outputs.failed).toBe("0");
  });
});
