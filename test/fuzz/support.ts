import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, expect } from "vitest";
import { type LoadedPolicies, loadPolicies } from "../../src/engine/index.js";
import type { Finding } from "../../src/model/index.js";
import { FORMATS, reporters } from "../../src/report/index.js";
import { exitCode, reportOf, type ScanOptions, scan, settingsOf } from "../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";
import { POLICIES_DIR, REPO_ROOT } from "../support/paths.js";

/**
 * How much to fuzz. `npm test` runs a few cases per property with a fixed seed, so a failure is reproducible and the
 * suite stays fast; `npm run fuzz` (scripts/fuzz.mjs) sets FUZZ_RUNS and FUZZ_SEED for a long run.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20260301);

export function fuzzParams(runs: number): fc.Parameters<unknown> {
  const override = Number(process.env.FUZZ_RUNS);
  return { seed: FUZZ_SEED, numRuns: Number.isFinite(override) && override > 0 ? override : runs };
}

/** Time per property: generous for a long run, which sets FUZZ_RUNS (the cases, not the clock, bound the work). */
export function fuzzTimeout(runs: number): number {
  const override = Number(process.env.FUZZ_RUNS);
  return 30_000 + 2_000 * (Number.isFinite(override) && override > runs ? override : runs);
}

export function fixture(path: string): string {
  return readFileSync(join(REPO_ROOT, path), "utf8");
}

// ------------------------------------------------------------------ mutations of real inputs

/** Characters that mean something to YAML, JSON or HCL: the edits most likely to reach a parser's corners. */
const SYNTAX = [..."{}[]():,;\"'`\n\t #!&*|>-=$%@?\\/.<+~^"];

const syntaxChar = fc.constantFrom(...SYNTAX);
const anyChar = fc.oneof(
  syntaxChar,
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  fc.constantFrom("\u0000", "\u001b[31m", "\ufeff", "\r", "\u2028", "é", "😀"),
);

/** One edit of a text; positions are fractions of its length, so the same edit applies to any text. */
export type Edit =
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; length: number }
  | { kind: "replace"; at: number; text: string }
  | { kind: "drop-line" | "duplicate-line"; at: number }
  | { kind: "swap-lines"; at: number; other: number }
  | { kind: "indent"; at: number; by: number }
  | { kind: "truncate"; at: number }
  | { kind: "swap-tokens"; at: number; other: number }
  | { kind: "replace-token"; at: number; token: string };

const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

/** Words and values that change what a valid input means rather than whether it parses. */
const MEANINGFUL = [
  "true",
  "false",
  "null",
  "0",
  "-1",
  "1e309",
  "99999999999",
  '""',
  "[]",
  "{}",
  "*",
  "Enabled",
  "Suspended",
  "!Ref",
  "!GetAtt",
  "!Sub",
  "Condition",
  "count",
  "for_each",
  "var.x",
  "local.y",
  "each.key",
  "${",
  "<<EOT",
  "&a",
  "*a",
  "---",
];

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    at: fraction,
    text: fc.string({ unit: anyChar, maxLength: 6 }),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({
    kind: fc.constant("replace" as const),
    at: fraction,
    text: fc.string({ unit: anyChar, maxLength: 3 }),
  }),
  fc.record({ kind: fc.constantFrom("drop-line" as const, "duplicate-line" as const), at: fraction }),
  fc.record({ kind: fc.constant("swap-lines" as const), at: fraction, other: fraction }),
  fc.record({ kind: fc.constant("indent" as const), at: fraction, by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fraction }),
  fc.record({ kind: fc.constant("swap-tokens" as const), at: fraction, other: fraction }),
  fc.record({
    kind: fc.constant("replace-token" as const),
    at: fraction,
    token: fc.constantFrom(...MEANINGFUL),
  }),
);

export const edits = fc.array(edit, { minLength: 1, maxLength: 4 });

const TOKEN = /[A-Za-z0-9_.:-]+|"(?:[^"\\\n]|\\.)*"/g;

export function applyEdit(text: string, e: Edit): string {
  const pos = (f: number, n: number) => Math.min(n - 1, Math.floor(f * n));
  switch (e.kind) {
    case "insert": {
      const i = Math.floor(e.at * (text.length + 1));
      return text.slice(0, i) + e.text + text.slice(i);
    }
    case "delete": {
      const i = Math.floor(e.at * text.length);
      return text.slice(0, i) + text.slice(i + e.length);
    }
    case "replace": {
      if (text.length === 0) return e.text;
      const i = pos(e.at, text.length);
      return text.slice(0, i) + e.text + text.slice(i + 1);
    }
    case "truncate":
      return text.slice(0, Math.floor(e.at * text.length));
    default:
      break;
  }
  if (e.kind === "swap-tokens" || e.kind === "replace-token") {
    const tokens = [...text.matchAll(TOKEN)];
    if (tokens.length === 0) return text;
    const a = tokens[pos(e.at, tokens.length)] as RegExpMatchArray;
    const replacement =
      e.kind === "replace-token" ? e.token : (tokens[pos(e.other, tokens.length)] as RegExpMatchArray)[0];
    const start = a.index ?? 0;
    return text.slice(0, start) + replacement + text.slice(start + a[0].length);
  }
  const lines = text.split("\n");
  if (lines.length === 0) return text;
  const i = pos(e.at, lines.length);
  const line = lines[i] ?? "";
  switch (e.kind) {
    case "drop-line":
      lines.splice(i, 1);
      break;
    case "duplicate-line":
      lines.splice(i, 0, line);
      break;
    case "swap-lines": {
      const j = pos(e.other, lines.length);
      lines[i] = lines[j] ?? "";
      lines[j] = line;
      break;
    }
    case "indent":
      lines[i] = e.by >= 0 ? " ".repeat(e.by) + line : line.replace(new RegExp(`^ {0,${-e.by}}`), "");
      break;
  }
  return lines.join("\n");
}

