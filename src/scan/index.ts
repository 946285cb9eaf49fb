export { DEFAULT_MAX_FILE_BYTES, type ScanOptions, type ScanOutcome, scan } from "./scan.js";
