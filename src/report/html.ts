import { createHash } from "node:crypto";
import type { Finding } from "../model/index.js";
import type { Compliance, ControlStatus, StatusCounts } from "./compliance.js";
import { complianceOf, countsLine, resultHeading } from "./compliance-view.js";
import {
  compareImportance,
  compareInputErrors,
  compareText,
  fullMessage,
  inputErrorLabel,
  locationLabel,
} from "./findings.js";
import { summarize, summaryLine } from "./summary.js";
import type { RenderOptions, Report } from "./types.js";

/** Escapes text for HTML element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const h = escapeHtml;

/** The chart shows what a reader acts on; `partly` and `not assessed` are counted in the table below it. */
const CHART_STATUSES: readonly ControlStatus[] = ["met", "not met", "unknown", "manual"];

const STYLE = `
:root{--met:#2e7d32;--notmet:#c62828;--unknown:#f9a825;--manual:#5c6bc0;--partly:#26a69a;--na:#9e9e9e;font-family:system-ui,sans-serif;color:#1f2328}
body{margin:0 auto;max-width:1200px;padding:1rem 2rem}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem}h3{font-size:1.05rem}
table{border-collapse:collapse;width:100%;font-size:.875rem}
th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
code,.mono{font-family:ui-monospace,monospace;font-size:.8rem;word-break:break-all}
.bar{display:block;min-width:10rem;background:#eee}
.s-met{background:var(--met);fill:var(--met)}.s-not-met{background:var(--notmet);fill:var(--notmet)}
.s-unknown{background:var(--unknown);fill:var(--unknown);color:#000}.s-manual{background:var(--manual);fill:var(--manual)}
.s-partly{background:var(--partly);fill:var(--partly)}.s-not-assessed{background:var(--na);fill:var(--na)}
.pill{display:inline-block;padding:0 .4rem;border-radius:.6rem;color:#fff;font-size:.75rem;white-space:nowrap}
.st-fail,.st-error{background:var(--notmet)}.st-unknown{background:var(--unknown);color:#000}.st-pass{background:var(--met)}
.st-not-applicable,.st-suppressed{background:var(--na)}
.filters{display:flex;flex-wrap:wrap;gap:.75rem;margin:.5rem 0}
.filters label{font-size:.85rem}
details>summary{cursor:pointer}
.muted{color:#57606a}
`;

const SCRIPT = `
(function () {
  var table = document.getElementById("findings");
  if (!table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var selects = Array.prototype.slice.call(document.querySelectorAll("select[data-filter]"));
  var shown = document.getElementById("shown");
  function apply() {
    var count = 0;
    rows.forEach(function (row) {
      var visible = selects.every(function (s) {
        if (s.value === "") return true;
        var values = (row.getAttribute("data-" + s.getAttribute("data-filter")) || "").split(" ");
        return values.indexOf(s.value) >= 0;
      });
      row.hidden = !visible;
      var detail = document.getElementById(row.getAttribute("data-detail"));
      if (detail) detail.hidden = !visible;
      if (visible) count++;
    });
    shown.textContent = String(count);
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  apply();
})();
`;

function cspHash(source: string): string {
  return `'sha256-${createHash("sha256").update(source).digest("base64")}'`;
}

function statusClass(status: string): string {
  return status.replaceAll(" ", "-");
}

/** A stacked bar in SVG (attributes, not inline styles, so the page's Content-Security-Policy allows it). */
function bar(counts: StatusCounts, label: string): string {
  const total = CHART_STATUSES.reduce((n, s) => n + counts[s], 0);
  let x = 0;
  const segments = CHART_STATUSES.filter((s) => counts[s] > 0)
    .map((s) => {
      const width = (counts[s] / total) * 100;
      const rect = `<rect class="s-${statusClass(s)}" data-status="${h(s)}" data-count="${counts[s]}" x="${x.toFixed(2)}" y="0" width="${width.toFixed(2)}" height="10"><title>${h(`${counts[s]} ${s}`)}</title></rect>`;
      x += width;
      return rect;
    })
    .join("");
  return `<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" width="100%" height="20" role="img" aria-label="${h(`${label}: ${countsLine(counts)}`)}">${segments}</svg>`;
}

function legend(): string {
  return `<p class="muted">${CHART_STATUSES.map((s) => `<span class="pill s-${statusClass(s)}">${h(s)}</span>`).join(" ")} — partly and not assessed controls are counted in the tables.</p>`;
}