export function mutate(text: string, list: Edit[]): string {
  return list.reduce(applyEdit, text);
}

// ------------------------------------------------------------------ scanning and the properties

/**
 * A valid template scanned beside every fuzzed input, with names no mutation of the fixtures can produce: its
 * verdicts must not change whatever the other input holds.
 */
export const NEIGHBOUR = {
  path: "neighbour/audit.yaml",
  text: `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ZzNeighbourLogs:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: zz-neighbour-fuzz-logs
      VersioningConfiguration:
        Status: Enabled
  ZzNeighbourTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      TrailName: zz-neighbour-fuzz-trail
      IsLogging: true
      IsMultiRegionTrail: true
      EnableLogFileValidation: false
      S3BucketName: !Ref ZzNeighbourLogs
`,
};

export interface Scanned {
  outcome: Awaited<ReturnType<typeof scan>>;
  exit: number;
}

/** The built-in packs, loaded once: loading them costs more than scanning a small input. */
let policies: LoadedPolicies | undefined;

export function builtInPolicies(): LoadedPolicies {
  policies ??= loadPolicies(POLICIES_DIR);
  return policies;
}

/** A folder for one fuzz file's cases, removed at the end. */
export function fuzzWorkspace(): (
  files: Record<string, string>,
  extra?: Partial<ScanOptions>,
) => Promise<Scanned> {
  const base = mkdtempSync(join(tmpdir(), "trailguard-fuzz-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  let n = 0;
  return async (files, extra = {}) => {
    const cwd = join(base, String(n++));
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(cwd, path)), { recursive: true });
      writeFileSync(join(cwd, path), text);
    }
    writeFileSync(join(cwd, ".git"), "");
    const outcome = await scan({
      paths: ["."],
      cwd,
      scope: "resource",
      ...BUILT_IN_POLICIES,
      policies: builtInPolicies(),
      now: new Date("2026-03-01T12:00:00Z"),
      ...extra,
    });
    const result = { outcome, exit: exitCode(outcome, settingsOf({}, undefined)) };
    rmSync(cwd, { recursive: true, force: true });
    return result;
  };
}

const key = (f: Finding) => `${f.ruleId} ${f.resource.id}`;

/** The neighbour's findings by rule and resource. */
export function neighbourFindings(findings: Finding[]): Map<string, Finding> {
  // Account rules are left out: the other inputs of the scan are part of the account they judge.
  return new Map(
    findings.filter((f) => f.resource.id.startsWith(`${NEIGHBOUR.path}#`)).map((f) => [key(f), f] as const),
  );
}

/**
 * The neighbour is judged as when alone, except that a verdict may become unknown because of a fuzzed file (a
 * bucket policy there whose bucket cannot be told may be the neighbour's): then the reason names that file.
 */
function expectNeighbourJudged(findings: Finding[], alone: Map<string, Finding>, fuzzed: string[]): void {
  const now = neighbourFindings(findings);
  expect([...now.keys()].sort()).toEqual([...alone.keys()].sort());
  for (const [k, before] of alone) {
    const after = now.get(k) as Finding;
    if (after.status === before.status) continue;
    expect({ finding: k, status: after.status }).toEqual({ finding: k, status: "unknown" });
    const why = JSON.stringify(after.unknowns);
    expect(
      fuzzed.some((file) => why.includes(file)),
      `${k}: ${why}`,
    ).toBe(true);
  }
}

/**
 * What every scan of a fuzzed input must hold: it finished (no exception, no reader failure), the exit code is one
 * of the contract's, the neighbour was judged as when alone, and a file with an input error gave no pass.
 */
export function expectSound(scanned: Scanned, neighbour: Map<string, Finding>, fuzzed: string[]): void {
  const { outcome, exit } = scanned;
  expect([0, 1, 2]).toContain(exit);
  // Every report renders (a value of a type no report expects must not crash one).
  const report = reportOf(outcome, "0.0.0-fuzz", new Date("2026-03-01T12:00:00Z"));
  for (const format of FORMATS) {
    expect(
      reporters[format](report, { includePassed: true, color: false, automationId: "fuzz/" }),
    ).toBeTypeOf("string");
  }
  expect(outcome.errors.filter((e) => e.code === "reader-failure")).toEqual([]);
  if (outcome.errors.some((e) => e.severity === "error")) expect(exit).toBe(2);
  expectNeighbourJudged(outcome.findings, neighbour, fuzzed);
  const broken = new Set(
    outcome.errors.flatMap((e) =>
      e.severity === "error" && e.file && fuzzed.includes(e.file) ? [e.file] : [],
    ),
  );
  const passes = outcome.findings.filter(
    (f) => f.status === "pass" && f.location !== undefined && broken.has(f.location.file),
  );
  expect(passes.map((f) => `${f.ruleId} ${f.location?.file}:${f.location?.line}`)).toEqual([]);
}
