import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { type Format, isFormat, reporters, terminalText } from "../report/index.js";
import {
  builtInPoliciesDir,
  EXIT,
  exitCode,
  reportOf,
  scan,
  version,
  writeFileAtomic,
} from "../scan/index.js";
import { printErrors } from "./errors.js";
import type { LiveCliOptions, ScanCliOptions } from "./program.js";

export async function runScan(paths: string[], options: ScanCliOptions & LiveCliOptions): Promise<number> {
  const targets = pairOutputs(options, paths);
  if (typeof targets === "string") {
    process.stderr.write(`trailguard: ${targets}\n`);
    return EXIT.inputError;
  }
  if (options.snapshot && !options.live) {
    process.stderr.write("trailguard: --snapshot goes with --live\n");
    return EXIT.inputError;
  }
  const outcome = await scan({
    paths: paths.length > 0 || options.live ? paths : ["."],
    live: options.live
      ? {
          profile: options.profile,
          region: options.region,
          regions: options.regions,
          lakeRegions: options.lakeRegions,
          snapshot: options.snapshot,
        }
      : undefined,
    version: version(),
    scope: options.scope,
    policiesDir: builtInPoliciesDir(),
    packs: options.pack,
    rules: options.rules,
    skipRules: options.skipRules,
    maxFileBytes: options.maxFileSize * 1024 * 1024,
    terraform: { varFiles: options.varFile, maxInstances: options.maxInstances },
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
      try {
        writeFileAtomic(target.file, content);
      } catch (error) {
        process.stderr.write(
          `trailguard: cannot write ${terminalText(target.file)}: ${describeWriteError(error)}\n`,
        );
        printErrors(outcome.errors);
        return EXIT.inputError;
      }
    } else if (!options.quiet || options.format.length > 0) {
      process.stdout.write(content);
    }
  }
  // Input errors always reach standard error, quiet or not, unless the text report on standard output lists them.
  const textOnStdout = targets.some((t) => t.file === undefined && t.format === "text") && !options.quiet;
  if (!textOnStdout) printErrors(outcome.errors);
  return exitCode(outcome, options);
}

interface Target {
  format: Format;
  file?: string;
}

/**
 * `--format a --output x --format b` → a to x, b to standard output. At most one format may go to stdout; no file
 * may take two reports, and no report may overwrite an input.
 */
function pairOutputs(options: ScanCliOptions, inputs: string[]): Target[] | string {
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
  const seen = new Set<string>();
  const inputFiles = new Set(inputs.map((p) => resolve(p)));
  for (const { file } of targets) {
    if (file === undefined) continue;
    const path = resolve(file);
    if (seen.has(path))
      return `--output ${terminalText(file)} is given twice: each report needs its own file`;
    if (inputFiles.has(path))
      return `--output ${terminalText(file)} is one of the inputs: it would be overwritten`;
    if (existsSync(path) && statSync(path).isDirectory())
      return `--output ${terminalText(file)} is a directory`;
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
