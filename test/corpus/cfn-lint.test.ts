import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { readTemplate } from "../../src/sources/cloudformation/index.js";
import { guardCases } from "../support/evaluate.js";
import { REPO_ROOT } from "../support/paths.js";
import { SHARED_DIR } from "../support/shared.js";
import { onPath } from "../support/tools.js";

/**
 * What cfn-lint can parse, trailguard parses too: a `syntax` error from trailguard on a template is only right
 * where cfn-lint also reports an error on that line. Inputs: the bundled examples, the valid fixtures, and the
 * peers' corpus when it is beside the checkout. cfn-lint starts slowly, so every file goes into one call.
 */
const hasCfnLint = onPath("cfn-lint");
if (!hasCfnLint) {
  if (process.env.CI === "true") throw new Error("cfn-lint is required in CI (pip install cfn-lint)");
  console.warn("cfn-lint is not installed: the cfn-lint acceptance test is skipped");
}
const corpus = join(SHARED_DIR, "corpus");
if (!existsSync(corpus))
  console.warn(`no corpus at ${corpus}: only the bundled templates are compared with cfn-lint`);

const work = mkdtempSync(join(tmpdir(), "trailguard-cfn-lint-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** Each input as a file of its own (cfn-guard cases are cut out of their test files), named after its origin. */
function inputs(): { origin: string; path: string; text: string }[] {
  const out: { origin: string; path: string; text: string }[] = [];
  const add = (origin: string, text: string) => {
    const path = join(work, `${out.length}.${origin.endsWith(".json") ? "json" : "yaml"}`);
    writeFileSync(path, text);
    out.push({ origin, path, text });
  };
  const bundled = [
    ...filesUnder(join(REPO_ROOT, "examples/cloudformation")),
    ...filesUnder(join(REPO_ROOT, "test/fixtures/cloudformation/valid")),
  ];
  for (const file of bundled) add(relative(REPO_ROOT, file), readFileSync(file, "utf8"));
  for (const file of filesUnder(corpus).filter((f) => /\.(ya?ml|json)$/.test(f))) {
    const text = readFileSync(file, "utf8");
    const origin = relative(corpus, file);
    if (origin.startsWith("cfn-guard/"))
      for (const c of guardCases(text)) add(`${origin} › ${c.name}`, c.input);
    else if (/cloudformation|AWSTemplateFormatVersion|AWS::/.test(`${origin}\n${text}`)) add(origin, text);
  }
  return out;
}

describe.skipIf(!hasCfnLint)("cfn-lint acceptance", () => {
  test("no template cfn-lint parses is a syntax error for trailguard", { timeout: 300_000 }, () => {
    const files = inputs();
    const run = spawnSync("cfn-lint", ["--format", "parseable", "--", ...files.map((f) => f.path)], {
      encoding: "utf8",
      timeout: 280_000,
    });
    expect(run.error).toBeUndefined();
    /** path → lines where cfn-lint reports an error (E…). */
    const lintErrors = new Map<string, Set<number>>();
    for (const line of run.stdout.split("\n")) {
      const m = /^(.+?):(\d+):\d+:\d+:\d+:(E\d+):/.exec(line);
      if (!m) continue;
      const [, path = "", row = "0"] = m;
      if (!lintErrors.has(path)) lintErrors.set(path, new Set());
      lintErrors.get(path)?.add(Number(row));
    }
    const disagreements: string[] = [];
    let compared = 0;
    for (const file of files) {
      const result = readTemplate({ path: file.origin, absolutePath: file.path, text: file.text });
      if (result.status !== "read") continue;
      compared++;
      for (const error of result.fragment.errors) {
        if (error.code !== "syntax" || error.severity !== "error") continue;
        if (lintErrors.get(file.path)?.has(error.line ?? 0)) continue;
        disagreements.push(`${file.origin}:${error.line}: ${error.message}`);
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
    expect(disagreements).toEqual([]);
    // The bundled examples are clean for cfn-lint: not one error, warning or note.
    const examples = files.filter((f) => f.origin.startsWith("examples/cloudformation/"));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    const noted = run.stdout.split("\n").flatMap((line) => {
      const example = examples.find((f) => line.startsWith(`${f.path}:`));
      return example ? [`${example.origin}${line.slice(example.path.length)}`] : [];
    });
    expect(noted).toEqual([]);
  });
});
