import { type ChildProcess, execFile, spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * Python programs the tests start many times (the aws CLI, moto_server) are served by forks of one process that has
 * imported them once: see aws-cli-fork.py and moto-fork.py. This starts such a server.
 */
export interface ForkServer {
  stop(): Promise<void>;
}

/** How long importing a program may take on a busy machine. */
const START_TIMEOUT_MS = 60_000;

/** The executable a command runs, behind a pyenv shim or not. */
async function executable(command: string): Promise<string | undefined> {
  try {
    const { stdout } = await run("pyenv", ["which", command], { encoding: "utf8" });
    if (stdout.trim()) return stdout.trim();
  } catch {
    // no pyenv
  }
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, command);
    try {
      await readFile(candidate);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The Python interpreter of a command's script (its first line), when it is a Python script. */
export async function pythonOf(command: string): Promise<string | undefined> {
  const path = await executable(command);
  if (!path) return undefined;
  const head = (await readFile(path)).subarray(0, 200).toString("latin1");
  return /^#!(\S*python[\d.]*)\s*\n/.exec(head)?.[1];
}

/** Runs `python script ...args` and waits for it to print `ready`; undefined when it does not. */
export async function startForkServer(
  python: string,
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<ForkServer | undefined> {
  const child = spawn(python, [script, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1", ...env }, // no __pycache__ in the checkout
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
  return { stop: () => stop(child) };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
