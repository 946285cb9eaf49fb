import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    // Many suites wait on child processes (moto_server, the aws CLI, cfn-lint): one worker more than the two
    // cores keeps the CPU busy while they wait.
    maxWorkers: 3,
  },
});
