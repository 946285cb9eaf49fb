// The long fuzz run: the property tests of test/fuzz with many more cases than `npm test` runs.
//   npm run fuzz                       1000 cases per property, a random seed (printed, to replay a failure)
//   FUZZ_RUNS=200 FUZZ_SEED=42 npm run fuzz
// Extra arguments go to vitest (e.g. `npm run fuzz -- test/fuzz/cel.test.ts`).
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";

const runs = process.env.FUZZ_RUNS ?? "1000";
const seed = process.env.FUZZ_SEED ?? String(randomInt(2 ** 31));
const files = process.argv.slice(2);
console.log(`fuzz: ${runs} cases per property, FUZZ_SEED=${seed}`);
const result = spawnSync(
  process.execPath,
  ["node_modules/vitest/vitest.mjs", "run", "--maxWorkers=1", ...(files.length > 0 ? files : ["test/fuzz"])],
  { stdio: "inherit", env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed } },
);
process.exit(result.status ?? 1);
