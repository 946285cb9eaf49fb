import { resolve } from "node:path";
import type { InputError } from "../model/index.js";
import { FORMATS, isFormat, type Report, renderPieces, terminalText } from "../report/index.js";
import {
  batches,
  builtInPoliciesDir,
  EXIT,
  MergeRefused,
  mergeInputs,
  version,
  writeFileAtomic,
} from "../scan/index.js";
import { printErrors } from "./errors.js";

export interface MergeCliOptions {
  format: string[];
  output: string[];
  includePassed: boolean;
  category: string;
  framework: string[];
}

/**
 * `trailguard merge a.json b.sarif … --format sarif --output all.sarif`: one report from the JSON reports, SARIF
 * logs or snapshots of several scans (the shards of an organization scan), written atomically.
 */
export async function runMerge(files: string[], options: MergeCliOptions): Promise<number> {
  const formats = options.format.length > 0 ? options.format : ["text"];
  if (options.output.length > formats.length) {
    process.stderr.write("trailguard: more --output than --format options\n");
    return EXIT.inputError;
  }
  const unknownFormat = formats.find((f) => !isFormat(f));
  if (unknownFormat !== undefined) {
    process.stderr.write(
      `trailguard: unknown format ${terminalText(unknownFormat)} (${FORMATS.join(", ")})\n`,
    );
    return EXIT.inputError;
  }
  const inputs = new Set(files.map((f) => resolve(f)));
  if (options.output.some((o) => inputs.has(resolve(o)))) {
    process.stderr.write("trailguard: an --output file is also a report to merge\n");
    return EXIT.inputError;
  }
  let merged: { report: Report; newErrors: InputError[] };
  try {
    merged = await mergeInputs(files, {
      policiesDir: builtInPoliciesDir(),
      version: version(),
      frameworks: options.framework,
    });
  } catch (error) {
    if (!(error instanceof MergeRefused)) throw error;
    process.stderr.write(`trailguard: cannot merge: ${terminalText(error.message)}\n`);
    return EXIT.inputError;
  }
  const { report, newErrors } = merged;
  const render = { includePassed: options.includePassed, color: false, automationId: options.category };
  for (const [i, format] of formats.entries()) {
    if (!isFormat(format)) continue;
    const content = renderPieces(format, report, render);
    const file = options.output[i];
    if (file) writeFileAtomic(file, content);
    else for (const text of batches(content)) process.stdout.write(text);
  }
  // The shards' own problems were told by their scans; what is new is what the merge could not read.
  printErrors(newErrors);
  return report.errors.some((e) => e.severity === "error") ? EXIT.inputError : EXIT.ok;
}
