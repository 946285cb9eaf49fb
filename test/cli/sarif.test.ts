import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { sarifValidator } from "../report/schemas.js";
import { REPO_ROOT } from "../support/paths.js";
import { runCli } from "./run-cli.js";

interface SarifResult {
  ruleId: string;
  kind: string;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
  suppressions?: { justification: string }[];
}

const FILE = "examples/cloudformation/noncompliant.yaml";
const lines = readFileSync(join(REPO_ROOT, FILE), "utf8").split("\n");
/** 1-based line of the first line matching `pattern`. */
const lineOf = (pattern: RegExp) => lines.findIndex((l) => pattern.test(l)) + 1;

describe("SARIF from a real scan", () => {
  const run = runCli(["scan", "examples/", "--format", "sarif"]);
  const log = JSON.parse(run.stdout);
  const results: SarifResult[] = log.runs[0].results;
  const result = (ruleId: string, uri = FILE) =>
    results.find((r) => r.ruleId === ruleId && r.locations[0]?.physicalLocation.artifactLocation.uri === uri);

  test("passes the official SARIF 2.1.0 schema", () => {
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  test("every result has a physical location in a real file of the repository", () => {
    expect(results.length).toBeGreaterThan(10);
    for (const r of results) {
      const { uri } = r.locations[0]?.physicalLocation.artifactLocation ?? { uri: "" };
      const line = r.locations[0]?.physicalLocation.region.startLine ?? 0;
      expect(line).toBeGreaterThan(0);
      expect(() => readFileSync(join(REPO_ROOT, uri))).not.toThrow();
    }
  });

  test.each([
    ["trail.multi-region", /^\s+IsMultiRegionTrail: false/],
    ["trail.logging", /^\s+IsLogging: false/],
    ["trail.log-file-validation", /^\s+EnableLogFileValidation: false/],
    ["bucket.public-access-blocked", /^\s+PublicAccessBlockConfiguration:/],
  ])("%s points at the offending property", (ruleId, pattern) => {
    expect(result(ruleId)?.locations[0]?.physicalLocation.region.startLine).toBe(lineOf(pattern));
  });

  test.each([
    ["trail.kms-encryption", /^ {2}Trail:/],
    ["trail.sns-notification", /^ {2}Trail:/],
    ["bucket.versioning", /^ {2}TrailBucket:/],
  ])("%s points at the resource when the property is missing", (ruleId, pattern) => {
    expect(result(ruleId)?.locations[0]?.physicalLocation.region.startLine).toBe(lineOf(pattern));
  });

  test("failing rules are kind fail; undecidable ones are open and name their unknown input", () => {
    expect(result("trail.multi-region")).toMatchObject({ kind: "fail", level: "error" });
    const open = result("bucket.mfa-delete");
    expect(open?.kind).toBe("open");
    expect(open?.message.text).toContain("bucket.mfaDelete");
  });

  test("the compliant stack's suppression is carried with its justification", () => {
    const suppressed = result("bucket.mfa-delete", "examples/cloudformation/compliant.yaml");
    expect(suppressed?.suppressions?.[0]?.justification).toContain("root user");
  });

  test("automationDetails lets several runs be uploaded side by side", () => {
    expect(log.runs[0].automationDetails.id).toBe("trailguard/");
    const other = JSON.parse(
      runCli(["scan", "examples/", "--format", "sarif", "--category", "prod/cfn"]).stdout,
    );
    expect(other.runs[0].automationDetails.id).toBe("prod/cfn");
  });
});
