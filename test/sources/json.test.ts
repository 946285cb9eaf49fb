import { describe, expect, test } from "vitest";
import { LocatedJson, plainOf } from "../../src/sources/json.js";
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

describe("the same parser for Terraform's JSON syntax and plans", () => {
  test("the nesting limit is an option: Terraform's JSON may nest deeper than AWS answers", () => {
    const deep = `${"[".repeat(300)}${"]".repeat(300)}`;
    expect(() => LocatedJson.parse("x.json", deep)).toThrow(/nesting deeper than 128 levels/);
    expect(LocatedJson.parse("x.tf.json", deep, { maxDepth: 512 }).root.kind).toBe("array");
    expect(() => LocatedJson.parse("x.tf.json", `[[${deep}]]`, { maxDepth: 300 })).toThrow(
      /nesting deeper than 300 levels/,
    );
  });

  test("properties keep their order and positions, a name given twice included; lookup takes the last", () => {
    const parsed = LocatedJson.parse("x.json", '{\n  "a": 1,\n  "b": 2,\n  "a": 3\n}');
    const root = parsed.root;
    if (root.kind !== "object") throw new Error("not an object");
    expect(root.entries.map((e) => [e.key, parsed.position(e.keyStart).line])).toEqual([
      ["a", 2],
      ["b", 3],
      ["a", 4],
    ]);
    expect(plainOf(root)).toEqual({ a: 3, b: 2 });
  });

  test("plain values keep a member named __proto__ as a member", () => {
    const value = plainOf(LocatedJson.parse("x.json", '{"__proto__": {"polluted": true}}').root) as object;
    expect(Object.keys(value)).toEqual(["__proto__"]);
    expect((value as { polluted?: boolean }).polluted).toBeUndefined();
  });
});
