import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { FORMATS, type Format, isFormat, renderPieces, terminalText } from "../report/index.js";
import { withProgress } from "../report/progress.js";
import { baselineText } from "../scan/baseline.js";
import { type OutputTarget, resolveConfig, type ScanSettings, settingsOf } from "../scan/config.js";
import {
  batches,
  builtInPoliciesDir,
  EXIT,
  exitCode,
  reportOf,
  scan,
  scanOptionsOf,
  version,
  writeFileAtomic,
} from "../scan/index.js";
import { printErrors } from "./errors.js";
import { type LiveCliOptions, liveInputOf, type ScanCliOptions } from "./program.js";

/**
 * `given` names the options set on the command line; the others come from the config file when it has them.
 */
export async function runScan(
  paths: string[],
  options: ScanCliOptions & LiveCliOptions,
  given: ReadonlySet<string> = new Set(Object.keys(options)),
): Promise<number> {
  const live = liveInputOf(options);
  if (options.snapshot && !live) {
    process.stderr.write("trailguard: --snapshot goes with --live or --org\n");
    return EXIT.inputError;
  }
  const inputs = paths.length > 0 || live ? [...paths] : ["."];
  const loaded = resolveConfig(options.config, inputs[0] ?? ".");
  const settings = settingsOf(givenSettings(options, given), loaded.config);
  const targets = pairOutputs(options, given.has("format") ? undefined : settings.output, inputs);
  if (typeof targets === "string") {
    process.stderr.write(`trailguard: ${targets}\n`);
    return EXIT.inputError;
  }
  const progress = live ? withProgress(live, options.quiet) : undefined;
  const outcome = await scan({
    ...scanOptionsOf(settings),
    paths: inputs,
    live: progress ? { ...progress.input, snapshot: options.snapshot } : undefined,
    version: version(),
    errors: loaded.errors,
    policiesDir: builtInPoliciesDir(),
    cisExact: options.cisExact,
    maxFileBytes: options.maxFileSize * 1024 * 1024,
    terraform: { varFiles: options.varFile, maxInstances: options.maxInstances },
  }).finally(() => progress?.finish());
  const writes: { file: string; content: () => string | Iterable<string> }[] = [];
  if (options.writeBaseline) {
    writes.push({ file: options.writeBaseline, content: () => baselineText(outcome.findings, version()) });
  }
  const report = reportOf(outcome, version());
  for (const target of targets) {
    const color =
      target.file === undefined &&
      options.color !== false &&
      process.stdout.isTTY === true &&
      !process.env.NO_COLOR;
    const render = () =>
      renderPieces(target.format, report, {
        includePassed: options.includePassed,
        color,
        automationId: options.category,
      });
    if (target.file) writes.push({ file: target.file, content: render });
    else if (!options.quiet || options.format.length > 0)
      for (const text of batches(render())) process.stdout.write(text);
  }
  for (const { file, content } of writes) {
    try {
      writeFileAtomic(file, content());
    } catch (error) {
      process.stderr.write(`trailguard: cannot write ${terminalText(file)}: ${describeWriteError(error)}\n`);
      printErrors(outcome.errors);
      return EXIT.inputError;
    }
  }
  // Input errors always reach standard error, quiet or not, unless the text report on standard output lists them.
  const textOnStdout = targets.some((t) => t.file === undefined && t.format === "text") && !options.quiet;
  if (!textOnStdout) printErrors(outcome.errors);
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
  if (given.has("framework") && options.framework.length > 0) out.frameworks = options.framework;
  return out;
}

interface Target {
  format: Format;
  file?: string;
}

/**
 * `--format a --output x --format b` → a to x, b to standard output; without `--format`, the config's outputs, else
 * text to standard output. At most one format may go to stdout; no file may take two reports, and no report may
 * overwrite an input.
 */
function pairOutputs(
  options: ScanCliOptions,
  configured: OutputTarget[] | undefined,
  inputs: string[],
): Target[] | string {
  let targets: Target[] = [];
  if (configured !== undefined && configured.length > 0) {
    if (options.output.length > 0) return "--output goes with --format";
    if (configured.filter((t) => t.file === undefined).length > 1) {
      return "only one format can go to standard output; give the others a file in the config's output";
    }
    targets = configured;
  } else {
    const formats = options.format.length > 0 ? options.format : ["text"];
    if (options.output.length > formats.length) return "more --output than --format options";
    for (const [i, format] of formats.entries()) {
      if (!isFormat(format)) return `unknown format ${terminalText(format)} (${FORMATS.join(", ")})`;
      targets.push({ format, file: options.output[i] });
    }
    if (targets.filter((t) => t.file === undefined).length > 1) {
      return "only one format can go to standard output; give the others an --output file";
    }
  }
  const seen = new Set<string>();
  const inputFiles = new Set(inputs.map((p) => resolve(p)));
  const files = [...targets.map((t) => t.file), options.writeBaseline];
  for (const file of files) {
    if (file === undefined) continue;
    const path = resolve(file);
    if (seen.has(path))
      return `${terminalText(file)} is given twice as an output: each report needs its own file`;
    if (inputFiles.has(path))
      return `output ${terminalText(file)} is one of the inputs: it would be overwritten`;
    if (existsSync(path) && statSync(path).isDirectory())
      return `output ${terminalText(file)} is a directory`;
    seen.add(path);
  }
  return targets;
}

function describeWriteError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case "EACCES":
    case "EPERM":
    case "EROFS":
      return "permission denied";
    case "ENOTDIR":
    case "EEXIST":
      return "a parent of the path is a file";
    case "EISDIR":
      return "it is a directory";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return e.code ?? String(e.message);
  }
}
