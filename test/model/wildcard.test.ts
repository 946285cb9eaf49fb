import { describe, expect, test } from "vitest";
import { matchesWildcard, type Wildcard, wildcard, wildcardMatcher } from "../../src/model/wildcard.js";

describe("wildcard patterns with `*` only (waivers, rule selection, metric filter values)", () => {
  test.each([
    ["trail.*", "trail.logging", true],
    ["trail.*", "bucket.logging", false],
    ["*", "", true],
    ["", "", true],
    ["", "a", false],
    ["a*b*c", "aXbYbZc", true],
    ["a*b*c", "acb", false],
    ["ab*ba", "aba", false],
    ["a**b", "ab", true],
    // `?` and the characters regular expressions treat specially stand for themselves.
    ["a?c", "abc", false],
    ["a?c", "a?c", true],
    ["a.b", "axb", false],
    ["(x)+[y]$", "(x)+[y]$", true],
    ["^*", "^abc", true],
    ["line*", "line1\nline2", true],
  ])("%j matches %j: %s", (pattern, text, expected) => {
    expect(matchesWildcard(wildcard(pattern), text)).toBe(expected);
  });

  test("a matcher of several patterns matches when any does", () => {
    const matches = wildcardMatcher(["trail.*", "bucket.tls-only"]);
    expect(["trail.insights", "bucket.tls-only", "bucket.versioning"].map(matches)).toEqual([
      true,
      true,
      false,
    ]);
    expect(wildcardMatcher([])("anything")).toBe(false);
  });
});

describe("gaps of at least one character (deploy-time export names)", () => {
  // `${AWS::StackName}-Logs-${Env}` as an export name: each `${…}` is at least one character.
  const name: Wildcard = { segments: ["", "-Logs-", ""], gap: 1, anyOne: false };

  test.each([
    ["prod-Logs-eu", true],
    ["a-Logs-b", true],
    ["-Logs-b", false],
    ["a-Logs-", false],
    ["a-Logs-b-Logs-c", true],
    ["aLogs-b", false],
  ])("%j: %s", (text, expected) => {
    expect(matchesWildcard(name, text)).toBe(expected);
  });

  test("two gaps side by side need two characters", () => {
    const adjacent: Wildcard = { segments: ["x", "", "y"], gap: 1, anyOne: false };
    expect(matchesWildcard(adjacent, "xay")).toBe(false);
    expect(matchesWildcard(adjacent, "xaby")).toBe(true);
  });
});

describe("the work is bounded by text length × pattern length", () => {
  const text = "a".repeat(5000);

  test.each([
    // First and last segments match, so every middle segment is looked for: a matcher that backtracked would try
    // each way of placing thirty segments in the text.
    ["`*` patterns", wildcard(`${"*a".repeat(30)}*b*`)],
    ["IAM patterns", wildcard(`${"*a?".repeat(30)}*b*`, { anyOne: true })],
    ["gapped names", { segments: ["", ...Array(30).fill("a"), "b", ""], gap: 1, anyOne: false } as Wildcard],
  ])("%s", (_kind, pattern) => {
    let work = 0;
    expect(matchesWildcard(pattern, text, (n) => (work += n))).toBe(false);
    expect(work).toBeGreaterThan(text.length - 100);
    const patternLength = pattern.segments.join("").length + pattern.segments.length;
    expect(work).toBeLessThanOrEqual((text.length + 1) * patternLength);
  });
});
