import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, test } from "vitest";
import { REPO_ROOT } from "../support/paths.js";

const DIST = join(REPO_ROOT, "dist");
/** Strings only the AWS SDK's code holds: the CloudTrail API's target prefix and the SDK's user-agent name. */
const AWS_SDK_MARKERS = ["CloudTrail_20131101", "aws-sdk-js"];

/**
 * Files an entry loads before any of its code runs: its static imports, transitively. `entryImportsProgram`: the
 * entry's import() calls count as static (the CLI's entry only turns on the compile cache, then imports the program).
 */
function staticClosure(entry: string, entryImportsProgram: boolean): string[] {
  const seen = new Set<string>();
  const visit = (file: string, dynamicToo: boolean) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    const imports = dynamicToo
      ? /(?:\bfrom|\bimport)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g
      : /(?:\bfrom|\bimport)\s*"(\.{1,2}\/[^"]+)"/g;
    for (const m of text.matchAll(imports)) visit(join(dirname(file), m[1] as string), false);
  };
  visit(join(DIST, entry), entryImportsProgram);
  return [...seen];
}

const holdsAwsSdk = (file: string) => AWS_SDK_MARKERS.some((m) => readFileSync(file, "utf8").includes(m));

describe("the bundle loads the AWS SDK only for live scans", () => {
  test.each([
    ["cli.js", true],
    ["index.js", false],
  ])("%s: no AWS SDK code among the files loaded at start", (entry, entryImportsProgram) => {
    const loaded = staticClosure(entry, entryImportsProgram);
    // The entry and the program it loads, at least.
    expect(loaded.length).toBeGreaterThan(1);
    expect(loaded.filter(holdsAwsSdk).map((f) => f.slice(DIST.length + 1))).toEqual([]);
  });

  test("the markers find the AWS SDK: its chunks are in the bundle, loaded on demand", () => {
    const chunks = readdirSync(join(DIST, "chunks")).filter((f) => f.endsWith(".js"));
    expect(chunks.filter((f) => holdsAwsSdk(join(DIST, "chunks", f))).length).toBeGreaterThan(0);
  });
});
