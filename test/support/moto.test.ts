import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, test } from "vitest";
import { MOTO_START_TIMEOUT_MS, type Moto, startMoto } from "./moto.js";
import { describeIf } from "./requirements.js";
import { motoRequirement } from "./scenario-accounts.js";
import { PROCESS_TIMEOUT_MS } from "./timeouts.js";

await describeIf(await motoRequirement(), "the moto_server harness", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  }, MOTO_START_TIMEOUT_MS);
  afterAll(async () => moto?.stop());

  test(
    "serves the real aws CLI on a loopback port, and resets",
    async () => {
      const aws = (...args: string[]) =>
        JSON.parse(
          execFileSync("aws", [...args, "--output", "json"], {
            env: { ...process.env, ...moto.env },
          }).toString(),
        );
      aws("s3api", "create-bucket", "--bucket", "harness-check");
      expect(aws("s3api", "list-buckets").Buckets.map((b: { Name: string }) => b.Name)).toContain(
        "harness-check",
      );
      await moto.reset();
      expect(aws("s3api", "list-buckets").Buckets).toEqual([]);
    },
    PROCESS_TIMEOUT_MS,
  );
});
