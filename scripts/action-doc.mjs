// Regenerates the action's inputs and outputs tables in README.md from action.yml. test/docs/action-doc.test.ts
// fails when they are stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const START = "<!-- action:start -->";
const END = "<!-- action:end -->";

const cell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ").trim();

/** The Markdown of the two tables, from action.yml's text. */
export function actionTables(actionYmlText) {
  const action = parse(actionYmlText);
  const inputs = Object.entries(action.inputs ?? {}).map(([name, spec]) => {
    const value = spec.default === undefined || spec.default === "" ? "" : `\`${cell(spec.default)}\``;
    return `| \`${name}\` | ${value} | ${cell(spec.description ?? "")} |`;
  });
  const outputs = Object.entries(action.outputs ?? {}).map(
    ([name, spec]) => `| \`${name}\` | ${cell(spec.description ?? "")} |`,
  );
  return [
    "| Input | Default | Description |",
    "|---|---|---|",
    ...inputs,
    "",
    "| Output | Description |",
    "|---|---|",
    ...outputs,
    "",
  ].join("\n");
}

export function readmeSection(readmeText) {
  const a = readmeText.indexOf(START);
  const b = readmeText.indexOf(END);
  if (a < 0 || b < a) throw new Error(`README.md: markers ${START} … ${END} not found`);
  return {
    before: readmeText.slice(0, a + START.length),
    content: readmeText.slice(a + START.length + 1, b),
    after: readmeText.slice(b),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const readme = join(root, "README.md");
  const section = readmeSection(readFileSync(readme, "utf8"));
  const tables = actionTables(readFileSync(join(root, "action.yml"), "utf8"));
  writeFileSync(readme, `${section.before}\n${tables}${section.after}`);
}
