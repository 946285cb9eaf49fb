import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { AccountInventory, InputError } from "../model/index.js";
import { type Format, isFormat, reporters } from "../report/index.js";
import { baselineText } from "../scan/baseline.js";
import { type OutputTarget, resolveConfig, type ScanSettings, settingsOf } from "../scan/config.js";
import {
  builtInPoliciesDir,
  EXIT,
  exitCode,
  readLive,
  reportOf,
  scan,
  scanOptionsOf,
  snapshotText,
  version,
} from "../scan/index.js";
import { printErrors } from "./errors.js";
import type { LiveCliOptions, ScanCliOptions } from "./program.js";

/**
 * `given` names the options set on the command line; the others come from the config file when it has them.
 */
export async function runScan(
  paths: string[],
  options: ScanCliOptions & LiveCliOptions,
  given: ReadonlySet<string> = new Set(Object.keys(options)),
): Promise<number> {
  if (options.snapshot && !options.live) {
    process.stderr.write("trailguard: --snapshot goes with --live\n");
    return EXIT.inputError;
  }
  const inputs = paths.length > 0 || options.live ? [...paths] : ["."];
  const loaded = resolveConfig(options.config, inputs[0] ?? ".");
  const settings = settingsOf(givenSettings(options, given), loaded.config);
  const targets = pairOutputs(options, given.has("format") ? undefined : settings.output);
  if (typeof targets === "string") {
    process.stderr.write(`trailguard: ${targets}\n`);
    return EXIT.inputError;
  }
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
    ...scanOptionsOf(settings),
    paths: inputs,
    accounts,
    errors: [...loaded.errors, ...liveErrors],
    policiesDir: builtInPoliciesDir(),
    maxFileBytes: options.maxFileSize * 1024 * 1024,
  });
  if (options.writeBaseline) {
    mkdirSync(dirname(resolve(options.writeBaseline)), { recursive: true });
    writeFileSync(options.writeBaseline, baselineText(outcome.findings, version()));
  }
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
  return exitCode(outcome, settings);
}

/** What the command line said explicitly, in the settings' terms. */
function givenSettings(options: ScanCliOptions, given: ReadonlySet<string>): Partial<ScanSettings> {
  const out: Partial<ScanSettings> = {};
  if (given.has("pack")) out.packs = options.pack;
  if (given.has("rules")) out.rules = options.rules;
  if (given.has("skipRules")) out.skipRules = options.skipRules;
  if (given.has("failOn")) out.failOn = options.failOn;
  if (given.has("failOnUnknown")) out.failOnUnknown = options.failOnUnknown;
  if (given.has("scope")) out.scope = options.scope;
  if (given.has("baseline") && options.baseline) out.baseline = options.baseline;
  if (given.has("inlineSuppressions")) out.inlineSuppressions = options.inlineSuppressions;
  return out;
}

interface Target {
  format: Format;
  file?: string;
}

/**
 * `--format a --output x --format b` → a to x, b to standard output; without `--format`, the config's outputs, else
 * text to standard output. At most one format may go to stdout.
 */
function pairOutputs(options: ScanCliOptions, configured: OutputTarget[] | undefined): Target[] | string {
  if (configured !== undefined && configured.length > 0) {
    if (options.output.length > 0) return "--output goes with --format";
    if (configured.filter((t) => t.file === undefined).length > 1) {
      return "only one format can go to standard output; give the others a file in the config's output";
    }
    return configured;
  }
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
