import { describe, expect, test } from "vitest";
import { compile, globMatch, prepare } from "../../src/engine/cel.js";
import { EVALUATION_BUDGET } from "../../src/engine/cel-budget.js";

const run = (source: string, bindings: Record<string, unknown> = {}) =>
  compile(source).evaluate(prepare(bindings));

const digits = "[0,1,2,3,4,5,6,7,8,9]";
/** `depth` nested maps over ten elements: 10^depth iterations. */
const nestedMaps = (depth: number, list = digits) => {
  let body = "v0";
  for (let i = depth - 1; i >= 0; i--) body = `${list}.map(v${i}, ${body})`;
  return `${body}.size() == 10`;
};
/** A list doubled at each of `depth` nested levels (2^depth elements) with only one iteration per level. */
const doubling = (depth: number) => {
  let body = `x${depth}.exists(z, z == 2)`;
  for (let i = depth; i >= 1; i--) body = `[x${i - 1} + x${i - 1}].map(x${i}, ${body})`;
  return `[[1]].map(x0, ${body})`;
};

/** Each level holds ten references to the previous one: nested size 10^levels for a few units each. */
const tenfold = (levels: number) =>
  Array.from({ length: levels }, (_, i) => `.map(r${i}, [${Array(10).fill(`r${i}`).join(",")}])`).join("");

const exceeded = {
  kind: "error",
  message: `it exceeded the evaluation budget of ${EVALUATION_BUDGET} cost units`,
};

describe("the evaluation budget", () => {
  test.each([
    ["nested macros over literal lists", nestedMaps(8)],
    [
      "the same with other names and a longer list",
      nestedMaps(6, "[1,2,3,4,5,6,7,8,9,10,11,12]").replace(/v/g, "item"),
    ],
    ["a list doubled at every nesting level", doubling(40)],
    [
      "a string grown by nested replace",
      `'ab'${".replace('a', 'aaaaaaaaaaaaaaaaaaaa')".repeat(8)}.size() > 0`,
    ],
    [
      "a string grown by join",
      `['0123456789']${Array.from({ length: 7 }, (_, i) => `.map(s${i}, [${Array(10).fill(`s${i}`).join(",")}].join('-'))`).join("")}[0].size() > 0`,
    ],
    ["deep equality of lists built by reference", `[${digits}]${tenfold(6)}.all(x, x == x)`],
  ])("stops %s with a clear error", (_what, source) => {
    expect(run(source)).toEqual(exceeded);
  });

  test("is an error even where CEL's logic would absorb it", () => {
    expect(run(`${nestedMaps(8)} || true`)).toEqual(exceeded);
    expect(run(`${doubling(30)} && false`)).toEqual(exceeded);
  });

  test("leaves ordinary rules alone, over inputs of realistic size", () => {
    const statements = Array.from({ length: 200 }, (_, i) => ({
      effect: i === 199 ? "Deny" : "Allow",
      principals: ["*", `AWS:arn:aws:iam::1111:role/r${i}`],
      actions: ["s3:GetObject", "s3:PutObject"],
    }));
    const result = run(
      "bucket.policy.statements.exists(s, s.effect == 'Deny' && '*' in s.principals && s.actions.exists(a, globMatch('s3:*', a.lowerAscii())))",
      { bucket: { policy: { statements } } },
    );
    expect(result).toEqual({ kind: "value", value: true });
    expect(run(nestedMaps(3))).toEqual({ kind: "value", value: true });
  });

  test("is fresh for every evaluation", () => {
    const expr = compile(nestedMaps(3));
    for (let i = 0; i < 50; i++) expect(expr.evaluate(prepare({}))).toEqual({ kind: "value", value: true });
  });
});

describe("globMatch", () => {
  test.each([
    ["s3:*", "s3:GetObject", true],
    ["*", "", true],
    ["", "", true],
    ["", "a", false],
    ["a*", "a", true],
    ["*a", "ba", true],
    ["*a*", "bab", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "acb", false],
    ["a*b*c", "aXbYbZc", true],
    ["ab*ba", "aba", false],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["*.json.gz", "AWSLogs/x.json.gz", true],
    ["arn:aws:s3:::b/*", "arn:aws:s3:::b", false],
    ["s3:get*", "s3:GetObject", false],
    ["a.b", "axb", false],
    ["*?*", "", false],
    ["*?*", "x", true],
  ])("%j matches %j: %s", (pattern, text, expected) => {
    expect(globMatch(pattern, text)).toBe(expected);
  });

  test("does work bounded by text × pattern, not exponential in the stars", () => {
    let work = 0;
    const text = "a".repeat(5000);
    expect(globMatch(`${"a*".repeat(30)}b`, text, (n) => (work += n))).toBe(false);
    expect(work).toBeLessThanOrEqual(text.length * 61 + 100);
  });

  test("a wide match in a rule is charged to the budget", () => {
    const pattern = `${"*a".repeat(400)}*b`;
    const result = run(`[${"'x',".repeat(20)}'x'].all(i, !globMatch(p, t))`, {
      p: pattern,
      t: "a".repeat(20000),
    });
    expect(result).toEqual(exceeded);
  });
});
