import { mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NO_AWS_CONFIG } from "./moto.js";
import { pythonOf, startForkServer } from "./python-fork.js";

/**
 * The real `aws` CLI for the tests, started once per run (aws-cli-fork.py): the `aws` on PATH becomes a small
 * client, and each call is a fork of a Python process that has already imported the CLI and loaded the service
 * models, running the CLI's own `main()` with the call's arguments, environment and streams. Each call then costs
 * about a tenth of the CPU time of a fresh `aws` process; the scenarios and exports make a few hundred calls.
 *
 * Only for the CLI as this machine has it, awscli v1 (a Python program): elsewhere (version 2 is a native
 * executable) `startAwsCliFork` answers undefined and the calls run as they are.
 */
export interface AwsCliFork {
  /** The folder of the client `aws`, to put first on PATH. */
  dir: string;
  stop(): Promise<void>;
}

const SERVER = join(dirname(fileURLToPath(import.meta.url)), "aws-cli-fork.py");

export async function startAwsCliFork(work: string): Promise<AwsCliFork | undefined> {
  const python = await pythonOf("aws");
  if (!python) return undefined;
  const dir = join(work, "aws-cli");
  await mkdir(dir, { recursive: true });
  // The calls of the tests name no AWS configuration files (moto.ts), nor does the driver created before them.
  const server = await startForkServer(
    python,
    SERVER,
    ["serve", join(work, "aws-cli.sock"), join(dir, "aws")],
    NO_AWS_CONFIG,
  );
  return server && { dir, stop: server.stop };
}
