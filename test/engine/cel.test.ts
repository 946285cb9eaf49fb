import { describe, expect, test } from "vitest";
import { compile, globMatch, keptGlobPatterns, prepare, withListAt } from "../../src/engine/cel.js";
import { unknown } from "../../src/model/index.js";

const run = (expr: string, bindings: Record<string, unknown>) => compile(expr).evaluate(prepare(bindings));

describe("trailguard's CEL functions", () => {
  test.each([
    ["globMatch('s3:*', 's3:GetObject')", true],
    ["globMatch('s3:Put*', 's3:GetObject')", false],
    ["globMatch('s3:?etObject', 's3:GetObject')", true],
    ["globMatch('arn:aws:s3:::logs/*', 'arn:aws:s3:::logs/AWSLogs/1/x.json.gz')", true],
    ["globMatch('a.b', 'axb')", false],
    ["anyGlobMatch(['kms:*', 's3:Get*'], 's3:GetObject')", true],
    ["anyGlobMatch([], 's3:GetObject')", false],
    ["'ABC'.lowerAscii() == 'abc'", true],
  ])("%s → %s", (expr, expected) => {
    expect(run(expr, {})).toEqual({ kind: "value", value: expected });
  });

  test("globMatch matches each pattern by its own text, however many patterns came before it", () => {
    // More patterns than are kept compiled, twice over: the second round matches patterns dropped in the first.
    const patterns = Array.from({ length: 600 }, (_, i) => `s3:?et${i}*`);
    for (let round = 0; round < 2; round++) {
      patterns.forEach((pattern, i) => {
        expect(globMatch(pattern, `s3:Get${i}Object`)).toBe(true);
        expect(globMatch(pattern, `s3:Put${i}Object`)).toBe(false);
        expect(globMatch(pattern, `s3:Get${i}`)).toBe(true);
      });
    }
    expect(keptGlobPatterns()).toBeLessThanOrEqual(256);
  });

  test("a long pattern from an input is matched but not kept compiled", () => {
    const before = keptGlobPatterns();
    const long = `arn:aws:s3:::${"x".repeat(5000)}*`;
    expect(globMatch(long, `arn:aws:s3:::${"x".repeat(5000)}/AWSLogs`)).toBe(true);
    expect(globMatch(long, "arn:aws:s3:::x")).toBe(false);
    expect(keptGlobPatterns()).toBe(before);
  });
});

describe("unknown inputs", () => {
  const t = {
    a: true,
    b: false,
    k: unknown("from Fn::ImportValue Shared"),
    list: [{ x: 1 }, { x: unknown("denied") }],
  };

  test.each([
    ["t.a || t.k == null", { kind: "value", value: true }],
    ["t.b && t.k == null", { kind: "value", value: false }],
    ["[{'y': 1}, {'y': 2}].exists(e, e.y == 2) || t.k == null", { kind: "value", value: true }],
  ])("%s is decided without the unknown", (expr, expected) => {
    expect(run(expr, { t })).toEqual(expected);
  });

  test.each(["t.k == null", "t.k != null", "t.a && t.k == 'x'", "!(t.k == null)", "t.k.startsWith('arn:')"])(
    "%s is unknown, naming t.k",
    (expr) => {
      const outcome = run(expr, { t });
      expect(outcome.kind).toBe("unknown");
    },
  );

  test("quantifiers: all() needs every element, exists() one known match", () => {
    expect(run("t.list.all(e, e.x == 1)", { t }).kind).toBe("unknown");
    expect(run("t.list.exists(e, e.x == 1)", { t })).toEqual({ kind: "value", value: true });
    expect(run("t.list.exists(e, e.x == 5)", { t }).kind).toBe("unknown");
  });

  test("a list with an unknown element is unknown as a whole: no quantifier passes on the known part", () => {
    const withUnknownElement = {
      principals: ["Service:cloudtrail.amazonaws.com", unknown("unreadable statement")],
    };
    expect(run("!('*' in p.principals)", { p: withUnknownElement }).kind).toBe("unknown");
    expect(
      run("p.principals.exists(x, x == 'Service:cloudtrail.amazonaws.com')", { p: withUnknownElement }).kind,
    ).toBe("unknown");
  });

  test("unknown inputs are recorded by their path, fields dotted and list items indexed", () => {
    const prepared = prepare({
      b: { policy: { statements: [{ effect: "Allow" }, { effect: unknown("from a parameter") }] } },
      k: unknown("imported"),
      l: [[1, unknown("missing")]],
    });
    expect(prepared.unknowns.entries.map((e) => e.path)).toEqual([
      "b.policy.statements[1].effect",
      "k",
      "l[0][1]",
      "l[0]",
      "l",
    ]);
    const outcome = compile("b.policy.statements.all(s, s.effect == 'Allow')").evaluate(prepared);
    expect(outcome).toEqual({ kind: "unknown", unknownIds: [0] });
  });

  test("has() is refused, as it would be false for an unknown field", () => {
    expect(() => compile("has(t.k)")).toThrow(/has\(\) is not supported/);
  });

  test("a mistake in a rule is an error, not unknown and not a pass", () => {
    expect(run("t.nosuchfield == 1", { t }).kind).toBe("error");
  });
});

describe("a list replaced in prepared bindings", () => {
  const bucket = {
    name: "logs",
    policy: {
      statements: [
        { effect: "Allow", principal: "*" },
        { effect: "Deny", principal: unknown("from a parameter") },
        unknown("a statement that cannot be read"),
      ],
      version: "2012-10-17",
    },
  };
  const replaced = (list: unknown[]) => ({
    bucket: { ...bucket, policy: { ...bucket.policy, statements: list } },
  });
  const expressions = [
    "bucket.policy.statements.exists(s, s.effect == 'Allow' && s.principal == '*')",
    "bucket.policy.statements.all(s, s.effect == 'Deny') && bucket.name == 'logs'",
    "size(bucket.policy.statements) == 1 && bucket.policy.version == '2012-10-17'",
  ];
  const statements = bucket.policy.statements;

  test.each(expressions)("%s: as the replaced view prepared anew", (source) => {
    const expr = compile(source);
    const prepared = prepare({ bucket });
    for (const list of [[], [statements[0]], [statements[1]], [statements[2]], statements]) {
      const outcome = expr.evaluate(withListAt(prepared, "bucket", ["policy", "statements"], list));
      const fresh = prepare(replaced(list));
      expect(outcome).toEqual(expr.evaluate(fresh));
      if (outcome.kind === "unknown") {
        const named = (ids: number[], table: typeof fresh.unknowns) => ids.map((id) => table.entries[id]);
        const again = withListAt(prepared, "bucket", ["policy", "statements"], list);
        const ids = (expr.evaluate(again) as { unknownIds: number[] }).unknownIds;
        expect(named(ids, again.unknowns)).toEqual(named(outcome.unknownIds, fresh.unknowns));
      }
    }
  });

  test("the bindings it was made from are left as they were", () => {
    const prepared = prepare({ bucket });
    const expr = compile("size(bucket.policy.statements)");
    const before = expr.evaluate(prepare({ bucket }));
    const one = withListAt(prepared, "bucket", ["policy", "statements"], [statements[0]]);
    expect(expr.evaluate(one)).toEqual({ kind: "value", value: 1n });
    expect(expr.evaluate(prepared)).toEqual(before);
  });
});
