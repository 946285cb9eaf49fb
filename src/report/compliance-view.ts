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

/** Replaces control characters (terminal escapes included) by visible `\u` escapes; tabs and newlines stay. */
export function printable(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = (code < 0x20 && c !== "\t" && c !== "\n") || (code >= 0x7f && code <= 0x9f);
    out += control ? `\\u${code.toString(16).padStart(4, "0")}` : c;
  }
  return out;
}
