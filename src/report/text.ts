import type { Finding, Severity } from "../model/index.js";
import { append } from "../model/index.js";
import { ACCOUNT_TABLE_HEADERS, accountSummaries, accountTableRows, isMultiAccount } from "./accounts.js";
import { complianceOf, countsLine, resultHeading } from "./compliance-view.js";
import { terminalLines, terminalText } from "./escape.js";
import {
  compareFindings,
  compareImportance,
  compareInputErrors,
  inputErrorLabel,
  isListed,
  locationLabel,
} from "./findings.js";
import { summarize, summaryLine } from "./summary.js";
import type { RenderOptions, Report } from "./types.js";

type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan" | "boldRed";

const ANSI: Record<Style, [string, string]> = {
  bold: ["\u001b[1m", "\u001b[22m"],
  dim: ["\u001b[2m", "\u001b[22m"],
  red: ["\u001b[31m", "\u001b[39m"],
  green: ["\u001b[32m", "\u001b[39m"],
  yellow: ["\u001b[33m", "\u001b[39m"],
  cyan: ["\u001b[36m", "\u001b[39m"],
  boldRed: ["\u001b[1;31m", "\u001b[22;39m"],
};

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: "boldRed",
  high: "red",
  medium: "yellow",
  low: "cyan",
  info: "dim",
};

type Paint = (style: Style, text: string) => string;

function painter(color: boolean): Paint {
  if (!color) return (_style, text) => text;
  return (style, text) => (text === "" ? text : `${ANSI[style][0]}${text}${ANSI[style][1]}`);
}

function statusCell(finding: Finding): { label: string; style: Style } {
  if (finding.suppression?.kind === "waiver") return { label: "WAIVED", style: "dim" };
  if (finding.suppression !== undefined) return { label: "SUPPRESSED", style: "dim" };
  if (finding.baseline === "existing") return { label: "EXISTING", style: "dim" };
  switch (finding.status) {
    case "fail":
      return { label: "FAIL", style: "red" };
    case "unknown":
      return { label: "UNKNOWN", style: "yellow" };
    case "pass":
      return { label: "PASS", style: "green" };
    case "not-applicable":
      return { label: "N/A", style: "dim" };
    case "error":
      return { label: "RULE ERROR", style: "red" };
  }
}

function suppressionNote(report: Report, suppression: NonNullable<Finding["suppression"]>): string {
  const until = suppression.expires ? ` until ${suppression.expires}` : "";
  if (suppression.kind === "inline") return `suppressed${until}: ${suppression.reason}`;
  const at = locationLabel(report.root, suppression.location, "colon");
  const approved = suppression.approvedBy ? `, approved by ${suppression.approvedBy}` : "";
  return `waived${until} (${at}${approved}): ${suppression.reason}`;
}

interface Row {
  finding: Finding;
  cells: { text: string; style?: Style }[];
  notes: string[];
}

/**
 * Human-readable report for a terminal: input errors first, then findings grouped by resource (fail and unknown
 * always, pass with `includePassed`, not-applicable never), then the summary line. Colour only when asked.
 */
