import type { Report } from "../../src/report/types.js";
import { reportOf, scan } from "../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";
import { REPO_ROOT } from "../support/paths.js";

/** Pinned so that the snapshots hold still; everything else in them comes from the examples and the policies. */
const SCANNED_AT = new Date("2026-01-01T00:00:00.000Z");

/** The report of one example file, scanned as a whole account, with these frameworks assessed. */
export async function exampleReport(file: string, frameworks: string[]): Promise<Report> {
  const outcome = await scan({
    paths: [file],
    scope: "account",
    ...BUILT_IN_POLICIES,
    cwd: REPO_ROOT,
    frameworks,
  });
  return reportOf(outcome, "0.0.0-test", SCANNED_AT);
}
