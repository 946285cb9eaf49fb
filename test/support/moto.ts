import { execFile, spawn } from "node:child_process";
import { createConnection, createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ForkServer, pythonOf, startForkServer } from "./python-fork.js";

/**
 * moto_server, a real AWS emulator, on a free loopback port.
 *
 * The scenario accounts are built once per run by the run service (see scenario-accounts.ts); a test that changes
 * the emulator's state starts a server of its own with `startMoto()`. Either way the suite is declared with
 * `describeIf(await motoRequirement(), …)`: skipped with a note where moto_server is missing, failed in CI.
 */
export interface MotoEndpoint {
  endpoint: string;
  /** Environment for the AWS SDK and the `aws` CLI: endpoint, dummy credentials, region. */
  env: Record<string, string>;
}

export interface Moto extends MotoEndpoint {
  /** The server's process id (to read its CPU time). */
  pid: number | undefined;
  /** Forgets every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether `moto_server` runs here (it is looked up on PATH, maybe behind a pyenv shim). */
export function probeMoto(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile("moto_server", ["--help"], { timeout: 60_000 }, (error) => resolve(error === null));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Keeps the user's real AWS profile out of the tests. */
export const NO_AWS_CONFIG = {
  AWS_CONFIG_FILE: "/dev/null",
  AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
} as const;

/** A running moto_server process, started by this process or forked by the run's moto fork server. */
interface MotoProcess {
  pid: number | undefined;
  exited(): boolean;
  kill(signal: NodeJS.Signals): void;
  /** Resolves when the process has exited (or after `ms`). */
  waitForExit(ms: number): Promise<void>;
}

/**
 * Where a test run's service (run-service.ts) hands out its fork server of moto_server (moto-fork.py): a server
 * forked from it starts without importing moto again, about 2 s of CPU time less each on this machine. Without it
 * (a benchmark, a run without the service) moto_server is started as a program.
 */
export const MOTO_FORK_URL = "TRAILGUARD_MOTO_FORK_URL";

export async function startMotoFork(work: string): Promise<(ForkServer & { socket: string }) | undefined> {
  const python = await pythonOf("moto_server");
  if (!python) return undefined;
  const socket = join(work, "moto.sock");
  const script = join(dirname(fileURLToPath(import.meta.url)), "moto-fork.py");
  const server = await startForkServer(python, script, ["serve", socket]);
  return server && { ...server, socket };
}

async function forkSocket(): Promise<string | undefined> {
  const url = process.env[MOTO_FORK_URL];
  if (!url) return undefined;
  try {
    const response = await fetch(url);
    return response.ok
      ? (((await response.json()) as { socket: string | null }).socket ?? undefined)
      : undefined;
  } catch {
    return undefined;
  }
}

function spawned(port: number): MotoProcess {
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const exit = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    pid: child.pid,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    kill: (signal) => child.kill(signal),
    waitForExit: (ms) => Promise.race([exit, new Promise<void>((r) => setTimeout(r, ms))]),
  };
}

async function forked(socket: string, port: number): Promise<MotoProcess> {
  const reply = await new Promise<string>((resolve, reject) => {
    const conn = createConnection(socket);
    let data = "";
    conn.on("data", (chunk) => {
      data += chunk.toString();
    });
    conn.on("end", () => resolve(data));
    conn.on("error", reject);
    conn.end(`${JSON.stringify({ host: "127.0.0.1", port })}\n`);
  });
  const { pid } = JSON.parse(reply) as { pid: number };
  const exited = () => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  return {
    pid,
    exited,
    kill: (signal) => {
      if (!exited()) process.kill(pid, signal);
    },
    async waitForExit(ms) {
      const deadline = Date.now() + ms;
      while (!exited() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },
  };
}

async function waitUntilUp(endpoint: string, child: MotoProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exited()) throw new Error("moto_server exited");
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

/** Time a moto_server may take to start on a slow, busy machine. */
export const MOTO_START_TIMEOUT_MS = 60_000;

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const socket = await forkSocket();
  const child = socket ? await forked(socket, port) : spawned(port);
  try {
    await waitUntilUp(endpoint, child, MOTO_START_TIMEOUT_MS);
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    endpoint,
    pid: child.pid,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_SESSION_TOKEN: "testing",
      AWS_REGION: "us-east-1",
      AWS_DEFAULT_REGION: "us-east-1",
      ...NO_AWS_CONFIG,
      AWS_EC2_METADATA_DISABLED: "true",
    },
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    },
    async stop() {
      if (child.exited()) return;
      child.kill("SIGTERM");
      await child.waitForExit(3000);
      if (!child.exited()) child.kill("SIGKILL");
    },
  };
}
