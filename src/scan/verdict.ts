import type { Finding, Severity } from "../model/index.js";
import type { Report } from "../report/index.js";
import type { ScanOutcome } from "./scan.js";

/** Exit codes: the contract with CI systems, the same for the CLI and the action. */
export const EXIT = { ok: 0, findings: 1, inputError: 2 } as const;

const RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

export interface Threshold {
  /** Fail on findings at or above this severity; `none` never fails on findings. */
  failOn: Severity | "none";
  /** Undecidable findings count as failing (the default: trailguard never passes what it could not read). */
  failOnUnknown: boolean;
}

/**
 * 2 when an input could not be read or a rule could not be evaluated, else 1 when a finding at or above the
 * threshold fails that is neither suppressed (inline or by a waiver) nor existing in the baseline.
 */
export function exitCode(outcome: Pick<ScanOutcome, "findings" | "errors">, threshold: Threshold): number {
  if (outcome.errors.some((e) => e.severity === "error")) return EXIT.inputError;
  if (outcome.findings.some((f) => f.status === "error" && !f.suppression)) return EXIT.inputError;
  return failingFindings(outcome.findings, threshold).length > 0 ? EXIT.findings : EXIT.ok;
}

export function failingFindings(findings: Finding[], { failOn, failOnUnknown }: Threshold): Finding[] {
  if (failOn === "none") return [];
  return findings.filter(
    (f) =>
      !f.suppression &&
      f.baseline !== "existing" &&
      RANK[f.severity] >= RANK[failOn] &&
      (f.status === "fail" || (f.status === "unknown" && failOnUnknown)),
  );
}

/** The report of a scan; `scannedAt` is when it ran (tests pin it). */
export function reportOf(outcome: ScanOutcome, version: string, scannedAt = new Date()): Report {
  return {
    tool: { name: "trailguard", version, informationUri: "https://github.com/trailguard/trailguard" },
    root: outcome.inventory.root,
    rules: outcome.rules,
    findings: outcome.findings,
    errors: outcome.errors,
    files: outcome.inventory.files,
    review: outcome.review,
    frameworks: outcome.frameworks,
    provenance: {
      scannedAt: scannedAt.toISOString(),
      packs: outcome.packs.map((p) => ({ id: p.id, version: p.version ?? null })),
      inputs: [...new Set(outcome.inventory.files)].map((path) => ({
        path,
        sha256: outcome.digests.get(path) ?? null,
      })),
      // By account, as a merge of shards lists them.
      live: [...outcome.live].sort((a, b) => a.account.localeCompare(b.account)),
    },
  };
}
