export { batches, writeFileAtomic } from "./atomic-write.js";
export { type BaselineEntry, baselineText } from "./baseline.js";
export {
  findConfig,
  type LoadedConfig,
  loadConfig,
  type ProjectConfig,
  resolveConfig,
  type ScanSettings,
  settingsOf,
  type Waiver,
} from "./config.js";
export { builtInPoliciesDir, version } from "./install-paths.js";
export { type LiveInput, type LiveRead, readLive, snapshotText } from "./live.js";
export { type MergeOptions, MergeRefused, mergeInputs, mergeReports } from "./merge.js";
export {
  DEFAULT_MAX_FILE_BYTES,
  type LiveScan,
  type ScanOptions,
  type ScanOutcome,
  scan,
  scanOptionsOf,
} from "./scan.js";
export { EXIT, exitCode, failingFindings, reportOf, type Threshold } from "./verdict.js";
