import { describe, expect, test } from "vitest";
import {
  type Condition,
  type FilterPattern,
  type JsonExpression,
  type ParsedPattern,
  parseFilterPattern,
} from "../../src/patterns/index.js";

function parsed(text: string): ParsedPattern {
  const result = parseFilterPattern(text);
  if (!result.ok) throw new Error(`unexpected syntax error: ${result.error.message}`);
  return result.parsed;
}

function json(text: string): JsonExpression {
  const { pattern } = parsed(text);
  if (pattern.kind !== "json") throw new Error(`not a JSON pattern: ${pattern.kind}`);
  return pattern.expr;
}

function condition(text: string): Condition {
  const expr = json(text);
  if (expr.type === "and" || expr.type === "or") throw new Error("not a single condition");
  return expr;
}

/** The shape of an expression: conditions by their text, and/or as nested arrays. */
function shape(expr: JsonExpression): unknown {
  return expr.type === "and" || expr.type === "or" ? { [expr.type]: expr.items.map(shape) } : expr.text;
}

describe("JSON patterns: conditions", () => {
  test.each([
    ['{ $.eventName = "ConsoleLogin" }', "=", { kind: "string", value: "ConsoleLogin", quoted: true }],
    [
      "{ $.eventSource = kms.amazonaws.com }",
      "=",
      { kind: "string", value: "kms.amazonaws.com", quoted: false },
    ],
    ['{ $.errorCode != "AccessDenied*" }', "!=", { kind: "string", value: "AccessDenied*", quoted: true }],
    [
      "{ $.errorCode = *UnauthorizedOperation }",
      "=",
      { kind: "string", value: "*UnauthorizedOperation", quoted: false },
    ],
    ["{ $.sourceIPAddress != 123.123.* }", "!=", { kind: "string", value: "123.123.*", quoted: false }],
    ["{ $.latency >= 500 }", ">=", { kind: "number", value: 500, raw: "500" }],
    ["{ $.latency < -1.5 }", "<", { kind: "number", value: -1.5, raw: "-1.5" }],
    ["{ $.latency <= 0 }", "<=", { kind: "number", value: 0, raw: "0" }],
    ["{ $.latency > 10 }", ">", { kind: "number", value: 10, raw: "10" }],
    ["{ $.code = 404 }", "=", { kind: "number", value: 404, raw: "404" }],
    ["{ $.code != 404 }", "!=", { kind: "number", value: 404, raw: "404" }],
    ["{ $.message = %bind: address% }", "=", { kind: "regex", source: "bind: address" }],
    [
      '{ $.message = "say \\"hi\\" \\\\ now" }',
      "=",
      { kind: "string", value: 'say "hi" \\ now', quoted: true },
    ],
  ])("%s", (text, op, value) => {
    const c = condition(text);
    expect(c.type).toBe("compare");
    if (c.type !== "compare") return;
    expect(c.op).toBe(op);
    expect(c.value).toEqual(value);
  });

  test.each([
    ["{ $.flag IS TRUE }", "true"],
    ["{ $.flag IS FALSE }", "false"],
    ["{ $.thing IS NULL }", "null"],
    ["{ $.userIdentity.invokedBy NOT EXISTS }", "not-exists"],
  ])("%s", (text, kind) => {
    const c = condition(text);
    expect(c).toMatchObject({ type: "test", test: kind });
  });

  test("selectors: nested fields and array indexes", () => {
    expect(condition('{ $.a.b[0].c = "x" }').selector).toEqual({
      path: ["a", "b", 0, "c"],
      text: "$.a.b[0].c",
    });
    expect(condition("{ $.list[12] = 1 }").selector.path).toEqual(["list", 12]);
    expect(condition("{ $.x-y.z_1 = 1 }").selector.path).toEqual(["x-y", "z_1"]);
  });

  test("spacing around operators and braces does not matter", () => {
    const tight = condition('{$.errorCode="AccessDenied*"}');
    const wide = condition('{   $.errorCode   =   "AccessDenied*"   }');
    expect(tight.selector).toEqual(wide.selector);
    expect(tight.type === "compare" && wide.type === "compare" && tight.value).toEqual(
      wide.type === "compare" && wide.value,
    );
  });

  test("a condition keeps its text and position", () => {
    const c = condition('{ ($.eventName = "CreateTrail") }');
    expect(c.text).toBe('$.eventName = "CreateTrail"');
    expect(c.at).toMatchObject({ offset: 3, line: 1, column: 4 });
  });
});

