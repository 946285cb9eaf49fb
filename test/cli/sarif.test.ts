import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { writeSnapshot } from "../../src/sources/snapshot/index.js";
import { awsError, collectAwsShaped } from "../sources/aws/aws-shaped.js";
import { REPO_ROOT } from "../support/paths.js";
import {
  describeProblems,
  SARIF_VALIDATION_TIMEOUT_MS,
  type SarifProblem,
  validateSarif,
} from "../support/sarif-validator.js";
import { PROCESS_TIMEOUT_MS } from "../support/timeouts.js";
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

describe("SARIF from a real scan", { timeout: PROCESS_TIMEOUT_MS }, () => {
  const run = runCli(["scan", "examples/", "--format", "sarif"]);
  const log = JSON.parse(run.stdout);
  const results: SarifResult[] = log.runs[0].results;
  const result = (ruleId: string, uri = FILE) =>
    results.find((r) => r.ruleId === ruleId && r.locations[0]?.physicalLocation.artifactLocation.uri === uri);

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

/**
 * The SARIF of real scans, checked by Microsoft's SARIF validator with the rules GitHub applies on upload: the
 * examples (failures, unknowns, a suppression, several files), a named category, and a snapshot of an AWS-shaped
 * account whose reads were partly refused (unknowns from the live collector, findings anchored in the snapshot).
 */
describe("SARIF of real scans passes Microsoft's validator with GitHub's rules", () => {
  let dir = "";
  const logs: Record<string, string> = {};
  let problems: Record<string, SarifProblem[]> = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "trailguard-sarif-scan-"));
    const collected = await collectAwsShaped({
      GetBucketPolicy: () => {
        throw awsError("AccessDenied", "Access Denied");
      },
    });
    const snapshot = join(dir, "account.snapshot.json");
    writeFileSync(snapshot, writeSnapshot(collected.accounts, { generator: "trailguard/test" }));
    const scans: Record<string, { args: string[]; cwd?: string }> = {
      "scan of the examples": { args: ["scan", "examples/", "--format", "sarif"] },
      "scan of the examples with passes and a category": {
        args: ["scan", "examples/", "--format", "sarif", "--include-passed", "--category", "prod/cfn"],
      },
      "scan of a snapshot with unknowns": { args: ["scan", ".", "--format", "sarif"], cwd: dir },
    };
    for (const [name, { args, cwd }] of Object.entries(scans)) {
      const run = runCli(args, cwd);
      expect([0, 1], `${name}: ${run.stderr}`).toContain(run.status);
      logs[name] = run.stdout;
    }
    problems = await validateSarif(logs);
  }, SARIF_VALIDATION_TIMEOUT_MS);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test.each([
    "scan of the examples",
    "scan of the examples with passes and a category",
    "scan of a snapshot with unknowns",
  ])("%s", (name) => {
    const found = problems[name] ?? [];
    expect(found, describeProblems(found)).toEqual([]);
  });

  test("the scans hold what they are meant to check", () => {
    const results = (name: string) =>
      (JSON.parse(logs[name] ?? "{}") as { runs: { results: SarifResult[] }[] }).runs[0]?.results ?? [];
    const kinds = (name: string) => new Set(results(name).map((r) => r.kind));
    expect(kinds("scan of the examples")).toEqual(new Set(["fail", "open"]));
    expect(results("scan of the examples").some((r) => r.suppressions?.length)).toBe(true);
    expect(kinds("scan of the examples with passes and a category")).toContain("pass");
    const snapshot = results("scan of a snapshot with unknowns");
    expect(snapshot.some((r) => r.kind === "open" && r.message.text.includes("AccessDenied"))).toBe(true);
    for (const r of snapshot)
      expect(r.locations[0]?.physicalLocation.artifactLocation.uri).toBe("account.snapshot.json");
  });
});
