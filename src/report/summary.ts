import { SEVERITIES, type Severity } from "../model/index.js";
import type { Report } from "./types.js";

/**
 * Finding counts. Every finding is counted exactly once: a suppressed finding counts as `suppressed` whatever its
 * status, one the baseline recorded as `existing`, every other one under its status, so the counts add up to
 * `total`. `bySeverity` counts the active failures (neither suppressed nor existing), the number a severity
 * threshold is checked against.
 */
export interface Summary {
  total: number;
  pass: number;
  fail: number;
  unknown: number;
  notApplicable: number;
  suppressed: number;
  /** Of the suppressed findings, those a waiver of the config file covers. */
  waived: number;
  /** Failing or unknown findings the baseline records: shown, not counted for the threshold. */
  existing: number;
  /** Baseline entries that no longer occur. */
  fixed: number;
  /** Inline suppressions not honoured (`--no-inline-suppressions`). */
  inlineIgnored: number;
  /** Whether a baseline was applied. */
  baseline: boolean;
  /** Waivers and inline suppressions past their expiry (they no longer apply). */
  expiredWaivers: number;
  /** Waivers that cover no failing or unknown finding. */
  staleWaivers: number;
  /** Rules that could not be evaluated (a wrong pack). */
  ruleErrors: number;
  bySeverity: Record<Severity, number>;
  /** Input problems of severity `error`. */
  inputErrors: number;
  /** Input problems of severity `warning`. */
  warnings: number;
}

export function summarize(report: Report): Summary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const summary: Summary = {
    total: report.findings.length,
    pass: 0,
    fail: 0,
    unknown: 0,
    notApplicable: 0,
    suppressed: 0,
    waived: 0,
    existing: 0,
    fixed: report.review?.baseline?.fixed.length ?? 0,
    inlineIgnored: report.review?.inlineIgnored ?? 0,
    baseline: report.review?.baseline !== undefined,
    expiredWaivers: report.errors.filter((e) => e.code === "waiver-expired").length,
    staleWaivers: report.errors.filter((e) => e.code === "waiver-stale").length,
    ruleErrors: 0,
    bySeverity,
    inputErrors: report.errors.filter((e) => e.severity === "error").length,
    warnings: report.errors.filter((e) => e.severity === "warning").length,
  };
  for (const finding of report.findings) {
    if (finding.suppression !== undefined) {
      summary.suppressed++;
      if (finding.suppression.kind === "waiver") summary.waived++;
      continue;
    }
    if (finding.baseline === "existing") {
      summary.existing++;
      continue;
    }
    switch (finding.status) {
      case "pass":
        summary.pass++;
        break;
      case "fail":
        summary.fail++;
        bySeverity[finding.severity]++;
        break;
      case "unknown":
        summary.unknown++;
        break;
      case "not-applicable":
        summary.notApplicable++;
        break;
      case "error":
        summary.ruleErrors++;
        break;
    }
  }
  return summary;
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * `12 failed, 3 unknown, 20 passed, 2 suppressed; 1 input error, 4 warnings`, shared by the text and Markdown
 * reports; rule errors, waivers, the baseline and ignored inline suppressions are named only when they play a part.
 */
export function summaryLine(summary: Summary): string {
  const ruleErrors =
    summary.ruleErrors > 0 ? `, ${plural(summary.ruleErrors, "rule error", "rule errors")}` : "";
  const waived = summary.waived > 0 ? ` (${summary.waived} by waivers)` : "";
  const counts = `${summary.fail} failed, ${summary.unknown} unknown, ${summary.pass} passed, ${summary.suppressed} suppressed${waived}${ruleErrors}`;
  const baseline = summary.baseline
    ? `; baseline matched ${summary.existing} existing, ${summary.fixed} fixed`
    : "";
  const waivers = [
    summary.expiredWaivers > 0 ? `${plural(summary.expiredWaivers, "waiver", "waivers")} expired` : "",
    summary.staleWaivers > 0 ? `${plural(summary.staleWaivers, "waiver", "waivers")} stale` : "",
  ].filter(Boolean);
  const waiverNote = waivers.length > 0 ? `; ${waivers.join(", ")}` : "";
  const ignored =
    summary.inlineIgnored > 0
      ? `; ${plural(summary.inlineIgnored, "inline suppression", "inline suppressions")} ignored`
      : "";
  return `${counts}${baseline}${waiverNote}${ignored}; ${plural(summary.inputErrors, "input error", "input errors")}, ${plural(summary.warnings, "warning", "warnings")}`;
}
