import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, test } from "vitest";
import { exitCode, scan, settingsOf } from "../../src/scan/index.js";
import { edits, fixture, fuzzParams, fuzzTimeout, mutate } from "./support.js";

const RUNS = 6;
const SCOPES = ["trail", "bucket", "key", "log-group", "account"];
const FIELDS = [
  "trail.isLogging",
  "trail.name",
  "trail.eventSelectors",
  "trail.advancedEventSelectors",
  "trail.kmsKeyId",
  "bucket.policy",
  "bucket.policy.statements",
  "bucket.lifecycleRules",
  "bucket.name",
  "account.trails",
  "account.buckets",
  "account.cisMonitoring",
  "key",
  "nope.missing",
];
const LITERALS = [
  "true",
  "false",
  "null",
  "0",
  "1",
  "-1",
  "9223372036854775807",
  "2.5",
  "'a'",
  '"*"',
  "b'x'",
  "[]",
  "{}",
];

/** CEL of any shape over the names rules see: operators, macros, functions, literals of every type. */
const cel: fc.Arbitrary<string> = fc.letrec((tie) => ({
  e: fc.oneof(
    { depthSize: "small" },
    fc.constantFrom(...LITERALS),
    fc.constantFrom(...FIELDS),
    fc.string({ maxLength: 5 }).map((s) => JSON.stringify(s)),
    fc
      .tuple(
        tie("e"),
        fc.constantFrom("==", "!=", "&&", "||", "+", "-", "*", "/", "%", "<", ">=", "in"),
        tie("e"),
      )
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom("!", "-"), tie("e")).map(([op, a]) => `${op}${a}`),
    fc.tuple(tie("e"), tie("e"), tie("e")).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc
      .tuple(tie("e"), fc.constantFrom("exists", "all", "map", "filter", "exists_one"), tie("e"))
      .map(([list, macro, body]) => `${list}.${macro}(x, ${body})`),
    fc
      .tuple(
        fc.constantFrom(
          "size",
          "string",
          "int",
          "type",
          "globMatch",
          "matches",
          "startsWith",
          "contains",
          "lower",
        ),
        fc.array(tie("e"), { maxLength: 2 }),
      )
      .map(([f, args]) => `${f}(${args.join(", ")})`),
    fc
      .tuple(tie("e"), fc.constantFrom("size()", "startsWith('a')", "lower()", "name", "[0]", "['k']"))
      .map(([a, m]) => (m.startsWith("[") ? `${a}${m}` : `${a}.${m}`)),
    fc.array(tie("e"), { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
  ),
})).e;

const CONTROL = "trail.isLogging == true";

function pack(scope: string, assert: string, when: string | undefined): string {
  const rule = (id: string, s: string, a: string, w?: string) =>
    `  - id: ${id}\n    title: T\n    description: D\n    severity: low\n    scope: ${s}\n${w === undefined ? "" : `    when: ${JSON.stringify(w)}\n`}    assert: ${JSON.stringify(a)}\n    remediation: R\n`;
  return `pack: {id: fuzz, title: Fuzz}\nrules:\n${rule("fuzz.control", "trail", CONTROL)}${rule("fuzz.x", scope, assert, when)}`;
}

describe("fuzz: CEL of custom packs", () => {
  const base = mkdtempSync(join(tmpdir(), "trailguard-fuzz-cel-"));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const template = fixture("examples/cloudformation/noncompliant.yaml");
  let n = 0;

  /** Scans the noncompliant example with only the fuzzed pack loaded (an empty built-in folder keeps it fast). */
  const scanWith = async (packText: string) => {
    const cwd = join(base, String(n++));
    mkdirSync(join(cwd, "policies", "packs"), { recursive: true });
    writeFileSync(join(cwd, ".git"), "");
    writeFileSync(join(cwd, "template.yaml"), template);
    writeFileSync(join(cwd, "fuzz.yaml"), packText);
    const outcome = await scan({
      paths: ["template.yaml"],
      cwd,
      scope: "account",
      policiesDir: join(cwd, "policies"),
      packs: ["fuzz.yaml"],
    });
    rmSync(cwd, { recursive: true, force: true });
    return { outcome, exit: exitCode(outcome, settingsOf({}, undefined)) };
  };

  let control: string[] = [];
  const expectContained = async (packText: string) => {
    const { outcome, exit } = await scanWith(packText);
    expect([0, 1, 2]).toContain(exit);
    const statuses = (id: string) => outcome.findings.filter((f) => f.ruleId === id).map((f) => f.status);
    const packErrors = outcome.errors.filter((e) => e.file === "fuzz.yaml" && e.severity === "error");
    // A broken rule never takes its neighbour in the pack down, unless the pack is refused as a whole (it does not
    // match the pack schema), with the reason.
    const refused = !outcome.rules.some((r) => r.pack === "fuzz");
    if (refused) expect(packErrors.map((e) => e.code)).toContain("pack-invalid");
    else expect(statuses("fuzz.control")).toEqual(control);
    for (const e of packErrors) expect(e.line).toBeGreaterThan(0);
    if (!outcome.rules.some((r) => r.id === "fuzz.x")) expect(packErrors).not.toEqual([]);
    for (const status of statuses("fuzz.x"))
      expect(["pass", "fail", "unknown", "not-applicable", "error"]).toContain(status);
    if (statuses("fuzz.x").includes("error") || packErrors.length > 0) expect(exit).toBe(2);
    expect(() => JSON.stringify(outcome.findings)).not.toThrow();
  };

  test("the control rule alone", async () => {
    const { outcome } = await scanWith(pack("trail", "true", undefined));
    control = outcome.findings.filter((f) => f.ruleId === "fuzz.control").map((f) => f.status);
    expect(control.length).toBeGreaterThan(0);
  });

  test(
    "generated expressions as assert and when",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...SCOPES),
          cel,
          fc.option(cel, { nil: undefined }),
          async (scope, a, w) => {
            await expectContained(pack(scope, a, w));
          },
        ),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  const CORE = [
    ...fixture("policies/packs/cloudtrail-core.yaml").matchAll(/^ {4}assert: >-\n((?: {6}.*\n)+)/gm),
  ].map((m) => (m[1] as string).replace(/\s+/g, " ").trim());

  test("the core pack's expressions are there to mutate", () => {
    expect(CORE.length).toBeGreaterThan(5);
  });

  test(
    "the core pack's expressions with byte and token edits",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...CORE),
          edits,
          fc.constantFrom(...SCOPES),
          async (expr, list, scope) => {
            await expectContained(pack(scope, mutate(expr, list), undefined));
          },
        ),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  test(
    "a pack file with byte, line and token edits",
    async () => {
      await fc.assert(
        fc.asyncProperty(edits, async (list) => {
          const { outcome, exit } = await scanWith(
            mutate(pack("trail", "trail.name.startsWith('a')", undefined), list),
          );
          expect([0, 1, 2]).toContain(exit);
          for (const e of outcome.errors.filter((x) => x.file === "fuzz.yaml"))
            expect(e.line).toBeGreaterThan(0);
          if (outcome.errors.some((e) => e.severity === "error")) expect(exit).toBe(2);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );
});
