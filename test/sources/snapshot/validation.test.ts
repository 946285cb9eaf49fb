import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../../src/scan/index.js";
import { writeSnapshot } from "../../../src/sources/snapshot/index.js";
import { BUILT_IN_POLICIES } from "../../support/evaluate.js";
import { REPO_ROOT } from "../../support/paths.js";

/** A snapshot of the compliant example as trailguard writes it, then damaged in the ways people damage them. */
async function goodSnapshot(): Promise<string> {
  const outcome = await scan({
    paths: [join(REPO_ROOT, "examples/cloudformation/compliant.yaml")],
    scope: "account",
    ...BUILT_IN_POLICIES,
  });
  return writeSnapshot(outcome.inventory.accounts);
}

describe("a snapshot is checked against the model before it is judged", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-snapshot-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let GOOD = "";
  beforeAll(async () => {
    GOOD = await goodSnapshot();
  });

  const scanWith = async (name: string, text: string) => {
    const folder = join(dir, name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, "snapshot.json"), text);
    copyFileSync(join(REPO_ROOT, "examples/cloudformation/noncompliant.yaml"), join(folder, "stack.yaml"));
    const outcome = await scan({ paths: [folder], scope: "resource", ...BUILT_IN_POLICIES, cwd: dir });
    // Findings of the snapshot's account (the example's account key), apart from the template's.
    const snapshotFindings = outcome.findings.filter((f) => f.account.endsWith("compliant.yaml"));
    const templateFindings = outcome.findings.filter((f) => f.location?.file.endsWith("stack.yaml"));
    return { outcome, snapshotFindings, templateFindings };
  };

  it("the undamaged snapshot is judged", async () => {
    const { snapshotFindings, outcome } = await scanWith("good", GOOD);
    expect(outcome.errors.filter((e) => e.severity === "error")).toEqual([]);
    expect(snapshotFindings.length).toBeGreaterThan(0);
  });

  it("a truncated snapshot is a syntax error with its line; the template beside it is still scanned", async () => {
    const lines = GOOD.split("\n");
    const { outcome, snapshotFindings, templateFindings } = await scanWith(
      "truncated",
      lines.slice(0, Math.floor(lines.length / 2)).join("\n"),
    );
    const [error] = outcome.errors.filter((e) => e.file?.endsWith("snapshot.json"));
    expect(error).toMatchObject({ code: "syntax", severity: "error" });
    expect(error?.line).toBeGreaterThan(1);
    expect(snapshotFindings).toEqual([]);
    expect(templateFindings.some((f) => f.status === "fail")).toBe(true);
  });

  it.each([
    ["a field missing", (s: string) => s.replace(/\n\s*"isLogging": [^\n]*,/, ""), /isLogging is missing/],
    [
      "a list of the wrong type",
      (s: string) => s.replace(/"eventSelectors": \[/, '"eventSelectors": 7, "x": ['),
      /eventSelectors must be a list/,
    ],
    [
      "a misspelled field",
      (s: string) => s.replace(/"isMultiRegionTrail": (true|false)/, '"isMultiRegionTrial": $1'),
      /isMultiRegionTrial is not a field/,
    ],
    [
      "a string where a boolean belongs",
      (s: string) =>
        s.replace(/"logFileValidationEnabled": (true|false)/, '"logFileValidationEnabled": "yes"'),
      /logFileValidationEnabled must be a boolean/,
    ],
  ])(
    "%s is a snapshot-invalid error with its line, never a crash or a partial account",
    async (_what, damage, message) => {
      const text = damage(GOOD);
      expect(text).not.toBe(GOOD);
      const { outcome, snapshotFindings, templateFindings } = await scanWith(
        `bad-${_what.replace(/\W+/g, "-")}`,
        text,
      );
      const errors = outcome.errors.filter((e) => e.file?.endsWith("snapshot.json"));
      expect(errors.length).toBeGreaterThan(0);
      expect(errors[0]).toMatchObject({ code: "snapshot-invalid", severity: "error" });
      expect(errors.map((e) => e.message).join("\n")).toMatch(message);
      expect(errors[0]?.line).toBeGreaterThan(1);
      expect(snapshotFindings).toEqual([]);
      expect(templateFindings.length).toBeGreaterThan(0);
    },
  );
});
