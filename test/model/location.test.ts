import { describe, expect, it } from "vitest";
import { compactLocations, type SourceLocation } from "../../src/model/index.js";

describe("compactLocations", () => {
  it("keeps every entry, in order, and the location objects themselves", () => {
    const at = (line: number): SourceLocation => ({ file: "main.tf", line, column: 1 });
    const recorded: Record<string, SourceLocation> = {};
    // More fields than V8 keeps in a fast object when they are added one by one under computed names.
    const names = Array.from({ length: 30 }, (_, i) => `lifecycleRules[${i}].prefix`);
    for (const [i, name] of names.entries()) recorded[name] = at(i + 1);
    const compact = compactLocations(recorded);
    expect(compact).not.toBe(recorded);
    expect(Object.keys(compact)).toEqual(names);
    for (const name of names) expect(compact[name]).toBe(recorded[name]);
  });

  it("gives an empty record for an empty one", () => {
    expect(compactLocations({})).toEqual({});
  });
});
