import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { type LoadedPolicies, loadPolicies } from "../../src/engine/index.js";
import { precompilePolicies } from "../../src/engine/precompile.js";
import { PRECOMPILED_FILE } from "../../src/engine/precompiled.js";
import { scan } from "../../src/scan/index.js";
import { POLICIES_DIR, REPO_ROOT } from "../support/paths.js";

/** What a load yields, without the compiled expressions (functions) and the examples (left out when precompiled). */
function comparable(loaded: LoadedPolicies) {
  return {
    rules: loaded.rules.map(({ whenExpr, assertExpr, messageExprs, examples: _e, ...rule }) => ({
      ...rule,
      sources: [whenExpr?.source, assertExpr.source, messageExprs?.pass?.source, messageExprs?.fail?.source],
      resultTypes: [whenExpr?.resultType, assertExpr.resultType],
      trees: [whenExpr?.ast, assertExpr.ast, messageExprs?.fail?.ast],
    })),
    packs: loaded.packs,
    frameworks: loaded.frameworks,
    errors: loaded.errors,
  };
}

describe("precompiled built-in policies", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-precompiled-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const copy = (name: string) => {
    const target = join(dir, name);
    cpSync(POLICIES_DIR, target, { recursive: true });
    return target;
  };

  test("load to the same rules, packs and frameworks as the YAML, with paths shown from the caller's folder", () => {
    const policies = copy("same");
    precompilePolicies(policies);
    expect(existsSync(join(policies, PRECOMPILED_FILE))).toBe(true);
    const cwd = join(dir, "elsewhere");
    const fromYaml = loadPolicies(policies, [], cwd, { precompiled: false });
    const fromBuild = loadPolicies(policies, [], cwd);
    expect(fromYaml.errors).toEqual([]);
    expect(comparable(fromBuild)).toEqual(comparable(fromYaml));
    expect(fromBuild.rules[0]?.declaredAt.file).toMatch(/^\.\.\/same\/packs\//);
  });

  test("give the same findings as the YAML they were made from", async () => {
    const policies = copy("findings");
    precompilePolicies(policies);
    const paths = [
      join(REPO_ROOT, "examples/cloudformation/noncompliant.yaml"),
      join(REPO_ROOT, "examples/terraform"),
    ];
    const run = async (policiesDir: string) =>
      (await scan({ paths, policiesDir, cwd: REPO_ROOT, scope: "resource" })).findings;
    const expected = await run(POLICIES_DIR);
    expect(expected.some((f) => f.status === "fail")).toBe(true);
    expect(await run(policies)).toEqual(expected);
  });

  test("are not used once a YAML file changed: the YAML is loaded and checked again", () => {
    const policies = copy("changed");
    precompilePolicies(policies);
    const core = join(policies, "packs/cloudtrail-core.yaml");
    writeFileSync(core, readFileSync(core, "utf8").replace(/\n {4}title: /, "\n    title: Edited "));
    const titles = loadPolicies(policies)
      .rules.filter((r) => r.pack === "cloudtrail-core")
      .map((r) => r.title);
    expect(titles[0]).toMatch(/^Edited /);
    appendFileSync(
      core,
      "  - id: core.typo\n    title: T\n    description: D\n    severity: low\n    scope: trail\n" +
        "    assert: trail.isLoging == true\n    remediation: R\n",
    );
    const errors = loadPolicies(policies, [], policies).errors;
    expect(errors).toContainEqual(
      expect.objectContaining({ code: "pack-unknown-field", file: "packs/cloudtrail-core.yaml" }),
    );
  });

  test("are refused at build time when a built-in pack has a problem", () => {
    const policies = copy("broken");
    appendFileSync(
      join(policies, "packs/cloudtrail-core.yaml"),
      "  - id: core.typo\n    title: T\n    description: D\n    severity: low\n    scope: trail\n" +
        "    assert: trail.isLoging == true\n    remediation: R\n",
    );
    expect(() => precompilePolicies(policies)).toThrow(
      /packs\/cloudtrail-core\.yaml:\d+: error: rule core\.typo/,
    );
    expect(existsSync(join(policies, PRECOMPILED_FILE))).toBe(false);
  });
});
