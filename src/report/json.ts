import {
  type ControlRef,
  type Finding,
  findingFingerprint,
  type InputError,
  type Rule,
  type Severity,
  type SourceLocation,
  type Status,
} from "../model/index.js";
import { type AccountSummary, accountSummaries } from "./accounts.js";
import type { ControlStatus } from "./compliance.js";
import { complianceOf } from "./compliance-view.js";
import { compareFindings, compareInputErrors, ruleHelpUri, sortedRules } from "./findings.js";
import { displayPath } from "./paths.js";
import { type Summary, summarize } from "./summary.js";
import type { RenderOptions, Report } from "./types.js";

/**
 * trailguard's own machine-readable report, described by `policies/schema/json-report.schema.json`. It is the complete record:
 * every finding of every status (pass and not-applicable included, whatever `includePassed` says) and every
 * suppressed finding. `schemaVersion` changes only when a field is removed or changes meaning; new optional
 * fields may appear without a bump. File paths are POSIX and relative to `root`. Absent values are `null`,
 * never missing, so consumers can rely on every key being present.
 */
export interface JsonReport {
  schemaVersion: 1;
  tool: Report["tool"];
  root: string;
  summary: Summary;
  /** The findings' and problems' counts per account, sorted by account (an organization scan has one per member). */
  accounts: AccountSummary[];
  findings: JsonFinding[];
  errors: JsonInputError[];
  rules: JsonRule[];
  /** The baseline applied, with its entries that no longer occur; null when none was given. */
  baseline: {
    file: string;
    matched: number;
    fixed: {
      ruleId: string;
      resource: string;
      account: string;
      region: string | null;
      file: string | null;
    }[];
  } | null;
  /** Per-control status, one entry per framework asked for (`--framework`) and account; null when none was. */
  compliance: JsonCompliance | null;
  /** What the report was judged from; null when the caller did not record it. */
  provenance: Report["provenance"] | null;
}

export interface JsonCompliance {
  accounts: string[];
  frameworks: {
    id: string;
    title: string;
    version: string | null;
    account: string;
    counts: Record<ControlStatus, number>;
    families: { family: string; counts: Record<ControlStatus, number> }[];
    controls: {
      id: string;
      title: string;
      family: string;
      coverage: "fully" | "partly" | null;
      manual: boolean;
      status: ControlStatus;
      reason: string;
      rules: { ruleId: string; status: string; findings: number }[];
    }[];
  }[];
}

/** The compliance section as the JSON report and SARIF run properties carry it. */
export function jsonCompliance(report: Report): JsonCompliance | null {
  const assessed = complianceOf(report);
  if (assessed === undefined) return null;
  return {
    accounts: assessed.accounts,
    frameworks: assessed.results.map((r) => ({
      id: r.framework.id,
      title: r.framework.title,
      version: r.framework.version ?? null,
      account: r.account,
      counts: r.counts,
      families: r.families,
      controls: r.controls.map((c) => ({
        id: c.control.id,
        title: c.control.title,
        family: c.control.family,
        coverage: c.control.coverage ?? null,
        manual: c.control.manual,
        status: c.status,
        reason: c.reason,
        rules: c.rules.map((o) => ({ ruleId: o.ruleId, status: o.status, findings: o.findings.length })),
      })),
    })),
  };
}

export interface JsonLocation {
  file: string;
  line: number;
  column: number;
  endLine: number | null;
  endColumn: number | null;
}

export interface JsonFinding {
  ruleId: string;
  status: Status;
  severity: Severity;
  suppressed: boolean;
  account: string;
  region: string | null;
  resource: { kind: string; id: string; address: string; name: string | null };
  message: string;
  unknowns: { path: string; reason: string }[];
  location: JsonLocation | null;
  suppression: {
    kind: "inline" | "waiver";
    reason: string;
    location: JsonLocation | null;
    expires: string | null;
    approvedBy: string | null;
  } | null;
  /** The identity across scans, the same as SARIF's partialFingerprints and the baseline's. */
  fingerprint: string;
  /** `existing` or `new` for failing and unknown findings when a baseline was applied, else null. */
  baseline: "existing" | "new" | null;
}

export interface JsonInputError {
  code: InputError["code"];
  severity: InputError["severity"];
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  account: string | null;
  region: string | null;
}

export interface JsonRule {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  scope: string;
  pack: string;
  remediation: string;
  helpUri: string;
  controls: {
    ref: string;
    framework: string;
    control: string;
    title: string | null;
    frameworkTitle: string | null;
  }[];
}

function location(root: string, at: SourceLocation | undefined): JsonLocation | null {
  if (at === undefined) return null;
  return {
    file: displayPath(root, at.file),
    line: at.line,
    column: at.column,
    endLine: at.endLine ?? null,
    endColumn: at.endColumn ?? null,
  };
}

