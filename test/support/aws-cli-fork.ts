import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The real `aws` CLI for the tests, started once per run (aws-cli-fork.py): the `aws` on PATH becomes a small
 * client, and each call is a fork of a Python process that has already imported the CLI and loaded the service
 * models, running the CLI's own `main()` with the call's arguments, environment and streams. Each call then costs
 * about a tenth of the CPU time of a fresh `aws` process; the scenarios and exports make a few hundred calls.
 *
 * Only for the CLI as this machine has it, awscli v1 (a Python program): elsewhere (version 2 is a native
 * executable) `start` answers undefined and the calls run as they are.
 */
export interface AwsCliFork {
  /** The folder of the client `aws`, to put first on PATH. */
  dir: string;
  stop(): Promise<void>;
}

const SERVER = join(dirname(new URL(import.meta.url).pathname), "aws-cli-fork.py");
/** How long loading the CLI may take on a busy machine. */
const START_TIMEOUT_MS = 60_000;

/** The real `aws` executable, behind a pyenv shim or not. */
async function awsExecutable(): Promise<string | undefined> {
  try {
    const { stdout } = await run("pyenv", ["which", "aws"], { encoding: "utf8" });
    if (stdout.trim()) return stdout.trim();
  } catch {
    // no pyenv
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "aws");
    try {
      await readFile(candidate);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The Python interpreter of the `aws` script's first line, when it is one. */
async function awsPython(): Promise<string | undefined> {
  const aws = await awsExecutable();
  if (!aws) return undefined;
  const head = (await readFile(aws)).subarray(0, 200).toString("latin1");
  const shebang = /^#!(\S*python[\d.]*)\s*\n/.exec(head);
  return shebang?.[1];
}

export async function startAwsCliFork(work: string): Promise<AwsCliFork | undefined> {
  const python = await awsPython();
  if (!python) return undefined;
  const dir = join(work, "aws-cli");
  await run("mkdir", ["-p", dir]);
  const child = spawn(python, [SERVER, "serve", join(work, "aws-cli.sock"), join(dir, "aws")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), START_TIMEOUT_MS);
    child.stdout?.once("data", (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(chunk.toString().startsWith("ready"));
    });
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    child.kill("SIGKILL");
    return undefined;
  }
  return { dir, stop: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
