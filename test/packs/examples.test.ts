import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { type LoadedRule, loadPolicies } from "../../src/engine/index.js";
import type { SourceExamples } from "../../src/engine/packs.js";
import { scan } from "../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";
import { POLICIES_DIR } from "../support/paths.js";
import { onPath } from "../support/tools.js";

/**
 * Every core rule carries its examples in the pack (policies/schema/pack.schema.json, `examples`): per IaC source a
 * template or module on which it passes and one on which it fails, or why it cannot be decided from that source.
 * Each snippet is scanned as a user would scan it, and checked by the source's own tool.
 */

const SOURCES = {
  cloudformation: { file: "template.yaml" },
  terraform: { file: "main.tf" },
} as const;
type Source = keyof typeof SOURCES;
type Verdict = "pass" | "fail";

const core = loadPolicies(POLICIES_DIR).rules.filter((r) => r.pack === "cloudtrail-core");
const root = mkdtempSync(join(tmpdir(), "trailguard-rule-examples-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Case {
  rule: LoadedRule;
  source: Source;
  verdict: Verdict;
  index: number;
  dir: string;
  file: string;
}

const list = (snippets: string | string[]) => (Array.isArray(snippets) ? snippets : [snippets]);
const decided = (examples: SourceExamples | undefined) =>
  examples && "pass" in examples ? examples : undefined;

const cases: Case[] = core.flatMap((rule) =>
  (Object.keys(SOURCES) as Source[]).flatMap((source) => {
    const examples = decided(rule.examples?.[source]);
    if (!examples) return [];
    return (["pass", "fail"] as const).flatMap((verdict) =>
      list(examples[verdict]).map((text, index) => {
        const dir = join(root, rule.id, source, `${verdict}-${index}`);
        const file = join(dir, SOURCES[source].file);
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, text);
        return { rule, source, verdict, index, dir, file };
      }),
    );
  }),
);

describe("every core rule carries its examples", () => {
  test.each(core.map((rule) => [rule.id, rule] as const))(
    "%s: a pass and a fail per IaC source",
    (_id, rule) => {
      expect(rule.examples, "the rule has no examples").toBeDefined();
      for (const source of Object.keys(SOURCES) as Source[]) {
        const examples = rule.examples?.[source];
        if (examples && "notApplicable" in examples) {
          expect(examples.notApplicable.trim().length).toBeGreaterThan(20);
          continue;
        }
        expect(examples && list(examples.pass).length, `${source}: a passing example`).toBeGreaterThan(0);
        expect(examples && list(examples.fail).length, `${source}: a failing example`).toBeGreaterThan(0);
      }
    },
  );

  test("at most a few rules are not shown on a source, and none on both", () => {
    const notShown = core.flatMap((rule) =>
      (Object.keys(SOURCES) as Source[])
        .filter((s) => !decided(rule.examples?.[s]))
        .map((s) => `${rule.id} ${s}`),
    );
    expect(notShown.length).toBeLessThanOrEqual(3);
    for (const rule of core) expect(Object.values(rule.examples ?? {}).some((e) => decided(e))).toBe(true);
  });
});

describe("each example scanned gives its verdict", () => {
  test.each(cases.map((c) => [`${c.rule.id} ${c.source} ${c.verdict} #${c.index + 1}`, c] as const))(
    "%s",
    async (_name, c) => {
      // Account rules only apply to a whole account: their examples are scanned as one.
      const scope = c.rule.scope === "account" ? "account" : "resource";
      const out = await scan({ paths: [c.dir], scope, ...BUILT_IN_POLICIES, rules: [c.rule.id] });
      expect(out.errors).toEqual([]);
      const findings = out.findings.filter((f) => f.ruleId === c.rule.id && f.status !== "not-applicable");
      const statuses = findings.map((f) => `${f.status}: ${f.message}`);
      if (c.verdict === "pass") {
        expect(findings.length, "the rule applies to something").toBeGreaterThan(0);
        expect(
          findings.filter((f) => f.status !== "pass"),
          statuses.join("\n"),
        ).toEqual([]);
      } else {
        expect(
          findings.some((f) => f.status === "fail"),
          statuses.join("\n"),
        ).toBe(true);
        expect(findings.filter((f) => f.status === "error")).toEqual([]);
      }
    },
    60_000,
  );
});

/** Runs a source's own checker over all its snippets at once; missing tools fail in CI and are skipped elsewhere. */
function toolCheck(tool: string) {
  const available = onPath(tool);
  if (!available && process.env.CI !== "true") {
    console.warn(`${tool} is not installed: its check of the rule examples is skipped`);
  }
  return { available, required: process.env.CI === "true" };
}

describe("the examples are valid for their tools", () => {
  const terraform = toolCheck("terraform");
  test.skipIf(!terraform.available && !terraform.required)(
    "terraform fmt -check accepts every Terraform example",
    () => {
      expect(terraform.available, "terraform must be installed in CI").toBe(true);
      const dirs = cases.filter((c) => c.source === "terraform").map((c) => c.dir);
      expect(dirs.length).toBeGreaterThan(0);
      const run = spawnSync("terraform", ["fmt", "-check", "-list=true", "-recursive", join(root)], {
        encoding: "utf8",
      });
      expect(run.stdout.trim(), `files terraform fmt would rewrite:\n${run.stdout}${run.stderr}`).toBe("");
      expect(run.status).toBe(0);
    },
    300_000,
  );

  const cfnLint = toolCheck("cfn-lint");
  test.skipIf(!cfnLint.available && !cfnLint.required)(
    "cfn-lint finds no error in any CloudFormation example",
    () => {
      expect(cfnLint.available, "cfn-lint must be installed in CI").toBe(true);
      const files = cases.filter((c) => c.source === "cloudformation").map((c) => c.file);
      expect(files.length).toBeGreaterThan(0);
      const run = spawnSync("cfn-lint", ["--format", "parseable", "--", ...files], { encoding: "utf8" });
      // cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational; 1 is a failure of the tool.
      const status = run.status ?? 1;
      expect(status & 3, `${run.stdout}${run.stderr}`).toBe(0);
    },
    300_000,
  );
});
