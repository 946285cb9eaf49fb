// In-process entry points for the benchmark, bundled by bench/run.mjs with the same esbuild settings as dist/.
import { readFileSync } from "node:fs";
import { collectFiles } from "../src/scan/collect.js";
import { fileReaders } from "../src/scan/readers.js";
import { parseText } from "../src/sources/cloudformation/parse.js";
import { loadHclParser, parseHcl } from "../src/sources/terraform/parse.js";

export { scan } from "../src/scan/index.js";

/**
 * The baseline a scan is measured against: find the same files the same way, read them, and parse each with the
 * same parser (YAML with CloudFormation tags, into the located tree) — and nothing else.
 */
export function parseTree(dir: string): number {
  const extensions = [...new Set(fileReaders.flatMap((r) => r.extensions))];
  let parsed = 0;
  for (const files of collectFiles([dir], dir, extensions, []).values()) {
    for (const file of files) if (parseText(readFileSync(file.absolutePath, "utf8")).root) parsed++;
  }
  return parsed;
}

/** The Terraform baseline: the same walk and reads, each `.tf` file parsed by the same tree-sitter grammar. */
export async function parseTerraformTree(dir: string): Promise<number> {
  await loadHclParser();
  let parsed = 0;
  for (const files of collectFiles([dir], dir, [".tf"], []).values()) {
    for (const file of files) if (parseHcl(readFileSync(file.absolutePath, "utf8"), file.path)) parsed++;
  }
  return parsed;
}