function complianceSection(compliance: Compliance): string {
  if (compliance.results.length === 0) {
    return `<h2>Compliance</h2><p>No account or trail was found: no control could be assessed.</p>`;
  }
  const overview = compliance.results
    .map((r) => {
      const heading = resultHeading(r, compliance);
      return `<tr class="framework-row" data-framework="${h(r.framework.id)}" data-account="${h(r.account)}"><th scope="row">${h(heading)}</th><td>${bar(r.counts, heading)}</td><td>${h(countsLine(r.counts))}</td></tr>`;
    })
    .join("\n");
  const details = compliance.results
    .map((r) => {
      const heading = resultHeading(r, compliance);
      const families = r.families
        .map(
          (f) =>
            `<tr class="family-row" data-family="${h(f.family)}"><th scope="row">${h(f.family)}</th><td>${bar(f.counts, `${heading} ${f.family}`)}</td><td>${h(countsLine(f.counts))}</td></tr>`,
        )
        .join("\n");
      const controls = r.controls
        .map((c) => {
          const rules = c.rules
            .map((o) => `<code>${h(o.ruleId)}</code> <span class="muted">${h(o.status)}</span>`)
            .join("<br>");
          return `<tr data-status="${h(c.status)}"><td><span class="pill s-${statusClass(c.status)}">${h(c.status)}</span></td><td class="mono">${h(c.control.id)}</td><td>${h(c.control.title)}</td><td>${rules || "—"}</td><td>${c.status === "met" ? "" : h(c.reason)}</td></tr>`;
        })
        .join("\n");
      return `<section class="framework" data-framework="${h(r.framework.id)}" data-account="${h(r.account)}">
<h3>${h(heading)} <span class="muted">(${h(r.framework.id)})</span></h3>
<table class="families"><thead><tr><th>Family</th><th>Coverage</th><th>Counts</th></tr></thead><tbody>
${families}
</tbody></table>
<details><summary>Controls (${r.controls.length})</summary>
<table class="controls"><thead><tr><th>Status</th><th>Control</th><th>Title</th><th>Rules</th><th>Why</th></tr></thead><tbody>
${controls}
</tbody></table></details>
</section>`;
    })
    .join("\n");
  return `<h2>Compliance</h2>
${legend()}
<table id="coverage"><thead><tr><th>Framework</th><th>Coverage</th><th>Counts</th></tr></thead><tbody>
${overview}
</tbody></table>
${details}`;
}

function options(values: string[], all: string): string {
  return [
    `<option value="">${h(all)}</option>`,
    ...values.map((v) => `<option value="${h(v)}">${h(v)}</option>`),
  ].join("");
}

function shownStatus(f: Finding): string {
  if (f.suppression !== undefined) return f.suppression.kind === "waiver" ? "waived" : "suppressed";
  return f.baseline === "existing" ? "existing" : f.status;
}

/** A suppression as an auditor needs it: by whom (inline or a waiver), until when, approved by whom, why. */
function suppressionNote(s: NonNullable<Finding["suppression"]>, root: string): string {
  const where = s.location ? locationLabel(root, s.location, "colon") : "";
  const facts = [
    s.kind === "waiver" ? "Waived" : "Suppressed inline",
    s.expires ? `until ${s.expires}` : "permanently",
    s.approvedBy ? `approved by ${s.approvedBy}` : "",
    where ? `(${where})` : "",
  ].filter(Boolean);
  return `<div>${h(facts.join(" "))}: ${h(s.reason)}</div>`;
}

