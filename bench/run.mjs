// `npm run bench`: start-up and throughput of the built CLI, measured in one run, reported as numbers and ratios.
//   cold start: `trailguard --version` and a one-template scan, median of repeated runs;
//   throughput: a generated tree of 5,000 templates, full scan vs finding, reading and parsing the same files with
//   the same parser (and nothing else).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { writeTemplates } from "./templates.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = join(root, ".bench-tmp");
const cli = join(root, "dist/cli.js");
const TEMPLATES = Number(process.env.BENCH_TEMPLATES ?? 5000);
const TARGETS = { version: 150, oneTemplate: 300, throughputRatio: 1.5 };

if (!existsSync(cli)) execFileSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "inherit" });
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timeCommand = (args, runs) =>
  median(
    Array.from({ length: runs }, () => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8" });
      if (result.status === null || result.status > 1) throw new Error(`${args.join(" ")}: ${result.stderr}`);
      return Number(process.hrtime.bigint() - start) / 1e6;
    }),
  );

const results = [];
const report = (name, value, unit, target, better = "lower") => {
  const ok = target === undefined ? "" : better === "lower" ? (value <= target ? "ok" : "OVER") : "";
  results.push({ name, value, unit, target, ok });
  console.log(
    `${name.padEnd(46)} ${value.toFixed(unit === "x" ? 2 : 1).padStart(9)} ${unit.padEnd(3)}${target === undefined ? "" : `  target ≤ ${target} ${unit}  ${ok}`}`,
  );
};

console.log(`trailguard bench — node ${process.version}, ${TEMPLATES} templates\n`);
report("cold start: --version", timeCommand(["--version"], 15), "ms", TARGETS.version);
report(
  "cold start: scan of one template",
  timeCommand(
    ["scan", "examples/cloudformation/compliant.yaml", "--format", "json", "--output", join(tmp, "one.json")],
    10,
  ),
  "ms",
  TARGETS.oneTemplate,
);

// Throughput, in-process, with the bench harness bundled like dist/.
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
const { scan, parseTree } = await import(pathToFileURL(harness).href);
const tree = join(tmp, "tree");
writeTemplates(tree, TEMPLATES);
const policiesDir = join(root, "policies");
let parsedFiles = 0;
const parseOnly = () => {
  parsedFiles = parseTree(tree);
};
let findingCount = 0;
// The outcome is dropped at once, so that one run's garbage is not left for the next run to collect.
const fullScan = async () => {
  findingCount = (await scan({ paths: [tree], scope: "resource", policiesDir, cwd: root })).findings.length;
};
const timeIt = async (fn) => {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};
parseOnly();
await fullScan(); // warm both paths once
// Interleaved, so that a slower or faster phase of the machine affects both sides alike.
const parseRuns = [];
const scanRuns = [];
for (let i = 0; i < 5; i++) {
  parseRuns.push(await timeIt(parseOnly));
  scanRuns.push(await timeIt(fullScan));
}
const parseMs = median(parseRuns);
const scanMs = median(scanRuns);
report(`parse only: ${parsedFiles} templates`, parseMs, "ms");
report(`full scan: ${parsedFiles} templates (in-process)`, scanMs, "ms");
report("full scan / parse only", scanMs / parseMs, "x", TARGETS.throughputRatio);
report(
  `CLI end to end: ${parsedFiles} templates`,
  timeCommand(["scan", tree, "--format", "json", "--output", join(tmp, "tree.json")], 1),
  "ms",
);
const summary = JSON.parse(readFileSync(join(tmp, "tree.json"), "utf8")).summary;
console.log(
  `\n${parsedFiles} templates → ${findingCount} findings (${summary.fail} fail, ${summary.unknown} unknown, ` +
    `${summary.pass} pass, ${summary.notApplicable} not applicable)`,
);
rmSync(tmp, { recursive: true, force: true });
if (results.some((r) => r.ok === "OVER")) process.exitCode = 1;
