import { readdirSync, readFileSync } from "node:fs";
import { configDefaults, defineConfig } from "vitest/config";

/**
 * Test files that change what other files in the same process would see: they mock modules or stub the environment
 * or globals (`vi.mock`, `vi.stubEnv`, …), or patch the AWS SDK clients' prototypes (aws-sdk-client-mock, through
 * test/sources/aws/aws-shaped.ts). Each runs in a module graph of its own; every other file shares its worker's, which
 * saves loading the sources and their dependencies again for each file (about a third of the suite's CPU time).
 */
const CHANGES_THE_PROCESS = /\bvi\.(mock|doMock|stubEnv|stubGlobal)\(|from "[^"]*aws-shaped\.js"/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

const ISOLATED = testFiles("test").filter((file) => CHANGES_THE_PROCESS.test(readFileSync(file, "utf8")));

/** What both projects share; the global setup (one run service, see run-service.ts) belongs to the root alone. */
const common = {
  // Time limits that fit a slow, busy machine; the suites that wait on the emulator or other programs set their own.
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    // Many suites wait on child processes (moto_server, the aws CLI, cfn-lint): one worker more than the two
    // cores keeps the CPU busy while they wait.
    maxWorkers: 3,
    projects: [
      { test: { ...common, name: "shared", isolate: false, exclude: [...configDefaults.exclude, ...ISOLATED] } },
      { test: { ...common, name: "isolated", include: ISOLATED } },
    ],
  },
});
