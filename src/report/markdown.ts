import type { Finding } from "../model/index.js";
import { append } from "../model/index.js";
import { ACCOUNT_TABLE_HEADERS, accountSummaries, accountTableRows, isMultiAccount } from "./accounts.js";
import { complianceOf, countsLine, resultHeading } from "./compliance-view.js";
import { markdownText } from "./escape.js";
import {
  compareImportance,
  compareInputErrors,
  fullMessage,
  inputErrorLabel,
  isListed,
  locationLabel,
} from "./findings.js";
import { summarize, summaryLine } from "./summary.js";
import type { RenderOptions, Report } from "./types.js";

/** GitHub's limit for an issue or pull-request comment body (job summaries allow more). */
export const MARKDOWN_MAX_CHARS = 65_536;
/** Room kept for the truncation note and closing tags once rows stop fitting. */
const RESERVE = 400;

/** Makes text safe inside a GFM table cell: no column or line breaks, no raw HTML, links, images or mentions. */
export function escapeCell(text: string): string {
  return markdownText(text);
}

/** A cell the report wrote itself (a link it built), already safe: not escaped again. */
interface RawCell {
  raw: string;
}
type Cell = string | RawCell;

function tableRow(cells: Cell[]): string {
  return `| ${cells.map((c) => (typeof c === "string" ? escapeCell(c) : c.raw)).join(" | ")} |`;
}

function tableHead(headers: string[]): string[] {
  return [tableRow(headers), `|${headers.map(() => "---").join("|")}|`];
}

/** Appends lines while they fit in the budget; reports what it had to leave out. */
class Budget {
  readonly lines: string[] = [];
  private length = 0;
  omitted = 0;

  constructor(private readonly limit: number) {}

  /** Adds the lines if they fit (keeping the reserve free); once something did not fit, nothing more is added. */
  add(...lines: string[]): boolean {
    const size = lines.reduce((n, line) => n + line.length + 1, 0);
    if (this.omitted > 0 || this.length + size > this.limit - RESERVE) return false;
    append(this.lines, lines);
    this.length += size;
    return true;
  }

  /** Adds a table: the head and as many rows as fit; rows left out are counted. */
  table(headers: string[], rows: Cell[][]): void {
    if (rows.length === 0) return;
    if (!this.add(...tableHead(headers), tableRow(rows[0] ?? []))) {
      this.omitted += rows.length;
      return;
    }
    for (const [i, row] of rows.entries()) {
      if (i === 0) continue;
      if (!this.add(tableRow(row))) {
        this.omitted += rows.length - i;
        return;
      }
    }
  }

  /** Always added: closing tags and the truncation note, which the reserve is kept for. */
  force(...lines: string[]): void {
    append(this.lines, lines);
    this.length += lines.reduce((n, line) => n + line.length + 1, 0);
  }
}

/** An organization scan's per-account table, right under the counts; nothing for a scan of one account. */
function addAccountTable(doc: Budget, report: Report): void {
  const summaries = accountSummaries(report);
  if (!isMultiAccount(summaries)) return;
  doc.add(`### Accounts (${summaries.length})`, "");
  doc.table(ACCOUNT_TABLE_HEADERS, accountTableRows(summaries));
  doc.add("");
}

/** `inline`, or `waiver (.trailguard.yml:12, approved by …)`. */
function suppressionSource(report: Report, finding: Finding): string {
  const s = finding.suppression;
  if (s === undefined || s.kind === "inline") return "inline";
  const at = locationLabel(report.root, s.location, "colon");
  const details = [at, s.approvedBy ? `approved by ${s.approvedBy}` : ""].filter(Boolean).join(", ");
  return details ? `waiver (${details})` : "waiver";
}