export function renderText(report: Report, options: RenderOptions): string {
  const paint = painter(options.color);
  const titles = new Map(report.rules.map((r) => [r.id, r.title]));
  const remediations = new Map(report.rules.map((r) => [r.id, r.remediation]));
  const out: string[] = [];

  if (report.errors.length > 0) {
    out.push(paint("bold", "Input errors"));
    for (const error of [...report.errors].sort(compareInputErrors)) {
      const level = error.severity === "error" ? paint("red", "error  ") : paint("yellow", "warning");
      out.push(`  ${level} ${terminalText(inputErrorLabel(report.root, error))} [${error.code}]`);
    }
    out.push("");
  }

  // Group by resource, groups in reading order of their first finding, rows by importance within a group.
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings
    .filter((f) => isListed(f, options.includePassed))
    .sort(compareFindings)) {
    const group = groups.get(finding.resource.address);
    if (group === undefined) groups.set(finding.resource.address, [finding]);
    else group.push(finding);
  }

  const rows = new Map<string, Row[]>();
  for (const [address, findings] of groups) {
    rows.set(
      address,
      findings.sort(compareImportance).map((finding) => {
        const status = statusCell(finding);
        const notes: string[] = [];
        // A failing row already shows the rule's title: say how to fix it.
        const fix = remediations.get(finding.ruleId);
        // A rule's computed message says what exactly is missing (docs/rules.md, `message`).
        if (finding.status === "fail" && finding.message !== `Not met: ${titles.get(finding.ruleId)}`)
          notes.push(finding.message);
        if (finding.status === "fail" && fix) notes.push(`fix: ${fix}`);
        if (finding.status === "unknown") {
          if (finding.unknowns.length === 0) notes.push(finding.message.trim());
          for (const u of finding.unknowns) notes.push(`? ${u.path}: ${u.reason}`);
        }
        if (finding.suppression !== undefined) notes.push(suppressionNote(report, finding.suppression));
        if (finding.baseline === "existing") notes.push("existing: recorded in the baseline");
        return {
          finding,
          cells: [
            { text: status.label, style: status.style },
            { text: finding.severity, style: SEVERITY_STYLE[finding.severity] },
            { text: terminalText(finding.ruleId) },
            { text: terminalText(titles.get(finding.ruleId) ?? "") },
            {
              text: terminalText(locationLabel(report.root, finding.location, "colon") || "(no file)"),
              style: "dim",
            },
          ],
          notes: notes.filter((n) => n !== "").map(terminalLines),
        };
      }),
    );
  }

  const widths = [0, 0, 0, 0, 0];
  for (const group of rows.values()) {
    for (const row of group) {
      for (const [i, cell] of row.cells.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.text.length);
    }
  }
  const indent = " ".repeat(2 + (widths[0] ?? 0) + 2);

  for (const [address, group] of rows) {
    const kind = group[0]?.finding.resource.kind ?? "";
    out.push(`${paint("bold", terminalText(address))} ${paint("dim", `(${kind})`)}`);
    for (const row of group) {
      const last = row.cells.length - 1;
      const line = row.cells
        .map((cell, i) => {
          // Pad before painting so escape codes do not upset the alignment; the last column is not padded.
          const text = i === last ? cell.text : cell.text.padEnd(widths[i] ?? 0);
          return cell.style === undefined ? text : paint(cell.style, text);
        })
        .join("  ");
      out.push(`  ${line}`);
      for (const note of row.notes) {
        out.push(`${indent}${note.replaceAll(/\r?\n/g, `\n${indent}`)}`);
      }
    }
    out.push("");
  }
  if (rows.size === 0) out.push("No findings to show.", "");
  append(out, complianceText(report, paint));

  const fixed = report.review?.baseline?.fixed ?? [];
  if (fixed.length > 0) {
    out.push(paint("bold", "Fixed since the baseline"));
    for (const entry of fixed) {
      const file = entry.file ? paint("dim", ` ${entry.file}`) : "";
      out.push(`  ${paint("green", "FIXED")}  ${entry.ruleId}  ${terminalText(entry.resource)}${file}`);
    }
    out.push("");
  }

  append(out, accountLines(report, paint));
  out.push(paint("bold", summaryLine(summarize(report))));
  return `${out.join("\n")}\n`;
}

/** An organization scan's per-account table, aligned in columns; nothing for a scan of one account. */
function accountLines(report: Report, paint: ReturnType<typeof painter>): string[] {
  const summaries = accountSummaries(report);
  if (!isMultiAccount(summaries)) return [];
  const rows = [ACCOUNT_TABLE_HEADERS, ...accountTableRows(summaries)].map((r) => r.map(terminalText));
  const widths = ACCOUNT_TABLE_HEADERS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    `  ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  ")}`.trimEnd();
  const [head, ...body] = rows;
  return [
    paint("bold", `Accounts (${summaries.length})`),
    paint("dim", line(head ?? [])),
    ...body.map(line),
    "",
  ];
}

const CONTROL_STYLE: Record<string, Style> = {
  met: "green",
  "not met": "red",
  partly: "cyan",
  unknown: "yellow",
  manual: "bold",
  "not assessed": "dim",
};

/** One block per framework (and account): the counts, then every control with its status and why. */
function complianceText(report: Report, paint: Paint): string[] {
  const compliance = complianceOf(report);
  if (compliance === undefined) return [];
  if (compliance.results.length === 0) {
    return [
      paint("bold", "Compliance"),
      "  No account or trail was found: no control could be assessed.",
      "",
    ];
  }
  const out: string[] = [];
  for (const result of compliance.results) {
    out.push(
      `${paint("bold", `Compliance: ${terminalText(resultHeading(result, compliance))}`)} ${paint("dim", `(${result.framework.id})`)}`,
      `  ${countsLine(result.counts)}`,
    );
    const idWidth = Math.max(...result.controls.map((c) => c.control.id.length));
    for (const c of result.controls) {
      const status = paint(CONTROL_STYLE[c.status] ?? "bold", c.status.padEnd(12));
      out.push(`  ${status}  ${c.control.id.padEnd(idWidth)}  ${c.control.title}`);
      if (c.status !== "met")
        out.push(`  ${" ".repeat(16 + idWidth)}${paint("dim", terminalLines(c.reason))}`);
    }
    out.push("");
  }
  return out;
}
