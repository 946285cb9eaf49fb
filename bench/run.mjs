// `npm run bench`: start-up and throughput of trailguard, measured in one run, reported as numbers and ratios.
//   cold start: `trailguard --version` and a one-template scan with the built CLI, median of repeated runs;
//   throughput: generated trees of 5,000 CloudFormation templates and of 5,000 `.tf` files, the full scan against
//   finding, reading and parsing the same files with the same parser (and nothing else), in one process;
//   live: API calls per account (bench/live-calls.mjs), when that part is present.
// Targets are printed beside the numbers; the exit code is 1 when one is missed.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { writeTemplates, writeTerraform } from "./templates.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = join(root, ".bench-tmp");
const cli = join(root, "dist/cli.js");
const FILES = Number(process.env.BENCH_FILES ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGETS = { version: 150, oneTemplate: 300, throughputRatio: 1.5 };

if (!existsSync(cli)) execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "inherit" });
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const elapsed = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const timeCommand = (args, runs) =>
  median(
    Array.from({ length: runs }, () => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8" });
      if (result.status === null || result.status > 1) throw new Error(`${args.join(" ")}: ${result.stderr}`);
      return elapsed(start);
    }),
  );

const missed = [];
const report = (name, value, unit, target) => {
  const verdict = target === undefined ? "" : value <= target ? "ok" : "OVER";
  if (verdict === "OVER") missed.push(name);
  const shown = value.toFixed(unit === "x" ? 2 : 1).padStart(9);
  const goal = target === undefined ? "" : `  target ≤ ${target} ${unit}  ${verdict}`;
  console.log(`${name.padEnd(48)} ${shown} ${unit.padEnd(3)}${goal}`);
};

console.log(`trailguard bench — node ${process.version}, ${FILES} files per tree, median of ${RUNS} runs\n`);
report("cold start: --version", timeCommand(["--version"], 15), "ms", TARGETS.version);
const one = [
  "scan",
  "examples/cloudformation/compliant.yaml",
  "--format",
  "json",
  "--output",
  join(tmp, "one.json"),
];
report("cold start: scan of one template", timeCommand(one, 10), "ms", TARGETS.oneTemplate);

// In-process entry points, bundled with the same esbuild settings as dist/.
const harness = join(tmp, "harness.mjs");
await build({
  entryPoints: [join(root, "bench/harness.ts")],
  outfile: harness,
  bundle: true,
  format: "esm",
  platform: "node",
  target: ["node20"],
  minify: true,
  logLevel: "warning",
  banner: { js: 'import { createRequire as __r } from "node:module"; const require = __r(import.meta.url);' },
});
const { scan, parseTree, parseTerraformTree } = await import(pathToFileURL(harness).href);

async function throughput(label, tree, parseOnly) {
  const policiesDir = join(root, "policies");
  let parsed = 0;
  let findings = 0;
  const parse = async () => {
    parsed = await parseOnly(tree);
  };
  // The outcome is dropped at once, so that one run's garbage is not left for the next run to collect.
  const full = async () => {
    findings = (await scan({ paths: [tree], scope: "resource", policiesDir, cwd: root })).findings.length;
  };
  await parse();
  await full(); // warm both paths once
  const parseRuns = [];
  const scanRuns = [];
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, so that a slower or faster phase of the machine affects both sides alike.
    let start = process.hrtime.bigint();
    await parse();
    parseRuns.push(elapsed(start));
    start = process.hrtime.bigint();
    await full();
    scanRuns.push(elapsed(start));
  }
  console.log("");
  report(`${label}: parse only, ${parsed} files`, median(parseRuns), "ms");
  report(`${label}: full scan, ${parsed} files (in-process)`, median(scanRuns), "ms");
  report(
    `${label}: full scan / parse only`,
    median(scanRuns) / median(parseRuns),
    "x",
    TARGETS.throughputRatio,
  );
  const out = join(tmp, `${label}.json`);
  report(
    `${label}: CLI end to end`,
    timeCommand(["scan", tree, "--format", "json", "--output", out], 1),
    "ms",
  );
  const summary = JSON.parse(readFileSync(out, "utf8")).summary;
  console.log(
    `${label}: ${findings} findings (${summary.fail} fail, ${summary.unknown} unknown, ${summary.pass} pass, ` +
      `${summary.notApplicable} not applicable), ${summary.inputErrors} input errors`,
  );
}

writeTemplates(join(tmp, "cloudformation"), FILES);
await throughput("cloudformation", join(tmp, "cloudformation"), parseTree);
rmSync(join(tmp, "cloudformation"), { recursive: true, force: true });
writeTerraform(join(tmp, "terraform"), FILES);
await throughput("terraform", join(tmp, "terraform"), parseTerraformTree);

const live = join(root, "bench/live-calls.mjs");
if (existsSync(live)) {
  console.log("");
  await import(pathToFileURL(live).href);
}

await import(pathToFileURL(join(root, "bench/org-audit.mjs")).href); // organization audit: 100 and 1,000 accounts
rmSync(tmp, { recursive: true, force: true });
if (missed.length > 0) {
  console.log(`\nmissed: ${missed.join("; ")}`);
  process.exitCode = 1;
}
