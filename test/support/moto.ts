import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createServer } from "node:net";

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

async function waitUntilUp(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}`);
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
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
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
      // Keep the user's real profile and IMDS out of the tests.
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
    },
    async reset() {
      await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
