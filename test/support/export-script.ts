import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
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
    // One attempt per call: what moto cannot answer (CloudTrail Lake, HTTP 500; S3 Control on a loopback host) it
    // never answers, and the CLI's retries would only wait, several seconds per call.
    env: { ...process.env, ...moto.env, AWS_MAX_ATTEMPTS: "1" },
    maxBuffer: 16 * 1024 * 1024,
  });
  // The aws CLI cannot reach S3 Control on a loopback endpoint: it puts the account id in the host name. The
  // scenarios set no account-level block, which S3 Control answers with this error (the live tests read it).
  const s3control = join(dir, "s3control-get-public-access-block.error.txt");
  if (existsSync(s3control) && (await readFile(s3control, "utf8")).includes("Could not connect")) {
    await writeFile(s3control, "NoSuchPublicAccessBlockConfiguration\n");
  }
}
