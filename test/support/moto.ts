import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";

/**
 * moto_server, a real AWS emulator, on a free loopback port: started and stopped by the tests themselves.
 *
 * Where it is missing, CI (CI=true) must fail rather than skip; on a developer's machine the tests that need it are
 * skipped with a visible message. Use `describeWithMoto` / `motoAvailable()` and `startMoto()` in `beforeAll`.
 */
export interface Moto {
  endpoint: string;
  port: number;
  /** Environment for the AWS SDK and the `aws` CLI: endpoint, dummy credentials, region. */
  env: Record<string, string>;
  /** Forgets every resource (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

let availability: boolean | undefined;

export function motoAvailable(): boolean {
  if (availability === undefined) {
    const probe = spawnSync("moto_server", ["--help"], { stdio: "ignore" });
    availability = probe.status === 0;
    if (!availability) {
      if (process.env.CI === "true") {
        throw new Error("moto_server is not installed: CI must run the live-mode tests, not skip them");
      }
      console.warn(
        "SKIPPED: moto_server is not installed, so the tests against the AWS emulator do not run here.",
      );
    }
  }
  return availability;
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

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  await waitUntilUp(endpoint, child, 20_000);
  return {
    endpoint,
    port,
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
