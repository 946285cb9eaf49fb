// API calls per account of the live collector, counted at the endpoint: a loopback proxy in front of moto_server
// counts every HTTP request (retries included) while trailguard collects an account with T trails and R = 17
// enabled regions. Printed next to a per-region design (DescribeTrails and three calls per visible trail in every
// region, as Prowler v3 does): about 104 calls for one trail over 17 regions.
//
//   node bench/live-calls.mjs          (needs moto_server on the PATH; skipped with a message otherwise)
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = join(root, ".bench-tmp");
const REGIONS = 17;

if (spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status !== 0) {
  console.log("live calls: moto_server is not installed; skipped");
} else {
  await measure();
}

async function measure() {
  mkdirSync(tmp, { recursive: true });
  const harness = join(tmp, "live-calls-harness.mjs");
  await build({
    stdin: {
      contents: [
        'export { buildTrails, countPlan } from "./test/sources/aws/plan.ts";',
        'export { startProxy } from "./test/sources/aws/proxy.ts";',
        'export { startMoto } from "./test/support/moto.ts";',
      ].join("\n"),
      resolveDir: root,
      loader: "ts",
    },
    outfile: harness,
    bundle: true,
    format: "esm",
    platform: "node",
    target: ["node20"],
    logLevel: "warning",
    banner: {
      js: 'import { createRequire as __r } from "node:module"; const require = __r(import.meta.url);',
    },
  });
  const { buildTrails, countPlan, startProxy, startMoto } = await import(pathToFileURL(harness).href);

  /** DescribeTrails and 3 calls per visible trail in every region; single-region trails are visible in one only. */
  const perRegionDesign = (regions, trails) => 2 + regions * (3 + 3) + 3 * (trails - 1);

  const moto = await startMoto();
  const proxy = await startProxy(moto.endpoint);
  try {
    console.log(
      `trailguard live collection — API calls per account, counted at the endpoint (R = enabled regions)\n`,
    );
    console.log(
      `${"trails".padEnd(8)}${`R = ${REGIONS}`.padStart(8)}${"R = 1".padStart(8)}${"region discovery".padStart(18)}` +
        `${`Lake in all ${REGIONS}`.padStart(16)}${"per-region design".padStart(20)}`,
    );
    for (const trails of [1, 3]) {
      await buildTrails(moto.endpoint, trails);
      const at17 = await countPlan(proxy, trails, REGIONS);
      const at1 = await countPlan(proxy, trails, 1);
      const allLake = await countPlan(proxy, trails, REGIONS, "all");
      console.log(
        `${`T = ${trails}`.padEnd(8)}${String(at17.total).padStart(8)}${String(at1.total).padStart(8)}` +
          `${String(at17.discovery).padStart(18)}${String(allLake.total).padStart(16)}` +
          `${`≈ ${perRegionDesign(REGIONS, trails)}`.padStart(20)}`,
      );
      if (trails === 3) {
        console.log(`\ncalls of T = 3, R = ${REGIONS}, by operation:`);
        for (const [op, n] of Object.entries(at17.byOperation).sort()) console.log(`  ${op.padEnd(48)} ${n}`);
      }
    }
    console.log(
      "\nLake stores are listed in the home region by default (ListEventDataStores has no account-wide listing; " +
        "`--lake-regions all` asks every region, one call each)." +
        "\nmoto lacks BucketRegion in ListBuckets, so one GetBucketLocation per bucket is counted that AWS does not need.",
    );
  } finally {
    await proxy.close();
    await moto.stop();
    rmSync(harness, { force: true });
  }
}
