import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
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
  "HCL parser": ["ts_parser_new"],
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
function loadsOf(args: string[]): {
  status: number | null;
  stdout: string;
  files: string[];
  parts: Part[];
  builtins: string[];
} {
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
  return { status: result.status, stdout: result.stdout, files, parts, builtins };
}

describe("what the CLI loads at start", () => {
  test.each(["--version", "--help", "scan --help"])(
    "`trailguard %s` loads neither the scan's parts nor heavy built-ins",
    (command) => {
      const run = loadsOf(command.split(" "));
      expect(run.status).toBe(0);
      expect(run.parts).toEqual([]);
      expect(run.builtins).toEqual([]);
    },
    PROCESS_TIMEOUT_MS,
  );

  test.each(["--version", "-v"])(
    "`trailguard %s` is answered before the command line is built, and prints the package's version",
    (flag) => {
      const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
      const run = loadsOf([flag]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${pkg.version}\n`);
      // The program's description is part of the command line's definition (src/cli/program.ts).
      expect(run.files.some((text) => text.includes("Compliance-as-code checks for AWS CloudTrail"))).toBe(
        false,
      );
      expect(loadsOf(["--help"]).stdout).toMatch(/^ {2}-v, --version +output the version number$/m);
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
    "a scan of a JSON template reads it without loading the HCL parser, which only `.tf` files need",
    () => {
      const template = join(scratch, "trail.template.json");
      writeFileSync(
        template,
        JSON.stringify({
          AWSTemplateFormatVersion: "2010-09-09",
          Resources: {
            Trail: {
              Type: "AWS::CloudTrail::Trail",
              Properties: { IsLogging: true, S3BucketName: "audit-logs", IsMultiRegionTrail: true },
            },
          },
        }),
      );
      const run = loadsOf(["scan", template, "--format", "json", "--output", join(scratch, "json.json")]);
      expect(run.status).toBe(1);
      // The Terraform reader looks at JSON files for plans.
      expect(run.parts).toEqual(["YAML parser", "CEL engine", "Terraform reader"]);
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
      expect(run.parts).toEqual(["YAML parser", "CEL engine", "Terraform reader", "HCL parser"]);
    },
    PROCESS_TIMEOUT_MS,
  );
});

describe("the CLI's compile cache", () => {
  // Node 22.1 and later can keep V8's compiled code between runs (module.enableCompileCache); Node 20 cannot.
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  const nodeHasCache = major > 22 || (major === 22 && minor >= 1);

  test(
    `is kept in the temporary folder where Node can keep one (this Node: ${nodeHasCache ? "yes" : "no"})`,
    () => {
      const tmp = join(scratch, "tmp");
      mkdirSync(tmp, { recursive: true });
      const env: Record<string, string | undefined> = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
      delete env.NODE_COMPILE_CACHE;
      delete env.NODE_DISABLE_COMPILE_CACHE;
      const result = spawnSync(process.execPath, [join(REPO_ROOT, "dist/cli.js"), "--help"], {
        encoding: "utf8",
        env,
        timeout: PROCESS_TIMEOUT_MS,
      });
      expect(result.status).toBe(0);
      expect(result.stdout).toContain("Usage: trailguard");
      const cache = join(tmp, "node-compile-cache");
      const kept = existsSync(cache) ? readdirSync(cache, { recursive: true }).length : 0;
      expect(kept > 0).toBe(nodeHasCache);
    },
    PROCESS_TIMEOUT_MS,
  );
});
