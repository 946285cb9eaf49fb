import { request } from "node:http";
import { describe, inject, test } from "vitest";

/** CI (CI=true) runs every test: what a suite needs must be there, or the suite fails instead of skipping. */
export const inCi = process.env.CI === "true";

/** Something a suite needs from outside the repository (the peer corpus, moto_server). */
export interface Requirement {
  available: boolean;
  /** What is missing and how to provide it, for the skip note and the CI failure. */
  missing: string;
}

/**
 * A suite that runs only where its requirement is met. Elsewhere its body is never run (it may read what is missing
 * while it is collected): outside CI one skipped test names the reason, and the run prints it once; in CI one test
 * fails with it. Await it at the top of the test file, so that the note is given before the file ends.
 */
export async function describeIf(requirement: Requirement, name: string, body: () => void): Promise<void> {
  if (requirement.available) {
    describe(name, body);
    return;
  }
  if (inCi) {
    test(`${name}: ${requirement.missing}`, () => {
      throw new Error(`CI must run "${name}", but ${requirement.missing}`);
    });
    return;
  }
  test.skip(`${name} (skipped: ${requirement.missing})`);
  await notice(`SKIPPED: ${requirement.missing}; the tests that need it do not run here.`);
}

/** The loopback service of the run's global setup (test/support/global-setup.ts). */
export function runServiceUrl(): string {
  const url = inject("runService");
  if (!url) throw new Error("the run service is missing: run the tests through vitest.config.ts");
  return url;
}

/**
 * A request to the run service, answered with JSON. node:http rather than fetch, which gives up on an answer after
 * five minutes; and a connection of its own each time, since a test that blocks its thread (spawnSync) would not see
 * a kept-alive connection close and would send its next request into it.
 */
export function askRunService<T>(method: "GET" | "POST", path: string, body = ""): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(`${runServiceUrl()}${path}`, { method, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (c: Buffer) => chunks.push(c));
      response.on("error", reject);
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (response.statusCode === 200) resolve(JSON.parse(text) as T);
        else reject(new Error(`${method} ${path}: ${text}`));
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Prints a note once per run, at its end, however many test files give it. */
export async function notice(text: string): Promise<void> {
  try {
    await askRunService("POST", "/notice", text);
  } catch {
    // No run service: say it here instead.
    console.warn(text);
  }
}
