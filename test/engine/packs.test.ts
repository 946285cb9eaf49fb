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
});
