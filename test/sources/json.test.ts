import { describe, expect, test } from "vitest";
import { LocatedJson } from "../../src/sources/json.js";
import { JsonSyntaxError, parseJson } from "../../src/sources/snapshot/json.js";

describe("one positioned-JSON parser for exports and snapshots", () => {
  test.each([
    ["an export", (text: string) => LocatedJson.parse("x.json", text)],
    ["a snapshot", (text: string) => parseJson(text)],
  ])("%s nested past the limit is a syntax error, not a stack overflow", (_what, parse) => {
    const deep = `${"[".repeat(5000)}${"]".repeat(5000)}`;
    expect(() => parse(deep)).toThrow(/nesting deeper than 128 levels/);
  });

  test("a snapshot's syntax error names its line and column", () => {
    let error: unknown;
    try {
      parseJson('{\n  "a": 1,\n}\n');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as JsonSyntaxError).pos).toEqual({ line: 3, column: 1 });
  });

  test("a snapshot's values and property names keep their positions", () => {
    const root = parseJson('{\n  "accounts": [\n    {"key": "a"}\n  ]\n}\n');
    expect(root.kind).toBe("object");
    if (root.kind !== "object") return;
    const [accounts] = root.entries;
    expect(accounts?.keyPos).toEqual({ line: 2, column: 3 });
    expect(accounts?.value.kind === "array" && accounts.value.items[0]?.pos).toEqual({ line: 3, column: 5 });
  });
});
