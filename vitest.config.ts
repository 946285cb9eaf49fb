import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    // Many suites wait on child processes (moto_server, the aws CLI, cfn-lint): one worker more than the two
    // cores keeps the CPU busy while they wait.
    maxWorkers: 3,
    // Time limits that fit a slow, busy machine; the suites that wait on the emulator or other programs set their own.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
