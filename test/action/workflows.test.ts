import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../support/paths.js";
import { actionYml } from "./runner-env.js";

interface Step {
  uses?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, { steps?: Step[]; permissions?: Record<string, string> }>;
}

const dir = join(REPO_ROOT, "examples/workflows");
const workflows = readdirSync(dir)
  .filter((f) => f.endsWith(".yml"))
  .map((f) => [f, parse(readFileSync(join(dir, f), "utf8")) as Workflow] as const);

/** The steps that run this action: the published one or, in this repository, `./`. */
const actionSteps = (workflow: Workflow) =>
  Object.values(workflow.jobs)
    .flatMap((job) => job.steps ?? [])
    .filter((s) => s.uses === "./" || s.uses?.startsWith("trailguard/trailguard@"));

describe("example workflows", () => {
  test("there is a pull-request gate", () => {
    expect(workflows.map(([f]) => f)).toContain("pr.yml");
  });

  test.each(workflows)(
    "%s: every with: key of the trailguard step is an input of action.yml",
    (_, workflow) => {
      const steps = actionSteps(workflow);
      expect(steps.length).toBeGreaterThan(0);
      for (const step of steps) {
        for (const key of Object.keys(step.with ?? {})) expect(Object.keys(actionYml.inputs)).toContain(key);
      }
    },
  );

  test.each(workflows)("%s: the action is pinned by a full commit SHA", (_, workflow) => {
    for (const step of actionSteps(workflow)) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
  });

  test.each(workflows)(
    "%s: SARIF is uploaded also when the gate fails, with the permission it needs",
    (_, workflow) => {
      const steps = Object.values(workflow.jobs).flatMap((job) => job.steps ?? []);
      const upload = steps.find((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"));
      expect(upload?.if).toBe("always()");
      const permissions = { ...workflow.permissions, ...Object.values(workflow.jobs)[0]?.permissions };
      expect(permissions["security-events"]).toBe("write");
    },
  );

  test("the organization audit: a matrix of shards in org mode covering 1/n … n/n, then one merge of their reports", () => {
    const workflow = Object.fromEntries(workflows)["org-audit.yml"];
    expect(workflow).toBeDefined();
    const jobs = Object.values(workflow?.jobs ?? {}) as {
      strategy?: { matrix?: { shard?: string[] } };
      steps?: (Step & { run?: string })[];
    }[];
    const sharded = jobs.find((j) => j.strategy?.matrix?.shard);
    const shards = sharded?.strategy?.matrix?.shard ?? [];
    expect(shards).toEqual(shards.map((_, i) => `${i + 1}/${shards.length}`));
    const step = actionSteps({ ...workflow, jobs: { shard: sharded ?? {} } } as Workflow)[0];
    expect(step?.with).toMatchObject({ mode: "org", shard: "${{ matrix.shard }}" });
    const merge = jobs.flatMap((j) => j.steps ?? []).find((s) => s.run?.includes(" merge "));
    expect(merge?.run).toMatch(/trailguard@[\d.]+ merge shards\/\*\/shard\.json/);
    expect(workflow?.permissions?.["id-token"]).toBe("write");
  });

  test("outputs the example reads are outputs of action.yml", () => {
    for (const [f] of workflows) {
      const text = readFileSync(join(dir, f), "utf8");
      for (const m of text.matchAll(/steps\.trailguard\.outputs\.([\w-]+)/g)) {
        expect(Object.keys(actionYml.outputs)).toContain(m[1]);
      }
    }
  });
});

describe("this repository's CI workflow", () => {
  const ci = parse(readFileSync(join(REPO_ROOT, ".github/workflows/ci.yml"), "utf8")) as Workflow;
  const steps = Object.values(ci.jobs).flatMap((job) => job.steps ?? []) as (Step & { run?: string })[];

  test("runs what .ci/run runs, checks dist/ is fresh, and smoke-runs the action from the checkout", () => {
    expect(steps.some((s) => s.run?.trim() === "bash .ci/run")).toBe(true);
    expect(
      steps.some((s) => s.run?.includes("npm run build") && s.run.includes("git diff --exit-code -- dist/")),
    ).toBe(true);
    const smoke = actionSteps(ci);
    expect(smoke.map((s) => s.uses)).toEqual(["./"]);
    for (const key of Object.keys(smoke[0]?.with ?? {})) expect(Object.keys(actionYml.inputs)).toContain(key);
  });

  test("pins every third-party action by full commit SHA", () => {
    for (const s of steps) if (s.uses && s.uses !== "./") expect(s.uses).toMatch(/@[0-9a-f]{40}$/);
  });
});
