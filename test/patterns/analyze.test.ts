import { describe, expect, test } from "vitest";
import { findContradiction, findTautology } from "../../src/patterns/index.js";
import { parseJson } from "./rewrite.js";

const conflictsOf = (pattern: string) =>
  findContradiction(parseJson(pattern))?.conflicts.map((c) => c.map((x) => x.text));

describe("conditions that can never hold together", () => {
  test.each([
    [
      "{ $.eventName = CreateTrail && $.eventName = DeleteTrail }",
      [["$.eventName = CreateTrail", "$.eventName = DeleteTrail"]],
    ],
    [
      '{ $.eventName = "CreateTrail" && $.eventName != "CreateTrail" }',
      [['$.eventName = "CreateTrail"', '$.eventName != "CreateTrail"']],
    ],
    ['{ $.x = "a*" && $.x != "a*" }', [['$.x = "a*"', '$.x != "a*"']]],
    ['{ $.x = "a*" && $.x = "b*" }', [['$.x = "a*"', '$.x = "b*"']]],
    ['{ $.x = "*a" && $.x = "*b" }', [['$.x = "*a"', '$.x = "*b"']]],
    ["{ $.x = 1 && $.x = 2 }", [["$.x = 1", "$.x = 2"]]],
    ["{ $.x > 2 && $.x < 2 }", [["$.x > 2", "$.x < 2"]]],
    ["{ $.x >= 3 && $.x <= 2.5 }", [["$.x >= 3", "$.x <= 2.5"]]],
    ["{ $.x IS TRUE && $.x IS FALSE }", [["$.x IS TRUE", "$.x IS FALSE"]]],
    ["{ $.x IS NULL && $.x NOT EXISTS }", [["$.x IS NULL", "$.x NOT EXISTS"]]],
    ['{ $.x NOT EXISTS && $.x != "a" }', [["$.x NOT EXISTS", '$.x != "a"']]],
    ["{ $.eventName NOT EXISTS }", [["$.eventName NOT EXISTS"]]],
    ["{ $.eventSource IS TRUE }", [["$.eventSource IS TRUE"]]],
    [
      "{ ($.eventName = A && $.eventName = B) || ($.eventName = C && $.eventSource = s3 && $.eventName = D) }",
      [
        ["$.eventName = A", "$.eventName = B"],
        ["$.eventName = C", "$.eventName = D"],
      ],
    ],
    [
      "{ $.eventName = A && ($.eventName = B || $.eventName = C) }",
      [
        ["$.eventName = A", "$.eventName = B"],
        ["$.eventName = A", "$.eventName = C"],
      ],
    ],
  ])("%s", (pattern, conflicts) => {
    expect(conflictsOf(pattern)).toEqual(conflicts);
  });

  test.each([
    '{ $.x = "ab*" && $.x = "*bc" }',
    '{ $.x = "Access*" && $.x = "*Denied" && $.x = "*ssDe*" }',
    '{ $.x = "a*" && $.x != "ab*" }',
    "{ $.x > 1 && $.x < 2 }",
    "{ $.x >= 2 && $.x <= 2 }",
    "{ $.x != 1 && $.x != 2 }",
    '{ $.x = "1" && $.x = 1 }',
    "{ $.eventName = A && $.eventName = B || $.eventName = C }",
    '{ $.x NOT EXISTS && $.y = "a" }',
  ])("%s can hold", (pattern) => {
    expect(findContradiction(parseJson(pattern))).toBeUndefined();
  });

  test.each([
    ["regular expressions", "{ $.x = %a% && $.x = %b% }"],
    ["wildcards inside a value", '{ $.x = "a*c" && $.x = "*b*" }'],
    ["a field and a field nested in it", "{ $.a NOT EXISTS && $.a.b = 1 }"],
  ])("no claim is made for %s", (_what, pattern) => {
    expect(findContradiction(parseJson(pattern))).toBeUndefined();
  });
});

describe("patterns that hold whatever the values", () => {
  test.each([
    ["{ $.eventName = * }", ["$.eventName"], true],
    ['{ $.eventName = "*" }', ["$.eventName"], true],
    ['{ $.eventName != "a" || $.eventName != "b" }', ["$.eventName"], true],
    ['{ $.x != "a" || $.x != "b" }', ["$.x"], false],
    ['{ $.x = "a" || $.x != "a" }', ["$.x"], false],
    ["{ $.x != 1 || $.x != 2 }", ["$.x"], false],
    ['{ ($.eventName = * && $.x != "a") || ($.x != "b") }', ["$.eventName", "$.x"], false],
  ])("%s", (pattern, fields, always) => {
    expect(findTautology(parseJson(pattern))).toEqual({ fields, always });
  });

  test.each([
    "{ $.x = * }",
    "{ $.x > 1 || $.x <= 1 }",
    "{ $.x IS TRUE || $.x IS FALSE }",
    '{ $.eventName != "a" || $.eventName = "b" }',
    '{ $.x NOT EXISTS || $.x = "a" }',
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }',
  ])("%s does not", (pattern) => {
    expect(findTautology(parseJson(pattern))).toBeUndefined();
  });
});