function where(report: Report, finding: Finding, options: RenderOptions): Cell {
  const label = locationLabel(report.root, finding.location, "anchor") || "(no file)";
  const url = finding.location && options.fileLink?.(finding.location.file, finding.location.line);
  if (url === undefined) return label;
  const safeUrl = url.replace(
    /[()<>\s]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`,
  );
  return { raw: `[${escapeCell(label)}](${safeUrl})` };
}

/**
 * Report for pull-request comments and job summaries: a heading with the counts, input errors, a table of failing
 * and unknown findings (failures first, most severe first), then suppressed findings and, with `includePassed`, passes in
 * collapsed sections. Stays under GitHub's comment limit by dropping the rows that do not fit, with a note.
 */
export function renderMarkdown(report: Report, options: RenderOptions, limit = MARKDOWN_MAX_CHARS): string {
  const summary = summarize(report);
  const doc = new Budget(limit);
  const listed = [...report.findings].sort(compareImportance);
  const needsAttention = listed.filter(
    (f) =>
      f.suppression === undefined && (f.status === "fail" || f.status === "unknown" || f.status === "error"),
  );
  const active = needsAttention.filter((f) => f.baseline !== "existing");
  const existing = needsAttention.filter((f) => f.baseline === "existing");
  const suppressed = listed.filter((f) => f.suppression !== undefined && isListed(f, options.includePassed));
  const passed = listed.filter((f) => f.suppression === undefined && f.status === "pass");

  doc.add(`## ${escapeCell(report.tool.name)}: ${summaryLine(summary)}`, "");
  addAccountTable(doc, report);

  if (report.errors.length > 0) {
    doc.add("### Input errors", "");
    doc.table(
      ["Level", "Error"],
      [...report.errors].sort(compareInputErrors).map((e) => [e.severity, inputErrorLabel(report.root, e)]),
    );
    doc.add("");
  }

  doc.add(
    report.review?.baseline ? "### New failing and unknown findings" : "### Failing and unknown findings",
    "",
  );
  if (active.length === 0) doc.add("None.", "");
  else {
    doc.table(
      ["Severity", "Status", "Rule", "Resource", "Location", "Message"],
      active.map((f) => [
        f.severity,
        f.status,
        f.ruleId,
        f.resource.address,
        where(report, f, options),
        fullMessage(f),
      ]),
    );
    doc.add("");
  }

  const compliance = complianceOf(report);
  if (compliance !== undefined) {
    if (compliance.results.length === 0) {
      doc.add("### Compliance", "", "No account or trail was found: no control could be assessed.", "");
    }
    for (const result of compliance.results) {
      doc.add(
        `### Compliance: ${escapeCell(resultHeading(result, compliance))}`,
        "",
        `\`${escapeCell(result.framework.id)}\`: ${countsLine(result.counts)}`,
        "",
      );
      doc.table(
        ["Status", "Control", "Title", "Rules", "Why"],
        result.controls.map((c) => [
          c.status,
          c.control.id,
          c.control.title,
          c.control.rules.join(", ") || "—",
          c.status === "met" ? "" : c.reason,
        ]),
      );
      doc.add("");
    }
  }

  const collapsed = (title: string, headers: string[], rows: Cell[][]) => {
    if (rows.length === 0) return;
    if (!doc.add(`<details><summary>${title} (${rows.length})</summary>`, "")) {
      doc.omitted += rows.length;
      return;
    }
    doc.table(headers, rows);
    doc.force("", "</details>", "");
  };
  collapsed(
    "Existing in the baseline",
    ["Severity", "Status", "Rule", "Resource", "Location"],
    existing.map((f) => [f.severity, f.status, f.ruleId, f.resource.address, where(report, f, options)]),
  );
  collapsed(
    "Fixed since the baseline",
    ["Rule", "Resource", "Account", "File"],
    (report.review?.baseline?.fixed ?? []).map((e) => [e.ruleId, e.resource, e.account, e.file ?? ""]),
  );
  collapsed(
    "Suppressed",
    ["Severity", "Status", "Rule", "Resource", "Location", "By", "Expires", "Justification"],
    suppressed.map((f) => [
      f.severity,
      f.status,
      f.ruleId,
      f.resource.address,
      where(report, f, options),
      suppressionSource(report, f),
      f.suppression?.expires ?? "never",
      f.suppression?.reason ?? "",
    ]),
  );
  if (options.includePassed) {
    collapsed(
      "Passed",
      ["Severity", "Rule", "Resource", "Location"],
      passed.map((f) => [f.severity, f.ruleId, f.resource.address, where(report, f, options)]),
    );
  }

  if (doc.omitted > 0) {
    doc.force(
      `> [!NOTE]`,
      `> ${doc.omitted} more ${doc.omitted === 1 ? "entry is" : "entries are"} not shown: this comment is limited ` +
        `to ${limit.toLocaleString("en-US")} characters. The SARIF and JSON reports have every finding.`,
      "",
    );
  }
  return `${doc.lines.join("\n").trimEnd()}\n`;
}
