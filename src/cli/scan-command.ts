import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { AccountInventory, InputError } from "../model/index.js";
import { type Format, isFormat, reporters } from "../report/index.js";
import {
  builtInPoliciesDir,
  EXIT,
  exitCode,
  readLive,
  reportOf,
  scan,
  snapshotText,
  version,
} from "../scan/index.js";
import { printErrors } from "./errors.js";
import type { LiveCliOptions, ScanCliOptions } from "./program.js";

export async function runScan(paths: string[], options: ScanCliOptions & LiveCliOptions): Promise<number> {
  const targets = pairOutputs(options);
  if (typeof targets === "string") {
    process.stderr.write(`trailguard: ${targets}\n`);
    return EXIT.inputError;
  }
  if (options.snapshot && !options.live) {
    process.stderr.write("trailguard: --snapshot goes with --live\n");
    return EXIT.inputError;
  }
  const inputs = paths.length > 0 || options.live ? [...paths] : ["."];
  let accounts: AccountInventory[] = [];
  let liveErrors: InputError[] = [];
  if (options.live) {
    const live = await readLive(options, version());
    liveErrors = live.errors;
    if (options.snapshot) {
      // Findings then point at the resources' lines in the snapshot, a file the user keeps.
      mkdirSync(dirname(resolve(options.snapshot)), { recursive: true });
      writeFileSync(options.snapshot, await snapshotText(live.accounts, version()));
      inputs.push(options.snapshot);
    } else accounts = live.accounts;
  }
  const outcome = await scan({
    paths: inputs,
    accounts,
    errors: liveErrors,
    scope: options.scope,
    policiesDir: builtInPoliciesDir(),
    packs: options.pack,
    rules: options.rules,
    skipRules: options.skipRules,
    cisExact: options.cisExact,
    maxFileBytes: options.maxFileSize * 1024 * 1024,
  });
  const report = reportOf(outcome, version());
  for (const target of targets) {
    const color =
      target.file === undefined &&
      options.color !== false &&
      process.stdout.isTTY === true &&
      !process.env.NO_COLOR;
    const content = reporters[target.format](report, {
      includePassed: options.includePassed,
      color,
      automationId: options.category,
    });
    if (target.file) {
      mkdirSync(dirname(resolve(target.file)), { recursive: true });
      writeFileSync(target.file, content);
    } else if (!options.quiet || options.format.length > 0) {
      process.stdout.write(content);
    }
  }
  if (targets.every((t) => t.file !== undefined) && !options.quiet) printErrors(outcome.errors);
  return exitCode(outcome, options);
}

interface Target {
  format: Format;
  file?: string;
}

/** `--format a --output x --format b` → a to x, b to standard output. At most one format may go to stdout. */
function pairOutputs(options: ScanCliOptions): Target[] | string {
  const formats = options.format.length > 0 ? options.format : ["text"];
  if (options.output.length > formats.length) return "more --output than --format options";
  const targets: Target[] = [];
  for (const [i, format] of formats.entries()) {
    if (!isFormat(format)) return `unknown format ${format} (text, json, sarif, markdown)`;
    targets.push({ format, file: options.output[i] });
  }
  if (targets.filter((t) => t.file === undefined).length > 1) {
    return "only one format can go to standard output; give the others an --output file";
  }
  return targets;
}
