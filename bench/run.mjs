// `npm run bench`: start-up and throughput of trailguard, measured in one run, reported as numbers and ratios.
//   cold start: `trailguard --version` and a one-template scan with the built CLI, median of repeated runs;
//   throughput: generated trees of 5,000 CloudFormation templates and of 5,000 `.tf` files, the full scan against
//   finding, reading and parsing the same files with the same parser (and nothing else), in one process;
//   memory: peak resident set size of the built CLI scanning the CloudFormation tree and one large `.tf` file, measured
//   in the child process itself (bench/rss-hook.mjs);
//   live: API calls per account (bench/live-calls.mjs), when that part is present.
// Targets are printed beside the numbers; the exit code is 1 when one is missed.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { parse } from "yaml";
import { writeLargeTerraform, writeTemplates, writeTerraform } from "./templates.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = join(root, ".bench-tmp");
const cli = join(root, "dist/cli.js");
const FILES = Number(process.env.BENCH_FILES ?? 5000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LARGE_TF_BYTES = Number(process.env.BENCH_LARGE_TF_BYTES ?? 10_000_000);
// BENCH_ONLY=start,cloudformation,terraform,large-tf,live,org: the parts to run (all when unset).
const PARTS = ["start", "cloudformation", "terraform", "large-tf", "live", "org"];
const only = (process.env.BENCH_ONLY ?? "").split(",").filter(Boolean);
for (const name of only) if (!PARTS.includes(name)) throw new Error(`BENCH_ONLY: no part ${name} (${PARTS})`);
const runs = (part) => only.length === 0 || only.includes(part);
const TARGETS = {
  version: 150,
  oneTemplate: 300,
  throughputRatio: 1.5,
  treeRssMb: 600,
  largeFileRssRatio: 30,
  actionOverCli: 300,
};

if (!existsSync(cli)) execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "inherit" });
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const elapsed = (start) => Number(process.hrtime.bigint() - start) / 1e6;
const timeCommand = (args, runs, argv = [cli, ...args]) =>
  median(
    Array.from({ length: runs }, () => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, argv, { cwd: root, encoding: "utf8" });
      if (result.status === null || result.status > 1) throw new Error(`${args.join(" ")}: ${result.stderr}`);
      return elapsed(start);
    }),
  );

/** Peak RSS in MB of one CLI run, as the child process itself records it when it exits. */
function peakRss(args) {
  const file = join(tmp, "rss.txt");
  const result = spawnSync(
    process.execPath,
    ["--import", pathToFileURL(join(root, "bench/rss-hook.mjs")).href, cli, ...args],
    {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, BENCH_RSS_FILE: file },
    },
  );
  if (result.status === null || result.status > 1) throw new Error(`${args.join(" ")}: ${result.stderr}`);
  return Number(readFileSync(file, "utf8")) / 1024;
}

const missed = [];
const report = (name, value, unit, target) => {
  const verdict = target === undefined ? "" : value <= target ? "ok" : "OVER";
  if (verdict === "OVER") missed.push(name);
  const shown = value.toFixed(unit === "x" ? 2 : 1).padStart(9);
  const goal = target === undefined ? "" : `  target ≤ ${target} ${unit}  ${verdict}`;
  console.log(`${name.padEnd(48)} ${shown} ${unit.padEnd(3)}${goal}`);
};

console.log(`trailguard bench — node ${process.version}, ${FILES} files per tree, median of ${RUNS} runs\n`);
const one = [
  "scan",
  "examples/cloudformation/compliant.yaml",
  "--format",
  "json",
  "--output",
  join(tmp, "one.json"),
];
if (runs("start")) {
  // What node itself takes to start and exit on this machine, for comparison: no target.
  report("cold start: node alone (node -e 0)", timeCommand([], 15, ["-e", "0"]), "ms");
  report("cold start: --version", timeCommand(["--version"], 15), "ms", TARGETS.version);
  report("cold start: scan of one template", timeCommand(one, 10), "ms", TARGETS.oneTemplate);
}

