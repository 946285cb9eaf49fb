import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../support/paths.js";

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (dist/cli.js, which a test keeps in step with src/) as a user would. */
export function runCli(args: string[], cwd = REPO_ROOT, env: Record<string, string> = {}): CliRun {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, "dist/cli.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
