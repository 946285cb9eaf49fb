import { describe, expect, test } from "vitest";
import { append } from "../../src/model/append.js";

describe("append", () => {
  test("adds more items than a call can take as arguments, in order", () => {
    const items = Array.from({ length: 300_000 }, (_, i) => i);
    const target = [-1];
    append(target, items);
    expect(target.length).toBe(300_001);
    expect(target[1]).toBe(0);
    expect(target.at(-1)).toBe(299_999);
  });

  test("takes any iterable", () => {
    const target = ["a"];
    append(target, new Set(["b", "c"]));
    expect(target).toEqual(["a", "b", "c"]);
  });
});
