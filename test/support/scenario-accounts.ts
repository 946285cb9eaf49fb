import type { MotoEndpoint } from "./moto.js";
import { askRunService, type Requirement } from "./requirements.js";
import type { Scenario } from "./scenarios.js";

/**
 * The moto scenario accounts as the test files of a run share them (see run-service.ts): each built once, on a
 * moto_server of its own. Read them; a test that changes the emulator's state starts its own with `startMoto()`.
 */

/**
 * How long a test may wait for a scenario: the builds and exports run a few hundred aws CLI calls, a Python process
 * each, and on a slow or busy machine they queue behind one another.
 */
export const SCENARIO_TIMEOUT_MS = 600_000;

const get = <T>(path: string) => askRunService<T>("GET", path);

/** Whether moto_server runs here, asked once per run. */
export async function motoRequirement(): Promise<Requirement> {
  const { available } = await get<{ available: boolean }>("/moto");
  return {
    available,
    missing:
      "moto_server is not installed (pip install 'moto[server]'), so the tests against the AWS emulator cannot run",
  };
}

/** The emulator that holds the scenario's account. */
export function scenarioAccount(scenario: Scenario): Promise<MotoEndpoint> {
  return get(`/scenario/${scenario.name}`);
}

/** The folder the export script of docs/exports.md wrote for the scenario's account; its name is the scenario's. */
export async function scenarioExport(scenario: Scenario): Promise<string> {
  return (await get<{ dir: string }>(`/export/${scenario.name}`)).dir;
}