/** A finding as the JSON report (and trailguard's record in a SARIF log) writes it. */
export function jsonFinding(root: string, f: Finding): JsonFinding {
  return {
    ruleId: f.ruleId,
    status: f.status,
    severity: f.severity,
    suppressed: f.suppression !== undefined,
    account: f.account,
    region: f.region ?? null,
    resource: {
      kind: f.resource.kind,
      id: f.resource.id,
      address: f.resource.address,
      name: f.resource.name ?? null,
    },
    message: f.message,
    unknowns: f.unknowns.map((u) => ({ path: u.path, reason: u.reason })),
    location: location(root, f.location),
    suppression:
      f.suppression === undefined
        ? null
        : {
            kind: f.suppression.kind,
            reason: f.suppression.reason,
            location: location(root, f.suppression.location),
            expires: f.suppression.expires ?? null,
            approvedBy: f.suppression.approvedBy ?? null,
          },
    fingerprint: findingFingerprint(f),
    baseline: f.baseline ?? null,
  };
}

export function jsonInputError(root: string, e: InputError): JsonInputError {
  return {
    code: e.code,
    severity: e.severity,
    message: e.message,
    file: e.file === undefined ? null : displayPath(root, e.file),
    line: e.line ?? null,
    column: e.column ?? null,
    account: e.account ?? null,
    region: e.region ?? null,
  };
}

function control(c: ControlRef): JsonRule["controls"][number] {
  return {
    ref: c.ref,
    framework: c.framework,
    control: c.control,
    title: c.title ?? null,
    frameworkTitle: c.frameworkTitle ?? null,
  };
}

export function jsonRule(report: Report, r: Rule): JsonRule {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    severity: r.severity,
    scope: r.scope,
    pack: r.pack,
    remediation: r.remediation,
    helpUri: ruleHelpUri(report, r),
    controls: r.controls.map(control),
  };
}

export function buildJson(report: Report): JsonReport {
  return {
    ...jsonWithoutFindings(report),
    findings: sortedFindings(report).map((f) => jsonFinding(report.root, f)),
  };
}

function sortedFindings(report: Report): Finding[] {
  return [...report.findings].sort(compareFindings);
}

/** The report with an empty list of findings, in the order of the report's keys. */
function jsonWithoutFindings(report: Report): JsonReport {
  const summary = summarize(report);
  return {
    schemaVersion: 1,
    tool: {
      name: report.tool.name,
      version: report.tool.version,
      informationUri: report.tool.informationUri,
    },
    root: report.root,
    summary: {
      total: summary.total,
      pass: summary.pass,
      fail: summary.fail,
      unknown: summary.unknown,
      notApplicable: summary.notApplicable,
      suppressed: summary.suppressed,
      waived: summary.waived,
      existing: summary.existing,
      fixed: summary.fixed,
      inlineIgnored: summary.inlineIgnored,
      baseline: summary.baseline,
      expiredWaivers: summary.expiredWaivers,
      staleWaivers: summary.staleWaivers,
      ruleErrors: summary.ruleErrors,
      bySeverity: { ...summary.bySeverity },
      inputErrors: summary.inputErrors,
      warnings: summary.warnings,
    },
    accounts: accountSummaries(report),
    findings: [],
    errors: [...report.errors].sort(compareInputErrors).map((e) => jsonInputError(report.root, e)),
    rules: sortedRules(report.rules).map((r) => jsonRule(report, r)),
    compliance: jsonCompliance(report),
    provenance: report.provenance ?? null,
    baseline: baselineOf(report),
  };
}

function baselineOf(report: Report): JsonReport["baseline"] {
  const baseline = report.review?.baseline;
  if (baseline === undefined) return null;
  return {
    file: baseline.file,
    matched: baseline.matched,
    fixed: baseline.fixed.map((e) => ({
      ruleId: e.ruleId,
      resource: e.resource,
      account: e.account,
      region: e.region ?? null,
      file: e.file ?? null,
    })),
  };
}

/** The JSON report; `options` is unused because the machine format always carries everything. */
export function renderJson(report: Report, _options: RenderOptions): string {
  return [...jsonChunks(report)].join("");
}

/**
 * A finding as it is written two levels deep (indented by four spaces), made in one pass: stringified inside two
 * lists, less their brackets, rather than stringified and then indented line by line, a second copy of each.
 */
function nestedTwice(value: unknown): string {
  const text = JSON.stringify([[value]], null, 2);
  return text.slice(NESTED_OPEN.length, text.length - NESTED_CLOSE.length);
}
const NESTED_OPEN = "[\n  [\n    ";
const NESTED_CLOSE = "\n  ]\n]";

/**
 * The JSON report's text in pieces, one finding at a time: the same text as `JSON.stringify(buildJson(report),
 * null, 2)`, without holding the whole report (tens of thousands of findings) as objects and as one string.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const indented = (value: unknown, indent: string) =>
    JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
  const entries = Object.entries(jsonWithoutFindings(report));
  yield "{";
  for (const [i, [key, value]] of entries.entries()) {
    yield `${i === 0 ? "" : ","}\n  ${JSON.stringify(key)}: `;
    if (key !== "findings" || report.findings.length === 0) {
      yield indented(value, "  ");
      continue;
    }
    let separator = "[\n    ";
    for (const f of sortedFindings(report)) {
      yield `${separator}${nestedTwice(jsonFinding(report.root, f))}`;
      separator = ",\n    ";
    }
    yield "\n  ]";
  }
  yield "\n}\n";
}
