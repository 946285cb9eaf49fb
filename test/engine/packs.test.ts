import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { loadPolicies } from "../../src/engine/index.js";
import { POLICIES_DIR } from "../support/paths.js";

describe("loading user packs", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-packs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const rule = (id: string, assert: string) => `  - id: ${id}
    title: T
    description: D
    severity: low
    scope: trail
    assert: ${JSON.stringify(assert)}
    remediation: R
`;

  test("a valid pack adds its rules", () => {
    const file = write(
      "ok.yaml",
      `pack: {id: mine, title: Mine}\nrules:\n${rule("mine.prefix", "trail.s3KeyPrefix == 'audit'")}`,
    );
    const loaded = loadPolicies(POLICIES_DIR, [file]);
    expect(loaded.errors.filter((e) => e.severity === "error")).toEqual([]);
    expect(loaded.rules.find((r) => r.id === "mine.prefix")?.pack).toBe("mine");
  });

  test.each([
    ["bad CEL", `pack: {id: m, title: M}\nrules:\n${rule("m.a", "trail.isLogging ==")}`, /not valid CEL/, 8],
    [
      "has() is refused",
      `pack: {id: m, title: M}\nrules:\n${rule("m.a", "has(trail.kmsKeyId)")}`,
      /has\(\) is not supported/,
      8,
    ],
    [
      "schema violation",
      `pack: {id: m, title: M}\nrules:\n  - id: m.a\n    title: T\n`,
      /required property/,
      3,
    ],
    ["YAML syntax", `pack: {id: m, title: M\nrules: [`, /./, 2],
    [
      "an assert that is an integer",
      `pack: {id: m, title: M}\nrules:\n${rule("m.a", "1")}`,
      /rule m\.a: assert always returns an int, not a bool/,
      8,
    ],
    [
      "an assert that computes a string",
      `pack: {id: m, title: M}\nrules:\n${rule("m.b", "trail.isLogging ? 'yes' : 'no'")}`,
      /assert always returns a string, not a bool/,
      8,
    ],
    [
      "an assert that maps a list",
      `pack: {id: m, title: M}\nrules:\n${rule("m.c", "trail.insightTypes.map(t, t.size())")}`,
      /assert always returns a list/,
      8,
    ],
    [
      "a when that counts",
      `pack: {id: m, title: M}\nrules:\n  - id: m.d\n    title: T\n    description: D\n    severity: low\n    scope: trail\n    when: trail.insightTypes.size() + 1\n    assert: "true"\n    remediation: R\n`,
      /rule m\.d: when always returns an int/,
      8,
    ],
    [
      "a fail message that is a boolean",
      `pack: {id: m, title: M}\nrules:\n${rule("m.e", "trail.isLogging == true")}    message:\n      fail: trail.isLogging == false\n`,
      /rule m\.e: message\.fail always returns a bool, not a string/,
      11,
    ],
    [
      "an alias bomb",
      `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\npack: {id: m, title: M}\nrules: [*f]\n`,
      /cannot be read: .*alias/i,
      2,
    ],
    [
      "duplicate id",
      `pack: {id: m, title: M}\nrules:\n${rule("trail.logging", "true")}`,
      /already defined/,
      3,
    ],
  ])("%s is reported with file and line; built-in rules still load", (_name, text, message, line) => {
    const file = write("bad.yaml", text);
    const loaded = loadPolicies(POLICIES_DIR, [file]);
    const error = loaded.errors.find((e) => e.file?.endsWith("bad.yaml"));
    expect(error?.message).toMatch(message);
    expect(error?.line).toBe(line);
    expect(loaded.rules.some((r) => r.id === "trail.enabled")).toBe(true);
  });

  test("an assert whose result type depends on the data loads (it is judged per resource)", () => {
    const file = write("dyn.yaml", `pack: {id: m, title: M}\nrules:\n${rule("m.dyn", "trail.isLogging")}`);
    const loaded = loadPolicies(POLICIES_DIR, [file]);
    expect(loaded.errors.filter((e) => e.severity === "error")).toEqual([]);
    expect(loaded.rules.some((r) => r.id === "m.dyn")).toBe(true);
  });
});
