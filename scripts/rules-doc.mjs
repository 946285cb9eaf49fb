// Regenerates the rule table in README.md and the rule reference in docs/rules.md from the loaded packs, through
// the built CLI (`npm run build` first). test/docs/rules-doc.test.ts fails when either is stale.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const markdown = execFileSync(
  process.execPath,
  [join(root, "dist/cli.js"), "rules", "--format", "markdown"],
  {
    encoding: "utf8",
  },
);
const split = markdown.indexOf("\n\n");
const table = markdown.slice(0, split + 1);
const reference = markdown.slice(split + 2);

replaceBetween(join(root, "README.md"), "<!-- rules:start -->", "<!-- rules:end -->", table);
replaceBetween(join(root, "docs/rules.md"), "<!-- reference:start -->", "<!-- reference:end -->", reference);

function replaceBetween(file, start, end, content) {
  const text = readFileSync(file, "utf8");
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${file}: markers ${start} … ${end} not found`);
  writeFileSync(file, `${text.slice(0, a + start.length)}\n${content}${text.slice(b)}`);
}
