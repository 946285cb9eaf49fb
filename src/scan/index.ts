export { writeFileAtomic } from "./atomic-write.js";
export { builtInPoliciesDir, version } from "./install-paths.js";
export { type LiveInput, type LiveRead, readLive, snapshotText } from "./live.js";
export { DEFAULT_MAX_FILE_BYTES, type LiveScan, type ScanOptions, type ScanOutcome, scan } from "./scan.js";
export { EXIT, exitCode, failingFindings, reportOf, type Threshold } from "./verdict.js";
