import { describe, expect, test } from "vitest";
import { compile, prepare } from "../../src/engine/cel.js";
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

  test("has() is refused, as it would be false for an unknown field", () => {
    expect(() => compile("has(t.k)")).toThrow(/has\(\) is not supported/);
  });

  test("a mistake in a rule is an error, not unknown and not a pass", () => {
    expect(run("t.nosuchfield == 1", { t }).kind).toBe("error");
  });
});
