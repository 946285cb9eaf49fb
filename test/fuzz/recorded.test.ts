import { readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import type { Finding } from "../../src/model/index.js";
import { scan } from "../../src/scan/index.js";
import { writeSnapshot } from "../../src/sources/snapshot/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";
import { REPO_ROOT } from "../support/paths.js";
import {
  builtInPolicies,
  edits,
  expectSound,
  fixture,
  fuzzParams,
  fuzzTimeout,
  fuzzWorkspace,
  mutate,
  NEIGHBOUR,
  neighbourFindings,
} from "./support.js";

const RUNS = 4;
const EXPORTS = "test/fixtures/exports/aws-recorded";
const exportFiles = Object.fromEntries(
  readdirSync(join(REPO_ROOT, EXPORTS))
    .sort()
    .map((name) => [`exports/${name}`, fixture(`${EXPORTS}/${name}`)]),
);
const EXPORT_NAMES = Object.keys(exportFiles).filter((name) => name.endsWith(".json"));

describe("fuzz: AWS CLI exports and snapshots", () => {
  const scanFiles = fuzzWorkspace();
  let neighbour = new Map<string, Finding>();
  let snapshot = "";
  beforeAll(async () => {
    neighbour = neighbourFindings((await scanFiles({ [NEIGHBOUR.path]: NEIGHBOUR.text })).outcome.findings);
    const example = await scan({
      paths: [join(REPO_ROOT, "examples/cloudformation/noncompliant.yaml")],
      scope: "account",
      ...BUILT_IN_POLICIES,
      policies: builtInPolicies(),
    });
    snapshot = writeSnapshot(example.inventory.accounts);
  });

  test("the export folder and the snapshot, undamaged, are judged", async () => {
    const scanned = await scanFiles({
      ...exportFiles,
      "snap/snapshot.json": snapshot,
      [NEIGHBOUR.path]: NEIGHBOUR.text,
    });
    expectSound(scanned, neighbour, []);
    const accounts = new Set(scanned.outcome.findings.map((f) => f.account));
    expect(accounts.size).toBeGreaterThanOrEqual(3);
  });

  test(
    "one export file with byte, line and token edits",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...EXPORT_NAMES), edits, async (name, list) => {
          const files = {
            ...exportFiles,
            [name]: mutate(exportFiles[name] as string, list),
            [NEIGHBOUR.path]: NEIGHBOUR.text,
          };
          expectSound(await scanFiles(files), neighbour, [name]);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  test(
    "one export file replaced by JSON of any shape",
    async () => {
      const json = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...EXPORT_NAMES), json, async (name, text) => {
          const files = { ...exportFiles, [name]: text, [NEIGHBOUR.path]: NEIGHBOUR.text };
          expectSound(await scanFiles(files), neighbour, [name]);
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );

  test(
    "a snapshot with byte, line and token edits",
    async () => {
      await fc.assert(
        fc.asyncProperty(edits, async (list) => {
          const path = "snap/snapshot.json";
          expectSound(
            await scanFiles({ [path]: mutate(snapshot, list), [NEIGHBOUR.path]: NEIGHBOUR.text }),
            neighbour,
            [path],
          );
        }),
        fuzzParams(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );
});
