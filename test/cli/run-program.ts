import { CommanderError } from "commander";
import { vi } from "vitest";
import { buildProgram } from "../../src/cli/program.js";
import type { CliRun } from "./run-cli.js";

/**
 * Runs the command line from the sources, in this process, in `cwd`: for behaviour the bundle in dist/ may not
 * have yet. Standard output and error are captured.
 */
export async function runProgram(args: string[], cwd: string): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  const previous = process.cwd();
  let status = 0;
  try {
    process.chdir(cwd);
    const program = buildProgram((code) => {
      status = code;
    });
    program.configureOutput({ writeOut: (s) => stdout.push(s), writeErr: (s) => stderr.push(s) });
    await program.parseAsync(["node", "trailguard", ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    status = error.exitCode === 0 ? 0 : 2;
  } finally {
    process.chdir(previous);
    out.mockRestore();
    err.mockRestore();
  }
  return { status, stdout: stdout.join(""), stderr: stderr.join("") };
}
