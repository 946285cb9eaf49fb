import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../support/paths.js";
import { PROCESS_TIMEOUT_MS } from "../support/timeouts.js";

/** Parts of the bundle that only some runs need, each known by a string only its code holds. */
const PARTS = {
  "AWS SDK": ["CloudTrail_20131101", "aws-sdk-js"],
  "YAML parser": ["YAMLParseError"],
  "CEL engine": ["cel.expr.SourceInfo"],
  "Terraform reader": ["tree-sitter-terraform.wasm"],
} as const;
type Part = keyof typeof PARTS;

/**
 * Node built-ins that take long to load and that no start-up needs (commander's executable subcommands aside).
 * node:net is not among them: standard output is a socket when it is a pipe, as here.
 */
const HEAVY_BUILTINS = ["crypto", "child_process", "http", "https", "zlib"];

const scratch = mkdtempSync(join(tmpdir(), "trailguard-start-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the built CLI and tells which bundle parts and heavy built-ins it loaded. */
function loadsOf(args: string[]): { status: number | null; parts: Part[]; builtins: string[] } {
  const record = join(scratch, `loads-${Math.random().toString(36).slice(2)}.txt`);
  const preload = fileURLToPath(new URL("../support/record-loads.mjs", import.meta.url));
  const result = spawnSync(process.execPath, ["--import", preload, join(REPO_ROOT, "dist/cli.js"), ...args], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, RECORD_LOADS_FILE: record, NO_COLOR: "1" },
    timeout: PROCESS_TIMEOUT_MS,
  });
  if (result.error) throw result.error;
  const lines = readFileSync(record, "utf8").split("\n");
  const files = lines
    .filter((l) => l.startsWith("url file:"))
    .map((l) => readFileSync(fileURLToPath(l.slice(4)), "utf8"));
  expect(files.length, "the recording saw the program's modules").toBeGreaterThan(1);
  const parts = (Object.keys(PARTS) as Part[]).filter((part) =>
    files.some((text) => PARTS[part].some((marker) => text.includes(marker))),
  );
  const builtins = lines
    .filter((l) => l.startsWith("builtin "))
    .map((l) => l.slice("builtin ".length))
    .filter((name) => HEAVY_BUILTINS.includes(name));
  return { status: result.status, parts, builtins };
}

describe("what the CLI loads at start", () => {
  test.each([["--version"], ["--help"], ["scan", "--help"]])(
    "`trailguard %s` loads neither the scan's parts nor heavy built-ins",
    (...args) => {
      const run = loadsOf(args);
      expect(run.status).toBe(0);
      expect(run.parts).toEqual([]);
      expect(run.builtins).toEqual([]);
    },
    PROCESS_TIMEOUT_MS,
  );

  test(
    "a scan of a CloudFormation template loads neither the Terraform reader nor the AWS SDK",
    () => {
      const run = loadsOf([
        "scan",
        "examples/cloudformation/compliant.yaml",
        "--format",
        "json",
        "--output",
        join(scratch, "one.json"),
      ]);
      expect(run.status).toBe(0);
      expect(run.parts).toEqual(["YAML parser", "CEL engine"]);
      expect(run.builtins).not.toContain("child_process");
    },
    PROCESS_TIMEOUT_MS,
  );

  test(
    "the markers find each part: a scan of Terraform and CloudFormation loads the YAML parser, CEL and the Terraform reader",
    () => {
      const run = loadsOf([
        "scan",
        "examples/terraform/compliant",
        "examples/cloudformation/compliant.yaml",
        "--format",
        "json",
        "--output",
        join(scratch, "both.json"),
      ]);
      expect(run.status).toBe(0);
      expect(run.parts).toEqual(["YAML parser", "CEL engine", "Terraform reader"]);
    },
    PROCESS_TIMEOUT_MS,
  );
});
