import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { rulesReference, rulesTable } from "../../src/cli/rules-table.js";
import { loadPolicies } from "../../src/engine/index.js";
import { POLICIES_DIR, REPO_ROOT } from "../support/paths.js";

const rules = loadPolicies(POLICIES_DIR).rules;

function between(file: string, start: string, end: string): string {
  const text = readFileSync(join(REPO_ROOT, file), "utf8");
  return text.slice(text.indexOf(start) + start.length + 1, text.indexOf(end));
}

test("README's rule table is generated from the packs (npm run docs:rules)", () => {
  expect(between("README.md", "<!-- rules:start -->", "<!-- rules:end -->")).toBe(rulesTable(rules));
});

test("docs/rules.md's reference is generated from the packs (npm run docs:rules)", () => {
  expect(between("docs/rules.md", "<!-- reference:start -->", "<!-- reference:end -->")).toBe(
    rulesReference(rules),
  );
});

test("every rule has a reference section whose anchor SARIF help links use", () => {
  const doc = readFileSync(join(REPO_ROOT, "docs/rules.md"), "utf8");
  for (const rule of rules) expect(doc).toContain(`<a id="${rule.id}"></a>`);
});
