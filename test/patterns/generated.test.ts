import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { REPO_ROOT } from "../support/paths.js";

test.each(["filter-pattern-parser.js", "monitoring-events-validator.js", "monitoring-catalog.js"])(
  "src/patterns/generated/%s is fresh (node scripts/patterns-generated.mjs)",
  (name) => {
    const fresh = execFileSync(
      process.execPath,
      [join(REPO_ROOT, "scripts/patterns-generated.mjs"), "--stdout", name],
      { encoding: "utf8" },
    );
    expect(readFileSync(join(REPO_ROOT, "src/patterns/generated", name), "utf8")).toBe(fresh);
  },
);
