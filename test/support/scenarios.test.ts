import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Moto, motoAvailable, startMoto } from "./moto.js";
import { awsCli, scenarios } from "./scenarios.js";

describe.runIf(motoAvailable())("scenarios build on moto_server with the aws CLI", () => {
  let moto: Moto;
  beforeAll(async () => {
    moto = await startMoto();
  }, 30_000);
  afterAll(async () => moto?.stop());

  test.each(Object.values(scenarios))(
    "$name",
    async (scenario) => {
      await scenario.build(moto);
      const trails = (awsCli(moto)("cloudtrail", "describe-trails") as { trailList: unknown[] }).trailList;
      expect(trails.length).toBe(scenario.name === "no-trail" ? 0 : 1);
    },
    60_000,
  );
});
