import { expect, test } from "vitest";
import { describeIf } from "./requirements.js";
import { motoRequirement, SCENARIO_TIMEOUT_MS, scenarioAccount } from "./scenario-accounts.js";
import { awsCli, scenarios } from "./scenarios.js";

await describeIf(await motoRequirement(), "scenarios build on moto_server with the aws CLI", () => {
  test.each(Object.values(scenarios))(
    "$name",
    async (scenario) => {
      const moto = await scenarioAccount(scenario);
      const trails = ((await awsCli(moto)("cloudtrail", "describe-trails")) as { trailList: unknown[] })
        .trailList;
      expect(trails.length).toBe(scenario.name === "no-trail" ? 0 : 1);
    },
    SCENARIO_TIMEOUT_MS,
  );
});
