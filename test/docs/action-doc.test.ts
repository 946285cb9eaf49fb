import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { actionTables, readmeSection } from "../../scripts/action-doc.mjs";
import { REPO_ROOT } from "../support/paths.js";

test("README's action inputs and outputs are generated from action.yml (npm run docs:action)", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const action = readFileSync(join(REPO_ROOT, "action.yml"), "utf8");
  expect(readmeSection(readme).content).toBe(actionTables(action));
});

test("the tables name every input with its default", () => {
  const tables = actionTables(
    "inputs:\n  path:\n    description: Where | what\n    default: .\noutputs:\n  failed:\n    description: Count\n",
  );
  expect(tables).toContain("| `path` | `.` | Where \\| what |");
  expect(tables).toContain("| `failed` | Count |");
});
