import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { markdownText, terminalText } from "../../src/report/index.js";
import { REPO_ROOT } from "../support/paths.js";
import { runCli } from "./run-cli.js";

const NONCOMPLIANT = join(REPO_ROOT, "examples/cloudformation/noncompliant.yaml");

describe("report outputs", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-outputs-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the same file for two --output is a usage error, before anything is scanned", () => {
    const out = join(dir, "twice.json");
    const run = runCli(["scan", NONCOMPLIANT, "-f", "json", "-o", out, "-f", "sarif", "-o", out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/is given twice/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("an --output that is one of the inputs is refused and the input is left as it was", () => {
    const input = join(dir, "stack.yaml");
    copyFileSync(NONCOMPLIANT, input);
    const before = readFileSync(input, "utf8");
    const run = runCli(["scan", input, "-f", "json", "-o", input]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/is one of the inputs/);
    expect(readFileSync(input, "utf8")).toBe(before);
  });

  it.each([
    [
      "a parent that is a file",
      () => join(NONCOMPLIANT, "report.json"),
      /cannot write .*: a parent of the path is a file$/m,
    ],
    ["a directory", () => dir, /is a directory/],
  ])(
    "an unwritable --output (%s) is one line naming the path, exit 2, no stack trace",
    (_what, path, message) => {
      const run = runCli(["scan", NONCOMPLIANT, "-f", "json", "-o", path()]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    },
  );

  it("a report replaces the previous one in one step: no temporary file is left beside it", () => {
    const out = join(dir, "report.json");
    writeFileSync(out, "previous");
    expect(runCli(["scan", NONCOMPLIANT, "-f", "json", "-o", out]).status).toBe(1);
    expect(JSON.parse(readFileSync(out, "utf8")).summary.fail).toBeGreaterThan(0);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("-q never hides input errors: they go to standard error", () => {
    const folder = join(dir, "broken");
    mkdirSync(folder);
    writeFileSync(join(folder, "bad.yaml"), "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X: [\n");
    const run = runCli(["scan", folder, "-q"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/error\[syntax\]: .*bad\.yaml:\d+/);
  });

  it.each([
    ["the text report on standard output", [] as string[]],
    ["a JSON report on standard output", ["-f", "json"]],
    ["the text report in a file", ["-o", "report.txt"]],
  ])("an input error is printed once, and counted apart from warnings, with %s", (_name, args) => {
    const folder = join(dir, `once-${args.join("")}`);
    mkdirSync(join(folder, ".hidden"), { recursive: true });
    writeFileSync(join(folder, "bad.yaml"), "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  X: [\n");
    writeFileSync(join(folder, ".hidden", "t.yaml"), "Resources: {}\n");
    const run = runCli(["scan", ".", ...args], folder);
    expect(run.status).toBe(2);
    // The terminal shows each problem once (in the text report, else on standard error); a report file has its own.
    const json = args.includes("json");
    const terminal = json ? run.stderr : `${run.stdout}\n${run.stderr}`;
    expect(terminal.match(/bad\.yaml:\d+/g)).toHaveLength(1);
    expect(terminal.match(/\.hidden/g)).toHaveLength(1);
    const report = args.includes("-o") ? readFileSync(join(folder, "report.txt"), "utf8") : run.stdout;
    if (json) expect(JSON.parse(report).summary).toMatchObject({ inputErrors: 1, warnings: 1 });
    else {
      expect(report.match(/bad\.yaml:\d+/g)).toHaveLength(1);
      expect(report).toContain("1 input error, 1 warning");
    }
  });
});

describe("text from inputs reaching a reader", () => {
  it("terminal text loses escape sequences and cannot forge a line", () => {
    const hostile = "evil\u001b[2J\u001b]0;title\u0007name\nerror: forged.yaml:1: fake\r";
    const shown = terminalText(hostile);
    expect([...shown].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)).toBe(false);
    expect(shown).toBe("evilname\\nerror: forged.yaml:1: fake\\r");
  });

  it.each([
    ["[click](javascript:alert(1))", /[[\]]/],
    ["![img](https://evil.example/x.png)", /[[\]]|:\/\//],
    ["<script>alert(1)</script>", /[<>]/],
    ["ping @octocat and @org/team", /@/],
    ["see https://evil.example and www.evil.example", /https:|www\./],
    ["a | b | c", /(?<!\\)\|/],
    ["**bold** `code` ~~gone~~ #12", /[*`~]|#\d/],
  ])("markdown text: %s renders inert", (input, forbidden) => {
    const out = markdownText(input);
    expect(out.replace(/&#?\w+;/g, "")).not.toMatch(forbidden);
    expect(out).not.toMatch(/\n/);
  });

  it("a file named with Markdown stays inert in the CLI's markdown report", { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "trailguard-hostile-"));
    try {
      const name = "x](javascript:alert(1)) @octocat <b>.yaml";
      copyFileSync(NONCOMPLIANT, join(dir, name));
      const run = runCli(["scan", name, "-f", "markdown"], dir);
      expect(run.stdout).toContain("x&#93;(javascript:alert(1))");
      expect(run.stdout).not.toContain("](javascript:");
      expect(run.stdout).not.toContain("@octocat");
      expect(run.stdout).not.toContain("<b>");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
