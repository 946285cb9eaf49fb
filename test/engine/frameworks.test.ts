import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { defaultFamily, type LoadedPolicies, loadPolicies } from "../../src/engine/index.js";
import { POLICIES_DIR, REPO_ROOT } from "../support/paths.js";

/** Rules without a control, and controls naming rules that are not loaded. */
function mappingProblems(policies: LoadedPolicies): { unmapped: string[]; dangling: string[] } {
  const ruleIds = new Set(policies.rules.map((r) => r.id));
  const mapped = new Set(policies.frameworks.flatMap((f) => f.controls.flatMap((c) => c.rules)));
  return {
    unmapped: policies.rules.filter((r) => !mapped.has(r.id)).map((r) => r.id),
    dangling: policies.frameworks.flatMap((f) =>
      f.controls.flatMap((c) =>
        c.rules.filter((id) => !ruleIds.has(id)).map((id) => `${f.id}:${c.id} → ${id}`),
      ),
    ),
  };
}

describe("the built-in framework mappings", () => {
  const policies = loadPolicies(POLICIES_DIR);

  test("load without a single error or warning", () => {
    expect(policies.errors).toEqual([]);
  });

  test("map every rule of every built-in pack to at least one control, and name only existing rules", () => {
    expect(mappingProblems(policies)).toEqual({ unmapped: [], dangling: [] });
  });

  test("cover the frameworks the project promises", () => {
    expect(policies.frameworks.map((f) => f.id).sort()).toEqual([
      "aws-fsbp",
      "cis-aws-1.4.0",
      "cis-aws-3.0.0",
      "cis-aws-5.0.0",
      "cis-aws-6.0.0",
      "hipaa",
      "nist-800-53-r5",
      "pci-dss-4.0",
      "soc2",
    ]);
  });

  test("give every control a unique id, a title, a family, and a coverage exactly when it has rules", () => {
    for (const framework of policies.frameworks) {
      const ids = framework.controls.map((c) => c.id);
      expect(new Set(ids).size, framework.id).toBe(ids.length);
      for (const control of framework.controls) {
        expect(control.title.length, `${framework.id}:${control.id}`).toBeGreaterThan(0);
        expect(control.family.length).toBeGreaterThan(0);
        expect(control.coverage !== undefined, `${framework.id}:${control.id}`).toBe(
          control.rules.length > 0,
        );
      }
    }
  });

  test("judge the CIS object-level write and read items with one rule each", () => {
    const rulesOf = (framework: string, control: string) =>
      policies.frameworks.find((f) => f.id === framework)?.controls.find((c) => c.id === control)?.rules;
    expect(rulesOf("cis-aws-1.4.0", "3.10")).toEqual(["trail.s3-data-events-write"]);
    expect(rulesOf("cis-aws-1.4.0", "3.11")).toEqual(["trail.s3-data-events-read"]);
    for (const version of ["3.0.0", "5.0.0"]) {
      expect(rulesOf(`cis-aws-${version}`, "3.8")).toEqual(["trail.s3-data-events-write"]);
      expect(rulesOf(`cis-aws-${version}`, "3.9")).toEqual(["trail.s3-data-events-read"]);
    }
    expect(rulesOf("cis-aws-6.0.0", "4.8")).toEqual(["trail.s3-data-events-write"]);
    expect(rulesOf("cis-aws-6.0.0", "4.9")).toEqual(["trail.s3-data-events-read"]);
  });

  test("mark CIS v5.0.0's manual items manual", () => {
    const cis5 = policies.frameworks.find((f) => f.id === "cis-aws-5.0.0");
    const manual = cis5?.controls.filter((c) => c.manual).map((c) => c.id);
    expect(manual).toEqual(expect.arrayContaining(["3.1", "3.4", "4.1", "4.15"]));
    expect(manual).not.toContain("3.2");
  });
});

