import { readFileSync } from "node:fs";
import { type Finding, findingFingerprint, type InputError } from "../model/index.js";

export const BASELINE_FORMAT = "trailguard-baseline";

/** One accepted finding of a baseline: its fingerprint, and what a person needs to recognise it. */
export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  resource: string;
  account: string;
  region?: string;
  /** The file the finding pointed at when the baseline was written; not part of the identity. */
  file?: string;
  status: "fail" | "unknown";
}

export interface BaselineFile {
  format: typeof BASELINE_FORMAT;
  version: 1;
  /** trailguard's version that wrote it. */
  tool: string;
  findings: BaselineEntry[];
}

export interface BaselineOutcome {
  /** The baseline file as shown in messages. */
  file: string;
  /** Findings the baseline recorded: shown as existing, not counted for the threshold. */
  matched: number;
  /** Entries of the baseline that no longer occur. */
  fixed: BaselineEntry[];
}

/** What a baseline records: the failing and unknown findings that nothing suppresses. */
function recordable(finding: Finding): finding is Finding & { status: "fail" | "unknown" } {
  return (finding.status === "fail" || finding.status === "unknown") && finding.suppression === undefined;
}

/** The baseline of these findings, as the file `--write-baseline` writes: sorted, so that diffs stay small. */
export function baselineText(findings: Finding[], version: string): string {
  const entries = new Map<string, BaselineEntry>();
  for (const finding of findings) {
    if (!recordable(finding)) continue;
    const fingerprint = findingFingerprint(finding);
    entries.set(fingerprint, {
      fingerprint,
      ruleId: finding.ruleId,
      resource: finding.resource.address,
      account: finding.account,
      ...(finding.region !== undefined ? { region: finding.region } : {}),
      ...(finding.location !== undefined ? { file: finding.location.file } : {}),
      status: finding.status,
    });
  }
  const file: BaselineFile = {
    format: BASELINE_FORMAT,
    version: 1,
    tool: version,
    findings: [...entries.values()].sort((a, b) =>
      a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0,
    ),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A baseline's entries, or undefined with an error (`baseline-invalid`) when it cannot be used. */
export function readBaseline(
  absolutePath: string,
  shown: string,
  errors: InputError[],
): BaselineEntry[] | undefined {
  const fail = (message: string) => {
    errors.push({ code: "baseline-invalid", file: shown, message, severity: "error" });
    return undefined;
  };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(absolutePath, "utf8"));
  } catch (error) {
    return fail(`cannot read the baseline: ${(error as Error).message}`);
  }
  const file = value as Partial<BaselineFile> | null;
  if (typeof file !== "object" || file === null || file.format !== BASELINE_FORMAT) {
    return fail(
      `not a trailguard baseline (written by --write-baseline): "format" is not ${BASELINE_FORMAT}`,
    );
  }
  if (file.version !== 1) return fail(`baseline version ${String(file.version)} is not supported (1 is)`);
  if (!Array.isArray(file.findings)) return fail(`"findings" is not a list`);
  const entries: BaselineEntry[] = [];
  for (const [i, entry] of file.findings.entries()) {
    const e = entry as Partial<BaselineEntry> | null;
    if (
      typeof e !== "object" ||
      e === null ||
      typeof e.fingerprint !== "string" ||
      !/^[0-9a-f]{32}$/.test(e.fingerprint) ||
      typeof e.ruleId !== "string" ||
      typeof e.resource !== "string" ||
      typeof e.account !== "string"
    ) {
      return fail(`findings[${i}] lacks a fingerprint (32 hex digits), ruleId, resource or account`);
    }
    entries.push(e as BaselineEntry);
  }
  return entries;
}

/**
 * Marks failing and unknown findings as `existing` when the baseline records them and `new` otherwise; the
 * baseline's entries that match no current failing or unknown finding are fixed. Findings are changed in place.
 */
export function applyBaseline(findings: Finding[], entries: BaselineEntry[], file: string): BaselineOutcome {
  const known = new Set(entries.map((e) => e.fingerprint));
  const present = new Set<string>();
  let matched = 0;
  for (const finding of findings) {
    if (finding.status !== "fail" && finding.status !== "unknown") continue;
    const fingerprint = findingFingerprint(finding);
    present.add(fingerprint);
    if (finding.suppression !== undefined) continue;
    if (known.has(fingerprint)) {
      finding.baseline = "existing";
      matched++;
    } else finding.baseline = "new";
  }
  return { file, matched, fixed: entries.filter((e) => !present.has(e.fingerprint)) };
}
