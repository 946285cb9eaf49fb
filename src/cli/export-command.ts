import { withProgress } from "../report/progress.js";
import { EXIT, readLive, snapshotText, version, writeFileAtomic } from "../scan/index.js";
import { printErrors } from "./errors.js";
import { type LiveCliOptions, liveInputOf } from "./program.js";

/** `trailguard export --live --output snapshot.json`: the collected inventory, for a later `trailguard scan`. */
export async function runExport(options: LiveCliOptions & { output: string }): Promise<number> {
  const input = liveInputOf(options);
  if (!input) {
    process.stderr.write("trailguard: export reads a live account: give --live or --org\n");
    return EXIT.inputError;
  }
  const progress = withProgress(input, false);
  const live = await readLive(progress.input, version()).finally(() => progress.finish());
  writeFileAtomic(options.output, await snapshotText(live.accounts, version()));
  printErrors(live.errors);
  const resources = live.accounts.reduce((n, a) => n + a.trails.length + a.buckets.length, 0);
  process.stderr.write(
    `trailguard: wrote ${options.output} (${live.accounts.length} account${live.accounts.length === 1 ? "" : "s"}, ${resources} trails and buckets)\n`,
  );
  return live.errors.some((e) => e.severity === "error") ? EXIT.inputError : EXIT.ok;
}
