import {
  assessCompliance,
  CONTROL_STATUSES,
  type Compliance,
  type ControlStatus,
  type FrameworkResult,
  type StatusCounts,
} from "./compliance.js";
import type { Report } from "./types.js";

/** The compliance section of a report, or undefined when no framework was asked for. */
export function complianceOf(report: Report): Compliance | undefined {
  const frameworks = report.frameworks ?? [];
  if (frameworks.length === 0) return undefined;
  return assessCompliance(
    frameworks,
    report.findings,
    report.rules.map((r) => r.id),
  );
}

/** `3 met, 2 not met, 1 unknown`: the statuses that occur, in the canonical order. */
export function countsLine(counts: StatusCounts): string {
  const parts = CONTROL_STATUSES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s}`);
  return parts.length > 0 ? parts.join(", ") : "no controls";
}

/** `PCI DSS v4.0`, with the account when the scan judged several. */
export function resultHeading(result: FrameworkResult, compliance: Compliance): string {
  const title = result.framework.title;
  return compliance.accounts.length > 1 ? `${title} — ${result.account}` : title;
}

/** Statuses sorted for reading: what needs action first. */
export const STATUS_ORDER: readonly ControlStatus[] = [
  "not met",
  "unknown",
  "manual",
  "partly",
  "not assessed",
  "met",
];
