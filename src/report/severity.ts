import { SEVERITIES, type Severity } from "../model/index.js";

/** 0 for critical, up to 4 for info: sort key, most severe first. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export type SarifLevel = "error" | "warning" | "note";

const LEVELS: Record<Severity, SarifLevel> = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note",
};

export function sarifLevel(severity: Severity): SarifLevel {
  return LEVELS[severity];
}

/**
 * GitHub's `security-severity` score, a string. GitHub buckets scores as: over 9.0 critical, 7.0–8.9 high,
 * 4.0–6.9 medium, 0.1–3.9 low. Each value sits inside its bucket, away from the edges, so rounding elsewhere
 * cannot move a rule into the neighbouring bucket.
 *
 * `info` gets no score at all (`undefined`): any `security-severity` present, even "0.0", makes GitHub treat the
 * rule's results as security alerts, and an informational rule is not one. Without the property GitHub files
 * them as ordinary results at their level (`note`), and SARIF consumers see `problem.severity: recommendation`.
 */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: undefined,
};

export function securitySeverity(severity: Severity): string | undefined {
  return SECURITY_SEVERITY[severity];
}
