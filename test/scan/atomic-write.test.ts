import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { batches, writeFileAtomic } from "../../src/scan/atomic-write.js";

describe("writeFileAtomic", () => {
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(join(tmpdir(), "tg-write-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  test("writes text given in pieces as the pieces joined", () => {
    const file = join(folder(), "out", "report.json");
    const pieces = Array.from({ length: 5000 }, (_, i) => `piece ${i} é\n`);
    writeFileAtomic(file, pieces);
    expect(readFileSync(file, "utf8")).toBe(pieces.join(""));
    writeFileAtomic(file, "whole");
    expect(readFileSync(file, "utf8")).toBe("whole");
  });

  test("leaves the previous file, and no temporary one, when producing the pieces fails", () => {
    const dir = folder();
    const file = join(dir, "report.json");
    writeFileAtomic(file, "previous");
    function* failing(): Generator<string> {
      yield "x".repeat(70_000);
      throw new Error("renderer failed");
    }
    expect(() => writeFileAtomic(file, failing())).toThrow("renderer failed");
    expect(readFileSync(file, "utf8")).toBe("previous");
    expect(readdirSync(dir)).toEqual(["report.json"]);
  });
});

describe("batches", () => {
  test("joins pieces into runs of at least the size asked, keeping every character in order", () => {
    const pieces = ["ab", "c", "", "defg", "h"];
    expect([...batches(pieces, 3)]).toEqual(["abc", "defg", "h"]);
    expect([...batches([], 3)]).toEqual([]);
    expect([...batches(pieces)]).toEqual(["abcdefgh"]);
  });
});