function findingsSection(report: Report): string {
  const rulesById = new Map(report.rules.map((r) => [r.id, r]));
  const findings = [...report.findings].sort(compareImportance);
  const frameworksOf = (f: Finding) => [
    ...new Set((rulesById.get(f.ruleId)?.controls ?? []).map((c) => c.framework)),
  ];
  const distinct = (values: string[]) => [...new Set(values)].sort(compareText);
  const filters = [
    ["severity", "Severity", distinct(findings.map((f) => f.severity))],
    ["status", "Status", distinct(findings.map(shownStatus))],
    ["rule", "Rule", distinct(findings.map((f) => f.ruleId))],
    ["framework", "Framework", distinct(findings.flatMap(frameworksOf))],
    ["account", "Account", distinct(findings.map((f) => f.account))],
  ] as const;
  const controls = filters
    .map(
      ([key, label, values]) =>
        `<label>${label} <select data-filter="${key}" id="filter-${key}">${options([...values], "all")}</select></label>`,
    )
    .join("\n");
  const rows = findings
    .map((f, i) => {
      const rule = rulesById.get(f.ruleId);
      const where = locationLabel(report.root, f.location, "colon");
      const evidence = [
        where ? `<div>Location: <code>${h(where)}</code></div>` : "",
        `<div>Resource: <code>${h(f.resource.address)}</code>${f.region ? ` (${h(f.region)})` : ""}</div>`,
        rule && rule.evidence.length > 0
          ? `<div>Inputs read: ${rule.evidence.map((e) => `<code>${h(e)}</code>`).join(", ")}</div>`
          : "",
        f.unknowns.length > 0
          ? `<div>Could not be read: ${f.unknowns.map((u) => `<code>${h(u.path)}</code> (${h(u.reason)})`).join("; ")}</div>`
          : "",
        f.suppression ? suppressionNote(f.suppression, report.root) : "",
        f.baseline === "existing" ? "<div>Recorded in the baseline: not counted as a new failure.</div>" : "",
        rule && f.status !== "pass" && f.status !== "not-applicable"
          ? `<div>Remediation: ${h(rule.remediation)}</div>`
          : "",
        rule && rule.controls.length > 0
          ? `<div>Controls: ${rule.controls.map((c) => `<code>${h(c.ref)}</code>`).join(", ")}</div>`
          : "",
      ].join("");
      const status = shownStatus(f);
      return `<tr data-severity="${h(f.severity)}" data-status="${h(status)}" data-rule="${h(f.ruleId)}" data-framework="${h(frameworksOf(f).join(" "))}" data-account="${h(f.account)}" data-detail="d${i}"><td>${h(f.severity)}</td><td><span class="pill st-${statusClass(status)}">${h(status)}</span></td><td><code>${h(f.ruleId)}</code></td><td class="mono">${h(f.resource.address)}</td><td class="mono">${h(f.account)}</td><td><details id="d${i}"><summary>${h(fullMessage(f))}</summary>${evidence}</details></td></tr>`;
    })
    .join("\n");
  return `<h2>Findings</h2>
<div class="filters">
${controls}
</div>
<p><span id="shown">${findings.length}</span> of ${findings.length} findings shown.</p>
<table id="findings"><thead><tr><th>Severity</th><th>Status</th><th>Rule</th><th>Resource</th><th>Account</th><th>Message and evidence</th></tr></thead><tbody>
${rows}
</tbody></table>`;
}

function provenanceSection(report: Report): string {
  const p = report.provenance;
  const tool = `<p>${h(report.tool.name)} ${h(report.tool.version)}${p ? `, scan of ${h(p.scannedAt)}` : ""}</p>`;
  if (!p) return `<h2>Evidence</h2>${tool}`;
  const packs = p.packs
    .map((k) => `<li><code>${h(k.id)}</code> version ${h(k.version ?? "unversioned")}</li>`)
    .join("");
  const inputs = p.inputs
    .map(
      (i) => `<tr><td class="mono">${h(i.path)}</td><td class="mono">${h(i.sha256 ?? "not read")}</td></tr>`,
    )
    .join("\n");
  const live = p.live
    .map(
      (l) =>
        `<li>Account <code>${h(l.account)}</code>: ${h(l.regions.join(", ") || "regions not known")}</li>`,
    )
    .join("");
  return `<h2>Evidence</h2>
${tool}
<h3>Rule packs</h3><ul>${packs}</ul>
${inputs ? `<h3>Inputs</h3><table id="inputs"><thead><tr><th>File</th><th>SHA-256</th></tr></thead><tbody>\n${inputs}\n</tbody></table>` : ""}
${live ? `<h3>Live accounts</h3><ul>${live}</ul>` : ""}`;
}

function errorsSection(report: Report): string {
  if (report.errors.length === 0) return "";
  const items = [...report.errors]
    .sort(compareInputErrors)
    .map((e) => `<li>${h(e.severity)} <code>${h(e.code)}</code> ${h(inputErrorLabel(report.root, e))}</li>`)
    .join("\n");
  return `<h2>Input errors</h2><ul>\n${items}\n</ul>`;
}

/**
 * One self-contained HTML file: no external script, style, font or request (a Content-Security-Policy forbids
 * them), so it opens from `file://` and as a CI artifact. Everything from inputs is escaped; the only script is
 * the inline filter, allowed by its hash.
 */
export function renderHtml(report: Report, _options: RenderOptions): string {
  const summary = summarize(report);
  const compliance = complianceOf(report);
  const csp = `default-src 'none'; style-src ${cspHash(STYLE)}; script-src ${cspHash(SCRIPT)}; img-src data:`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(report.tool.name)} report</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${h(report.tool.name)} report</h1>
<p id="summary">${h(summaryLine(summary))}</p>
${compliance ? complianceSection(compliance) : ""}
${errorsSection(report)}
${findingsSection(report)}
${provenanceSection(report)}
<script>${SCRIPT}</script>
</body>
</html>
`;
}