describe("a wrong mapping is caught", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-frameworks-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const policiesWith = (name: string, framework: string, pack = "") => {
    const root = join(dir, name);
    mkdirSync(join(root, "packs"), { recursive: true });
    mkdirSync(join(root, "frameworks"), { recursive: true });
    writeFileSync(
      join(root, "packs", "p.yaml"),
      pack ||
        `pack: {id: p, title: P}
rules:
  - id: p.one
    title: T
    description: D
    severity: low
    scope: trail
    assert: trail.isLogging == true
    remediation: R
  - id: p.two
    title: T
    description: D
    severity: low
    scope: trail
    assert: trail.isLogging == true
    remediation: R
`,
    );
    writeFileSync(join(root, "frameworks", "f.yaml"), framework);
    return loadPolicies(root, [], dir);
  };

  test("a control naming a rule that does not exist, with its line", () => {
    const loaded = policiesWith(
      "dangling",
      `framework: {id: f, title: F}
controls:
  - id: "1"
    title: One
    rules: [p.one, p.two]
    coverage: fully
  - id: "2"
    title: Two
    rules:
      - p.one
      - p.gone
    coverage: partly
`,
    );
    expect(mappingProblems(loaded).dangling).toEqual(["f:2 → p.gone"]);
    expect(loaded.errors).toMatchObject([
      { code: "framework-reference", file: join("dangling", "frameworks", "f.yaml"), line: 11 },
    ]);
  });

  test("a rule no control maps", () => {
    const loaded = policiesWith(
      "unmapped",
      `framework: {id: f, title: F}\ncontrols:\n  - {id: "1", title: One, rules: [p.one], coverage: fully}\n`,
    );
    expect(mappingProblems(loaded).unmapped).toEqual(["p.two"]);
  });

  test("a control with rules but no coverage, and a coverage that is not fully or partly", () => {
    const missing = policiesWith(
      "coverage",
      `framework: {id: f, title: F}\ncontrols:\n  - {id: "1", title: One, rules: [p.one, p.two]}\n`,
    );
    expect(missing.errors).toMatchObject([{ code: "pack-invalid", line: 3 }]);
    const wrong = policiesWith(
      "coverage-enum",
      `framework: {id: f, title: F}\ncontrols:\n  - {id: "1", title: One, rules: [p.one, p.two], coverage: most}\n`,
    );
    expect(wrong.errors).toMatchObject([{ code: "pack-invalid", line: 3 }]);
    expect(wrong.frameworks).toEqual([]);
  });

  test("controls without rules are kept, manual or not", () => {
    const loaded = policiesWith(
      "empty",
      `framework: {id: f, title: F}
controls:
  - {id: "1.1", title: One, rules: [p.one, p.two], coverage: fully}
  - {id: "1.2", title: Two, rules: [], manual: true}
  - {id: "AU-2", title: Three, rules: [], family: Audit}
`,
    );
    expect(loaded.errors).toEqual([]);
    expect(loaded.frameworks[0]?.controls).toMatchObject([
      { id: "1.1", family: "1", coverage: "fully", manual: false },
      { id: "1.2", family: "1", coverage: undefined, manual: true },
      { id: "AU-2", family: "Audit", manual: false },
    ]);
  });
});

test.each([
  ["3.10", "3"],
  ["AU-6(1)", "AU"],
  ["CloudTrail.5", "CloudTrail"],
  ["CC7.2", "CC7"],
  ["164.312(b)", "164"],
])("the default family of %s is %s", (id, family) => {
  expect(defaultFamily(id)).toBe(family);
});

test("nothing the build or the tests run reads the research notes beside the checkout", () => {
  const needle = ["shared", "docs"].join("/");
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (readFileSync(path, "utf8").includes(needle)) offenders.push(path.slice(REPO_ROOT.length + 1));
    }
  };
  for (const dir of ["scripts", "src", "test", "policies", ".ci"]) walk(join(REPO_ROOT, dir));
  expect(offenders).toEqual([]);
});
