import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { REPO_ROOT } from "../support/paths.js";

const dir = join(REPO_ROOT, "src/patterns");
const sources = readdirSync(dir).filter((name) => name.endsWith(".ts"));

test.each(sources)("src/patterns/%s imports nothing of trailguard beyond src/model", (name) => {
  const text = readFileSync(join(dir, name), "utf8");
  const specifiers = [...text.matchAll(/^\s*(?:import|export)[^"';]*from\s+"([^"]+)"/gm)].map((m) => m[1]);
  for (const specifier of specifiers) {
    expect(specifier, specifier).toMatch(
      /^(\.\/[\w./-]+|\.\.\/model\/[\w./-]+|node:\w+|yaml|ajv|@bufbuild\/re2)$/,
    );
  }
});
