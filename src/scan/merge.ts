import { readFileSync } from "node:fs";
import type { Framework } from "../engine/index.js";
import { loadPolicies } from "../engine/index.js";
import type { AccountInventory, Finding, InputError, Rule, Scope, SourceLocation } from "../model/index.js";
import { append } from "../model/index.js";
import type { Provenance, Report } from "../report/index.js";
import {
  buildJson,
  type JsonFinding,
  type JsonLocation,
  type JsonReport,
  type JsonRule,
} from "../report/json.js";
import { readMergeInput } from "./merge-inputs.js";
import { scan } from "./scan.js";
import { reportOf } from "./verdict.js";

export interface MergeOptions {
  policiesDir: string;
  version: string;
  /** Frameworks to assess the accounts of snapshots against (reports bring their own). */
  frameworks?: string[];
}

/** Inputs that cannot make one report: judged by other rule packs or another trailguard version. */
export class MergeRefused extends Error {}

/**
 * One report from the reports (JSON or SARIF) and snapshots of several scans (the shards of an organization scan):
 * the union of their findings, problems and rules, as the scan of every account at once would have given them.
 * Findings keep their fingerprints (they are computed from the finding itself), the compliance section is assessed
 * again from the union for the frameworks the inputs assessed. The accounts of snapshots are judged together, once
 * each (every shard's snapshot holds the calling account), with the built-in packs. A file that is none of these is
 * reported and left out; inputs judged by different packs or trailguard versions are refused (MergeRefused).
 */
export async function mergeReports(files: string[], options: MergeOptions): Promise<Report> {
  return (await mergeInputs(files, options)).report;
}

/**
 * The merged report, and the problems the merge met itself (an input it could not read, a snapshot's read errors),
 * apart from those the shards' scans had already told.
 */
export async function mergeInputs(
  files: string[],
  options: MergeOptions,
): Promise<{ report: Report; newErrors: InputError[] }> {
  const errors: InputError[] = [];
  const inputs: { file: string; report: JsonReport }[] = [];
  const accounts = new Map<string, AccountInventory>();
  const snapshotErrors: InputError[] = [];
  const snapshots: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      errors.push({ code: "report-invalid", file, message: `cannot be read (${reason})`, severity: "error" });
      continue;
    }
    const read = readMergeInput(file, text);
    if (read.kind === "invalid") {
      errors.push({ code: "report-invalid", file, message: read.reason, severity: "error" });
    } else if (read.kind === "report") inputs.push({ file, report: read.report });
    else {
      snapshots.push(file);
      append(snapshotErrors, read.errors);
      for (const account of read.accounts) if (!accounts.has(account.key)) accounts.set(account.key, account);
    }
  }
  if (snapshots.length > 0) {
    const outcome = await scan({
      paths: [],
      scope: "resource",
      policiesDir: options.policiesDir,
      version: options.version,
      frameworks: options.frameworks ?? [],
      accounts: [...accounts.values()],
      errors: snapshotErrors,
    });
    inputs.push({ file: snapshots.join(", "), report: buildJson(reportOf(outcome, options.version)) });
  }
  refuseMixed(inputs);
  const rules = new Map<string, Rule>();
  const findings = new Map<string, Finding>();
  const problems = new Map<string, InputError>();
  const frameworkIds = new Set<string>();
  const paths = new Map<string, string | null>();
  const live = new Map<string, string[]>();
  for (const { report: input } of inputs) {
    for (const r of input.rules) if (!rules.has(r.id)) rules.set(r.id, ruleOf(r));
    for (const f of input.findings) {
      // Keyed on the finding as converted, whatever form (and key order) the input gave it in.
      const finding = findingOf(f);
      findings.set(JSON.stringify(finding), finding);
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
  const first = inputs[0]?.report;
  const scannedAt = inputs
    .map((i) => i.report.provenance?.scannedAt)
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
  const report: Report = {
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
  return { report, newErrors: [...errors, ...snapshotErrors] };
}

/** The packs (id and version) and the trailguard version a report was judged with must be the same for all. */
function refuseMixed(inputs: { file: string; report: JsonReport }[]): void {
  const judgedWith = (r: JsonReport) => {
    const packs = (r.provenance?.packs ?? []).map((p) => `${p.id}@${p.version ?? "?"}`).sort();
    return `trailguard ${r.tool.version}, packs ${packs.join(", ") || "not recorded"}`;
  };
  const first = inputs[0];
  if (!first) return;
  const expected = judgedWith(first.report);
  for (const input of inputs.slice(1)) {
    const actual = judgedWith(input.report);
    if (actual !== expected) {
      throw new MergeRefused(
        `${input.file} was judged with ${actual}, ${first.file} with ${expected}: ` +
          "reports of different rule packs or trailguard versions do not make one report",
      );
    }
  }
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