describe("JSON patterns: && || and parentheses", () => {
  test("&& binds tighter than || by default", () => {
    expect(shape(json("{ $.a = 1 || $.b = 2 && $.c = 3 }"))).toEqual({
      or: ["$.a = 1", { and: ["$.b = 2", "$.c = 3"] }],
    });
  });

  test("parentheses group", () => {
    expect(shape(json("{ ($.a = 1 || $.b = 2) && $.c = 3 }"))).toEqual({
      and: [{ or: ["$.a = 1", "$.b = 2"] }, "$.c = 3"],
    });
    expect(shape(json("{ ((($.a = 1))) }"))).toBe("$.a = 1");
  });

  test("chains of one operator flatten", () => {
    expect(shape(json("{ $.a = 1 || ($.b = 2 || $.c = 3) || $.d = 4 }"))).toEqual({
      or: ["$.a = 1", "$.b = 2", "$.c = 3", "$.d = 4"],
    });
  });

  test("a chain mixing && and || without parentheses is read both ways", () => {
    const p = parsed("{ $.a = 1 || $.b = 2 && $.c = 3 }");
    expect(p.mixedAt?.column).toBe(3);
    const other = p.otherReading as Extract<FilterPattern, { kind: "json" }>;
    expect(shape(other.expr)).toEqual({ and: [{ or: ["$.a = 1", "$.b = 2"] }, "$.c = 3"] });
    expect(parsed("{ ($.a = 1 || $.b = 2) && $.c = 3 }").mixedAt).toBeUndefined();
  });
});

describe("other kinds of pattern", () => {
  test.each<[string, FilterPattern["kind"]]>([
    ["", "all"],
    ["   ", "all"],
    ["ERROR", "terms"],
    ['" "', "terms"],
    ["%AUTH[A-Z]+%", "regex"],
    ["[ip, user, ..., status_code = 404, size]", "delimited"],
  ])("%j is %s", (text, kind) => {
    expect(parsed(text).pattern.kind).toBe(kind);
  });

  test("terms: all, any (?) and excluded (-), quoted or bare", () => {
    expect(parsed('ERROR ?WARN ?"time out" -"Exiting now" -debug').pattern).toEqual({
      kind: "terms",
      terms: [
        { mode: "all", value: "ERROR", text: "ERROR" },
        { mode: "any", value: "WARN", text: "?WARN" },
        { mode: "any", value: "time out", text: '?"time out"' },
        { mode: "exclude", value: "Exiting now", text: '-"Exiting now"' },
        { mode: "exclude", value: "debug", text: "-debug" },
      ],
    });
  });
});

describe("syntax errors name the position and what was expected", () => {
  test.each([
    ["{ $.eventName = }", 17, ["value"]],
    ["{ $.eventName == CreateTrail }", 16, ["value"]],
    ["{ $.eventName = CreateTrail", 28, ["}"]],
    ["{ $.eventName = CreateTrail ) }", 29, ["}"]],
    ["{ eventName = CreateTrail }", 3, ["property selector ($.field)"]],
    ["{ $.latency > abc }", 15, ["number"]],
    ["{ $.flag IS MAYBE }", 13, ["TRUE", "FALSE", "NULL"]],
    ["{ ($.a = 1 || $.b = 2 }", 23, [")"]],
    ["{ $.a = 1 & $.b = 2 }", 11, ["}"]],
  ])("%s → column %i", (text, column, expected) => {
    const result = parseFilterPattern(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.column).toBe(column);
    expect(result.error.offset).toBe(column - 1);
    expect(result.error.line).toBe(1);
    for (const e of expected) expect(result.error.expected.join(" ")).toContain(e);
    expect(result.error.message).toMatch(/^expected .*(at column \d+, found|at the end of the pattern)/);
  });

  test("an unterminated quoted string says so, where it starts", () => {
    const result = parseFilterPattern('{ $.eventName = "open }');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ column: 17, expected: [] });
    expect(result.error.message).toBe('unterminated quoted string (no closing ") at column 17');
  });

  test("the line is counted in multi-line patterns", () => {
    const result = parseFilterPattern('{\n  $.eventName = "CreateTrail" ||\n  $.eventName =\n}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ line: 4, column: 1 });
  });

  test.each([
    ["{ $.a = 1 && $.message = %[a-z% }", 14, "missing closing ]"],
    ["{ $.a = 1 && $.message = %(a|b)% }", 14, "( and ) are not supported"],
    ["  %caf\u00e9%", 3, "only ASCII characters are supported"],
    ["{ $.a = %a% && $.b = %b% && $.c = %c% }", 29, "at most 2 regular expressions"],
  ])("a regular expression CloudWatch or RE2 refuses: %s", (pattern, column, why) => {
    const result = parseFilterPattern(pattern);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ column, expected: ["regular expression"] });
    expect(result.error.message).toContain(why);
  });
});