// The GitHub Action's start over the CLI's: an IaC scan of examples/ through dist/index.js, with every input as the
// runner sets it (action.yml's defaults), against the same scan through the CLI; interleaved, median of each.
function actionOverCli(runs) {
  const action = parse(readFileSync(join(root, "action.yml"), "utf8"));
  const output = join(tmp, "github-output");
  const summary = join(tmp, "github-summary.md");
  const env = { PATH: process.env.PATH, GITHUB_EVENT_NAME: "push", RUNNER_TEMP: tmp, GITHUB_OUTPUT: output };
  Object.assign(env, { GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: root });
  for (const [name, spec] of Object.entries(action.inputs)) {
    env[`INPUT_${name.toUpperCase()}`] = spec.default === "${{ github.token }}" ? "" : (spec.default ?? "");
  }
  Object.assign(env, {
    INPUT_PATH: "examples",
    "INPUT_SOFT-FAIL": "true",
    "INPUT_SARIF-FILE": join(tmp, "a.sarif"),
  });
  const actionRuns = [];
  const cliRuns = [];
  for (let i = 0; i < runs; i++) {
    writeFileSync(output, "");
    writeFileSync(summary, "");
    let start = process.hrtime.bigint();
    const step = spawnSync(process.execPath, [join(root, "dist/index.js")], {
      cwd: root,
      env,
      encoding: "utf8",
    });
    if (step.status !== 0) throw new Error(`dist/index.js: ${step.stdout}${step.stderr}`);
    actionRuns.push(elapsed(start));
    start = process.hrtime.bigint();
    spawnSync(
      process.execPath,
      [cli, "scan", "examples", "--format", "sarif", "--output", join(tmp, "c.sarif")],
      {
        cwd: root,
      },
    );
    cliRuns.push(elapsed(start));
  }
  return median(actionRuns) - median(cliRuns);
}
if (runs("start")) {
  report("action over CLI: IaC scan of examples/", actionOverCli(7), "ms", TARGETS.actionOverCli);
}

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
  // The policies the built CLI loads: precompiled at build time (src/engine/precompiled.ts).
  const policiesDir = join(root, "dist/policies");
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

if (runs("cloudformation")) {
  writeTemplates(join(tmp, "cloudformation"), FILES);
  await throughput("cloudformation", join(tmp, "cloudformation"), parseTree);
  report(
    `cloudformation: peak RSS, CLI scan of ${FILES} files`,
    peakRss(["scan", join(tmp, "cloudformation"), "--format", "json", "--output", join(tmp, "rss.json")]),
    "MB",
    TARGETS.treeRssMb,
  );
  rmSync(join(tmp, "cloudformation"), { recursive: true, force: true });
}
if (runs("terraform")) {
  writeTerraform(join(tmp, "terraform"), FILES);
  await throughput("terraform", join(tmp, "terraform"), parseTerraformTree);
  rmSync(join(tmp, "terraform"), { recursive: true, force: true });
}

// One root module in one large file: memory must stay proportional to it.
if (runs("large-tf")) {
  const large = join(tmp, "large-tf");
  mkdirSync(large);
  const largeBytes = writeLargeTerraform(join(large, "main.tf"), LARGE_TF_BYTES);
  const largeRss = peakRss(["scan", large, "--format", "json", "--output", join(tmp, "large.json")]);
  console.log("");
  report(`terraform: peak RSS, CLI scan of one ${(largeBytes / 1e6).toFixed(1)} MB .tf`, largeRss, "MB");
  report(
    "terraform: peak RSS / size of that file",
    (largeRss * 1024 * 1024) / largeBytes,
    "x",
    TARGETS.largeFileRssRatio,
  );
}

if (runs("live")) {
  console.log("");
  await import(pathToFileURL(join(root, "bench/live-calls.mjs")).href);
}
// organization audit: 100 and 1,000 accounts
if (runs("org")) await import(pathToFileURL(join(root, "bench/org-audit.mjs")).href);
rmSync(tmp, { recursive: true, force: true });
if (missed.length > 0) {
  console.log(`\nmissed: ${missed.join("; ")}`);
  process.exitCode = 1;
}
