import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { promisify } from "node:util";
import type { MotoEndpoint } from "./moto.js";
import { REPO_ROOT } from "./paths.js";

const run = promisify(execFile);

export const EXPORTS_DOC = resolve(REPO_ROOT, "docs/exports.md");

/** The export script exactly as docs/exports.md gives it to users. */
export async function documentedExportScript(): Promise<string> {
  const text = await readFile(EXPORTS_DOC, "utf8");
  const marker = text.indexOf("<!-- export-script");
  const start = text.indexOf("```bash\n", marker);
  const end = text.indexOf("\n```", start + 8);
  if (marker < 0 || start < 0 || end < 0) throw new Error("docs/exports.md has no export script");
  return text.slice(start + "```bash\n".length, end + 1);
}

/** Exports the emulated account into `dir` by running the documented script with the real `aws` CLI. */
export async function exportAccount(moto: MotoEndpoint, dir: string): Promise<void> {
  await run("bash", ["-c", await documentedExportScript(), "export-account.sh", dir], {
    env: { ...process.env, ...moto.env },
    maxBuffer: 16 * 1024 * 1024,
  });
}
