import { readFileSync } from "node:fs";
import type { Framework } from "../engine/index.js";
import { loadPolicies } from "../engine/index.js";
import type { Finding, InputError, Rule, Scope, SourceLocation } from "../model/index.js";
import type { Provenance, Report } from "../report/index.js";
import type { JsonFinding, JsonLocation, JsonReport, JsonRule } from "../report/json.js";

export interface MergeOptions {
  policiesDir: string;
  version: string;
}

/**
 * One report from the JSON reports of several scans (the shards of an organization scan): the union of their
 * findings, problems and rules, as the scan of every account at once would have given them. Findings keep their
 * fingerprints (they are computed from the finding itself), the compliance section is assessed again from the
 * union for the frameworks the inputs assessed. A file that is not a trailguard JSON report is reported and left
 * out.
 */
export function mergeReports(files: string[], options: MergeOptions): Report {
  const errors: InputError[] = [];
  const inputs: JsonReport[] = [];
  for (const file of files) {
    const read = readReport(file);
    if (typeof read === "string") {
      errors.push({ code: "report-invalid", file, message: read, severity: "error" });
    } else inputs.push(read);
  }
  const rules = new Map<string, Rule>();
  const findings = new Map<string, Finding>();
  const problems = new Map<string, InputError>();
  const frameworkIds = new Set<string>();
  const paths = new Map<string, string | null>();
  const live = new Map<string, string[]>();
  for (const input of inputs) {
    for (const r of input.rules) if (!rules.has(r.id)) rules.set(r.id, ruleOf(r));
    for (const f of input.findings) {
      const finding = findingOf(f);
      findings.set(JSON.stringify(f), finding);
    }
    for (const e of input.errors) {
      const error: InputError = {
        code: e.code,
        severity: e.severity,
        message: e.message,
        ...(e.file !== null ? { file: e.file } : {}),
        ...(e.line !== null ? { line: e.line } : {}),
        ...(e.column !== null ? { column: e.column } : {}),
        ...(e.account ? { account: e.account } : {}),
        ...(e.region ? { region: e.region } : {}),
      };
      problems.set(JSON.stringify(e), error);
    }
    for (const framework of input.compliance?.frameworks ?? []) frameworkIds.add(framework.id);
    for (const i of input.provenance?.inputs ?? []) if (!paths.has(i.path)) paths.set(i.path, i.sha256);
    for (const l of input.provenance?.live ?? []) live.set(l.account, l.regions);
  }
  const first = inputs[0];
  const scannedAt = inputs
    .map((i) => i.provenance?.scannedAt)
    .filter((t): t is string => typeof t === "string")
    .sort()[0];
  const provenance: Provenance | undefined =
    first?.provenance && scannedAt
      ? {
          scannedAt,
          packs: first.provenance.packs,
          inputs: [...paths].map(([path, sha256]) => ({ path, sha256 })),
          live: [...live]
            .map(([account, regions]) => ({ account, regions }))
            .sort((a, b) => a.account.localeCompare(b.account)),
        }
      : undefined;
  return {
    tool: {
      name: "trailguard",
      version: options.version,
      informationUri: first?.tool.informationUri ?? "https://github.com/trailguard/trailguard",
    },
    root: first?.root ?? process.cwd(),
    rules: [...rules.values()],
    findings: [...findings.values()],
    errors: [...errors, ...problems.values()],
    files: [...paths.keys()],
    frameworks: frameworksOf(frameworkIds, options.policiesDir),
    ...(provenance ? { provenance } : {}),
  };
}

function readReport(file: string): JsonReport | string {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    return `not readable as JSON: ${(error as Error).message}`;
  }
  const report = data as Partial<JsonReport> | null;
  if (
    typeof report !== "object" ||
    report === null ||
    report.schemaVersion !== 1 ||
    !Array.isArray(report.findings) ||
    !Array.isArray(report.rules) ||
    !Array.isArray(report.errors)
  ) {
    return "not a trailguard JSON report (schemaVersion 1 with findings, rules and errors)";
  }
  return report as JsonReport;
}

function frameworksOf(ids: Set<string>, policiesDir: string): Framework[] {
  if (ids.size === 0) return [];
  const all = loadPolicies(policiesDir).frameworks;
  return [...ids].flatMap((id) => all.filter((f) => f.id === id));
}

function ruleOf(r: JsonRule): Rule {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    severity: r.severity,
    scope: r.scope as Scope,
    // The expressions are not part of a report: what was judged is in the findings.
    assert: "",
    evidence: [],
    remediation: r.remediation,
    controls: r.controls.map((c) => ({
      framework: c.framework,
      control: c.control,
      ref: c.ref,
      ...(c.title !== null ? { title: c.title } : {}),
      ...(c.frameworkTitle !== null ? { frameworkTitle: c.frameworkTitle } : {}),
    })),
    helpUri: r.helpUri,
    pack: r.pack,
  };
}

function locationOf(at: JsonLocation | null): SourceLocation | undefined {
  if (at === null) return undefined;
  return {
    file: at.file,
    line: at.line,
    column: at.column,
    ...(at.endLine !== null ? { endLine: at.endLine } : {}),
    ...(at.endColumn !== null ? { endColumn: at.endColumn } : {}),
  };
}

function findingOf(f: JsonFinding): Finding {
  const location = locationOf(f.location);
  const finding: Finding = {
    ruleId: f.ruleId,
    status: f.status,
    severity: f.severity,
    account: f.account,
    ...(f.region !== null ? { region: f.region } : {}),
    resource: {
      kind: f.resource.kind as Scope,
      id: f.resource.id,
      address: f.resource.address,
      ...(f.resource.name !== null ? { name: f.resource.name } : {}),
    },
    message: f.message,
    unknowns: f.unknowns,
    ...(location ? { location } : {}),
    ...(f.baseline !== null ? { baseline: f.baseline } : {}),
  };
  if (f.suppression !== null) {
    const at = locationOf(f.suppression.location);
    finding.suppression = {
      kind: f.suppression.kind,
      reason: f.suppression.reason,
      ...(at ? { location: at } : {}),
      ...(f.suppression.expires !== null ? { expires: f.suppression.expires } : {}),
      ...(f.suppression.approvedBy !== null ? { approvedBy: f.suppression.approvedBy } : {}),
    };
  }
  return finding;
}
