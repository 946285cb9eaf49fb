import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import { REPO_ROOT } from "../support/paths.js";

/** Runs the command line in this process, from the sources, and captures what it prints. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let code = 0;
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await buildProgram((c) => {
      code = c;
    }).parseAsync(["node", "trailguard", ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { code, stdout, stderr };
}

describe("trailguard frameworks", () => {
  const cwd = process.cwd();
  beforeEach(() => process.chdir(REPO_ROOT));
  afterEach(() => process.chdir(cwd));

  test("lists every framework, its controls, the rules behind each and the status kinds", async () => {
    const { code, stdout } = await run(["frameworks"]);
    expect(code).toBe(0);
    for (const id of [
      "cis-aws-1.4.0",
      "cis-aws-3.0.0",
      "cis-aws-5.0.0",
      "cis-aws-6.0.0",
      "pci-dss-4.0",
      "hipaa",
      "soc2",
      "nist-800-53-r5",
      "aws-fsbp",
    ]) {
      expect(stdout).toMatch(new RegExp(`^${id.replaceAll(".", "\\.")} `, "m"));
    }
    expect(stdout).toMatch(
      /3\.10\s+fully\s+S3 object-level write events are logged\n\s+rules: trail\.s3-data-events-write/,
    );
    expect(stdout).toContain("not assessed");
  });

  test("--framework narrows the list; JSON and Markdown carry the same controls", async () => {
    const json = JSON.parse(
      (await run(["frameworks", "--framework", "pci-dss-4.0", "--format", "json"])).stdout,
    );
    expect(json.frameworks.map((f: { id: string }) => f.id)).toEqual(["pci-dss-4.0"]);
    expect(json.statuses.map((s: { status: string }) => s.status)).toEqual([
      "met",
      "not met",
      "partly",
      "unknown",
      "manual",
      "not assessed",
    ]);
    const markdown = (await run(["frameworks", "--framework", "hipaa", "--format", "markdown"])).stdout;
    expect(markdown).toContain(
      "| 164.312(c)(2) | Mechanism to corroborate that data was not altered | 164.312 |",
    );
  });

  test("an unknown framework is an error, exit 2", async () => {
    const { code, stderr } = await run(["frameworks", "--framework", "iso-27001"]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown framework "iso-27001"');
  });
});

describe("trailguard scan --framework", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-framework-cli-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("adds the compliance section; --format html writes the report file", async () => {
    const html = join(dir, "report.html");
    const { code, stdout } = await run([
      "scan",
      join(REPO_ROOT, "examples/cloudformation/noncompliant.yaml"),
      "--scope",
      "account",
      "--framework",
      "cis-aws-1.4.0",
      "--format",
      "html",
      "--output",
      html,
      "--format",
      "text",
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /not met\s+3\.10\s+S3 object-level write events are logged\n\s+fails: trail\.s3-data-events-write/,
    );
    expect(readFileSync(html, "utf8")).toContain("CIS Amazon Web Services Foundations Benchmark v1.4.0");
  });

  test("an unknown framework is an input error: exit 2, the scan still reports", async () => {
    const { code, stdout } = await run([
      "scan",
      join(REPO_ROOT, "examples/cloudformation/compliant.yaml"),
      "--framework",
      "nope",
    ]);
    expect(code).toBe(2);
    expect(stdout).toContain("--framework nope is not a loaded framework");
  });
});
