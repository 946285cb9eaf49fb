import type { Finding, InputError, Rule, SourceLocation, Status } from "../model/index.js";
import { displayPath } from "./paths.js";
import { severityRank } from "./severity.js";
import type { Report } from "./types.js";

/** Order of statuses when importance matters: what needs action first. */
const STATUS_RANK: Record<Status, number> = { error: 0, fail: 1, unknown: 2, pass: 3, "not-applicable": 4 };

/** Code-unit order, independent of the locale, so output is the same on every machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLocations(a: SourceLocation | undefined, b: SourceLocation | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return compareText(a.file, b.file) || a.line - b.line || a.column - b.column;
}

/** Reading order: by location (findings without one last), then rule id, resource address and status. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareLocations(a.location, b.location) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.resource.address, b.resource.address) ||
    compareText(a.account, b.account) ||
    compareText(a.region ?? "", b.region ?? "") ||
    STATUS_RANK[a.status] - STATUS_RANK[b.status]
  );
}

/**
 * Importance order: active findings before suppressed ones, failures before unknowns before passes, most severe
 * first, then reading order. Used to put what needs action first and to choose what a size limit keeps.
 */
export function compareImportance(a: Finding, b: Finding): number {
  return (
    Number(a.suppression !== undefined) - Number(b.suppression !== undefined) ||
    STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
    severityRank(a.severity) - severityRank(b.severity) ||
    compareFindings(a, b)
  );
}

export function compareInputErrors(a: InputError, b: InputError): number {
  return (
    compareText(a.file ?? "", b.file ?? "") ||
    (a.line ?? 0) - (b.line ?? 0) ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareText(a.severity, b.severity) ||
    compareText(a.message, b.message)
  );
}

/** Findings a human report lists: fail and unknown always, pass on request, not-applicable never. */
export function isListed(finding: Finding, includePassed: boolean): boolean {
  return (
    finding.status === "fail" ||
    finding.status === "unknown" ||
    finding.status === "error" ||
    (includePassed && finding.status === "pass")
  );
}

/** `Undetermined inputs: trail.kmsKeyId (reason); bucket.policy (reason).`, or "" when there are none. */
export function unknownsSentence(finding: Finding): string {
  if (finding.unknowns.length === 0) return "";
  const items = finding.unknowns.map((u) => `${u.path} (${u.reason})`);
  return `Undetermined inputs: ${items.join("; ")}.`;
}

/** The finding's message followed by its undetermined inputs, for formats that have one message field. */
export function fullMessage(finding: Finding): string {
  return [finding.message.trim(), unknownsSentence(finding)].filter((s) => s !== "").join(" ");
}

/** `file:line` (text) or `file#Lline` (Markdown, GitHub's line anchor); "" when there is no location. */
export function locationLabel(
  root: string,
  location: SourceLocation | undefined,
  style: "colon" | "anchor",
): string {
  if (location === undefined) return "";
  const file = displayPath(root, location.file);
  return style === "colon" ? `${file}:${location.line}` : `${file}#L${location.line}`;
}

/** `file:line: message`, `file: message` or `message`, the shape compilers use for diagnostics. */
export function inputErrorLabel(root: string, error: InputError): string {
  if (error.file === undefined) return error.message;
  const where =
    error.line === undefined
      ? displayPath(root, error.file)
      : `${displayPath(root, error.file)}:${error.line}`;
  return `${where}: ${error.message}`;
}

/** The rule's own link, else its anchor in the project's rule documentation. */
export function ruleHelpUri(report: Report, rule: Rule): string {
  if (rule.helpUri !== undefined && rule.helpUri !== "") return rule.helpUri;
  const base = report.tool.informationUri.replace(/\/+$/, "");
  return `${base}/blob/main/docs/rules.md#${encodeURIComponent(rule.id)}`;
}

/** Rules sorted by id, for deterministic output whatever order packs were loaded in. */
export function sortedRules(rules: readonly Rule[]): Rule[] {
  return [...rules].sort((a, b) => compareText(a.id, b.id));
}
