import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../support/paths.js";
import { PROCESS_TIMEOUT_MS } from "../support/timeouts.js";

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
    timeout: PROCESS_TIMEOUT_MS,
  });
  // A run that could not start or was stopped at the time limit has no status to assert on: say what happened.
  if (result.error) throw new Error(`trailguard ${args.join(" ")}: ${result.error.message}`);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
