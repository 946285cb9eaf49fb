import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../support/paths.js";
import { PROCESS_TIMEOUT_MS } from "../support/timeouts.js";
import { runCli } from "./run-cli.js";

describe("trailguard scan", { timeout: PROCESS_TIMEOUT_MS }, () => {
  test("the README's scan of the bundled examples reports the non-compliant stack and exits 1", () => {
    const run = runCli(["scan", "examples/"]);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain("examples/cloudformation/noncompliant.yaml");
    expect(run.stdout).toMatch(/trail\.multi-region/);
  });

  test("the compliant example passes with the default threshold", () => {
    const run = runCli(["scan", "examples/cloudformation/compliant.yaml", "--format", "json"]);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.summary.fail).toBe(0);
    expect(report.summary.pass).toBeGreaterThan(15);
  });

  test("--fail-on critical ignores lower-severity failures", () => {
    const run = runCli([
      "scan",
      "examples/cloudformation/noncompliant.yaml",
      "--fail-on",
      "critical",
      "--rules",
      "trail.multi-region,trail.log-file-validation",
    ]);
    expect(run.status).toBe(0);
    expect(
      runCli([
        "scan",
        "examples/cloudformation/noncompliant.yaml",
        "--fail-on",
        "high",
        "--rules",
        "trail.multi-region",
      ]).status,
    ).toBe(1);
  });

  test("several --format/--output pairs in one run", () => {
    const dir = mkdtempSync(join(tmpdir(), "trailguard-cli-"));
    try {
      const run = runCli([
        "scan",
        "examples/",
        "--format",
        "sarif",
        "--output",
        join(dir, "out.sarif"),
        "--format",
        "markdown",
        "--output",
        join(dir, "out.md"),
        "--format",
        "json",
      ]);
      expect(run.status).toBe(1);
      expect(JSON.parse(readFileSync(join(dir, "out.sarif"), "utf8")).version).toBe("2.1.0");
      expect(readFileSync(join(dir, "out.md"), "utf8")).toContain("|");
      expect(JSON.parse(run.stdout).schemaVersion).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("usage errors exit 2", () => {
    expect(runCli(["scan", "--format", "xml"]).status).toBe(2);
    expect(runCli(["scan", "--fail-on", "severe"]).status).toBe(2);
    expect(runCli(["scan", "--format", "json", "--format", "text"]).status).toBe(2);
  });

  test("--version and rules", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
    expect(runCli(["--version"]).stdout.trim()).toBe(pkg.version);
    const rules = runCli(["rules"]);
    expect(rules.status).toBe(0);
    expect(rules.stdout).toContain("trail.enabled");
  });

  test("--scope account turns account rules on", () => {
    const resource = JSON.parse(
      runCli(["scan", "examples/cloudformation/compliant.yaml", "--format", "json"]).stdout,
    );
    const account = JSON.parse(
      runCli(["scan", "examples/cloudformation/compliant.yaml", "--format", "json", "--scope", "account"])
        .stdout,
    );
    const status = (report: { findings: { ruleId: string; status: string }[] }) =>
      report.findings.find((f) => f.ruleId === "trail.enabled")?.status;
    expect(status(resource)).toBe("not-applicable");
    expect(status(account)).toBe("pass");
  });
});

describe("malformed inputs", { timeout: PROCESS_TIMEOUT_MS }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "trailguard-bad-"));
    cpSync(join(REPO_ROOT, "test/fixtures/cloudformation/malformed"), dir, { recursive: true });
    cpSync(join(REPO_ROOT, "examples/cloudformation/noncompliant.yaml"), join(dir, "zz-good.yaml"));
    // 50 MB that looks like a template: refused by size, not parsed.
    const line = "    Description: padding padding padding padding padding padding padding padding\n";
    writeFileSync(
      join(dir, "huge.yaml"),
      `Resources:\n  T:\n    Type: AWS::CloudTrail::Trail\n${line.repeat(Math.ceil((50 * 1024 * 1024) / line.length))}`,
    );
    writeFileSync(join(dir, "package.json"), '{"name": "not-a-template"}');
    mkdirSync(join(dir, "tf"));
    writeFileSync(
      join(dir, "tf", "broken.tf"),
      'resource "aws_cloudtrail" "t" {\n  name = "x"\n  is_multi_region_trail = \n}\n',
    );
    writeFileSync(
      join(dir, "tf", "good.tf"),
      'resource "aws_cloudtrail" "ok" {\n  name = "ok"\n  s3_bucket_name = "b"\n  is_multi_region_trail = false\n}\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("each bad file is an error naming it; the good template is still scanned; exit 2", () => {
    const run = runCli(["scan", ".", "--format", "json"], dir);
    expect(run.status).toBe(2);
    const report = JSON.parse(run.stdout);
    const errorFiles = new Set(
      report.errors
        .filter((e: { severity: string }) => e.severity === "error")
        .map((e: { file: string }) => e.file),
    );
    for (const file of [
      "alias-bomb.yaml",
      "bad-indent.yaml",
      "truncated.json",
      "unknown-tag.yaml",
      "huge.yaml",
    ]) {
      expect(errorFiles.has(file), `${file} in ${[...errorFiles].join(", ")}`).toBe(true);
    }
    for (const error of report.errors)
      if (error.file !== "huge.yaml") expect(error.line, error.message).toBeGreaterThan(0);
    expect(errorFiles.has("package.json")).toBe(false);
    expect(
      report.findings.some(
        (f: { resource: { address: string }; status: string }) =>
          f.resource.address.startsWith("zz-good.yaml#") && f.status === "fail",
      ),
    ).toBe(true);
  });

  test("errors are printed with file and line when no format goes to standard output", () => {
    const run = runCli(["scan", ".", "--format", "sarif", "--output", "out.sarif"], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/bad-indent\.yaml:\d+/);
    expect(run.stderr).toMatch(/huge\.yaml: file is 50\.\d MB/);
  });

  test("a file named on the command line that is not a template is an error", () => {
    const run = runCli(["scan", "package.json", "--format", "json"], dir);
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout).errors[0].message).toContain("not a recognized input");
  });
});
