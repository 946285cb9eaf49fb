import type { Finding, InputError, Rule, SourceLocation, Status } from "../model/index.js";
import {
  compareFindings,
  compareImportance,
  compareInputErrors,
  compareText,
  fullMessage,
  inputErrorLabel,
  isListed,
  ruleHelpUri,
  sortedRules,
} from "./findings.js";
import {
  type JsonCompliance,
  type JsonFinding,
  type JsonInputError,
  type JsonRule,
  jsonCompliance,
  jsonFinding,
  jsonInputError,
  jsonRule,
} from "./json.js";
import { directoryUri, relativeUri } from "./paths.js";
import { type SarifLevel, sarifLevel, securitySeverity } from "./severity.js";
import type { RenderOptions, Report } from "./types.js";

export const SARIF_SCHEMA_URI =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** GitHub rejects a run with more results than this (it displays the top 5,000 by severity). */
export const SARIF_MAX_RESULTS = 25_000;
/** GitHub keeps at most 20 tags per rule. */
const MAX_TAGS = 20;
/** GitHub's limit for `shortDescription.text` / `fullDescription.text`. */
const MAX_DESCRIPTION = 1024;
/** GitHub's limit for a rule `name`. */
const MAX_NAME = 255;

/**
 * Where results are anchored when the report read no file at all (a live scan written to no snapshot). GitHub
 * rejects a whole upload if one result lacks a file location, and accepts a path that is not in the repository
 * (the alert then says "preview unavailable"). A fixed, clearly synthetic path is used rather than an unrelated
 * real file (README, a workflow) so that account findings are not mistaken for problems in that file, and so
 * that alerts keep the same path, hence the same identity, from one scan to the next. Callers who want a real
 * file (the workflow or config that ran the scan) put it in `report.files`, whose first entry is used first.
 */
export const NO_FILE_ANCHOR = "trailguard-live-scan";

const SRCROOT = "%SRCROOT%";

interface SarifMessage {
  text: string;
  markdown?: string;
}
interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}
interface SarifPhysicalLocation {
  artifactLocation: { uri: string; uriBaseId: string };
  region?: SarifRegion;
}
interface SarifLocation {
  physicalLocation: SarifPhysicalLocation;
  logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[];
}
interface SarifReportingDescriptor {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  helpUri?: string;
  defaultConfiguration: { level: SarifLevel };
  properties: Record<string, unknown>;
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  kind: SarifKind;
  level: SarifLevel | "none";
  message: SarifMessage;
  locations: [SarifLocation];
  partialFingerprints: Record<string, string>;
  suppressions?: {
    kind: "inSource" | "external";
    justification: string;
    location?: SarifLocation;
    properties?: { expires?: string; approvedBy?: string };
  }[];
  /** Set when a baseline was applied: `unchanged` for findings it records, `new` for the others. */
  baselineState?: "new" | "unchanged";
  properties: {
    status: string;
    resource: string;
    account: string;
    region?: string;
    controls: string[];
    trailguard: SarifFindingRecord;
  };
}

/**
 * The rest of a finding as the JSON report has it, so that `trailguard merge` reads a SARIF log back into the
 * report it was written from (what the result itself says, rule, status, account, region, fingerprint, is not
 * repeated).
 */
export type SarifFindingRecord = Omit<
  JsonFinding,
  "ruleId" | "status" | "account" | "region" | "fingerprint" | "suppressed"
>;
/** A rule as the JSON report has it, beside its SARIF descriptor. */
export type SarifRuleRecord = Omit<JsonRule, "id" | "helpUri">;
interface SarifNotification {
  level: "error" | "warning" | "note";
  message: SarifMessage;
  descriptor?: { id: string };
  locations?: { physicalLocation: SarifPhysicalLocation }[];
  /** The input problem as the JSON report has it (none for notes about the log itself). */
  properties?: { trailguard: JsonInputError };
}
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: [
    {
      tool: {
        driver: {
          name: string;
          version: string;
          semanticVersion: string;
          informationUri: string;
          rules: SarifReportingDescriptor[];
        };
      };
      automationDetails: { id: string };
      originalUriBaseIds: Record<string, { uri: string }>;
      columnKind: "utf16CodeUnits";
      invocations: [
        {
          executionSuccessful: boolean;
          startTimeUtc?: string;
          toolExecutionNotifications: SarifNotification[];
        },
      ];
      /** Every input read, with its SHA-256, when the report recorded them. */
      artifacts?: { location: { uri: string; uriBaseId: string }; hashes?: { "sha-256": string } }[];
      results: SarifResult[];
      /**
       * trailguard's record of what was judged, the per-control compliance status when asked for, and the findings
       * that are not results (passes unless asked for, not applicable ones, those over GitHub's limit), so that the
       * log is as complete a record as the JSON report.
       */
      properties: {
        provenance?: Report["provenance"];
        compliance?: JsonCompliance;
        trailguard: { unlisted: JsonFinding[] };
      };
    },
  ];
}

/** `cloudtrail-multi-region` → `CloudtrailMultiRegion`, `CT.1` → `CT1`. */
export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function region(location: {
  line: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}): SarifRegion {
  const startLine = Number.isInteger(location.line) && location.line >= 1 ? location.line : 1;
  const out: SarifRegion = { startLine };
  if (location.column !== undefined && Number.isInteger(location.column) && location.column >= 1) {
    out.startColumn = location.column;
  }
  if (location.endLine !== undefined && Number.isInteger(location.endLine) && location.endLine >= startLine) {
    out.endLine = location.endLine;
    if (
      location.endColumn !== undefined &&
      Number.isInteger(location.endColumn) &&
      location.endColumn >= 1 &&
      (location.endLine > startLine || location.endColumn > (out.startColumn ?? 0))
    ) {
      out.endColumn = location.endColumn;
    }
  }
  return out;
}

function physical(root: string, file: string, where?: Parameters<typeof region>[0]): SarifPhysicalLocation {
  const out: SarifPhysicalLocation = {
    artifactLocation: { uri: relativeUri(root, file), uriBaseId: SRCROOT },
  };
  if (where !== undefined) out.region = region(where);
  return out;
}

/** The file that anchors results without a location: the first file read, else a fixed synthetic path. */
export function anchorFile(report: Report): string {
  return report.files[0] ?? NO_FILE_ANCHOR;
}

function ruleDescriptor(report: Report, rule: Rule): SarifReportingDescriptor {
  const helpUri = ruleHelpUri(report, rule);
  const refs = [...new Set(rule.controls.map((c) => c.ref))];
  const controlLine = (c: Rule["controls"][number]) => {
    const title = c.title === undefined ? "" : ` ${c.title}`;
    const framework = c.frameworkTitle === undefined ? "" : ` (${c.frameworkTitle})`;
    return { text: `- ${c.ref}${title}${framework}`, markdown: `- \`${c.ref}\`${title}${framework}` };
  };
  const controls = rule.controls.map(controlLine);
  const text = [
    rule.description,
    `Remediation: ${rule.remediation}`,
    ...(controls.length > 0 ? ["Controls:", controls.map((c) => c.text).join("\n")] : []),
    `Documentation: ${helpUri}`,
  ].join("\n\n");
  const markdown = [
    rule.description,
    "**Remediation**",
    rule.remediation,
    ...(controls.length > 0 ? ["**Controls**", controls.map((c) => c.markdown).join("\n")] : []),
    `[Rule documentation](${helpUri})`,
  ].join("\n\n");

  const properties: Record<string, unknown> = {
    tags: ["security", "cloudtrail", ...refs].slice(0, MAX_TAGS),
    precision: "high",
  };
  const { id: _, helpUri: __, ...record } = jsonRule(report, rule);
  properties.trailguard = record satisfies SarifRuleRecord;
  const score = securitySeverity(rule.severity);
  if (score === undefined) properties["problem.severity"] = "recommendation";
  else properties["security-severity"] = score;

  return {
    id: rule.id,
    name: clip(pascalCase(rule.id) || rule.id, MAX_NAME),
    shortDescription: { text: clip(rule.title, MAX_DESCRIPTION) },
    fullDescription: { text: clip(rule.description, MAX_DESCRIPTION) },
    help: { text, markdown },
    helpUri,
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties,
  };
}

/** A descriptor for a finding whose rule is not in `report.rules` (an engine bug), so `ruleIndex` stays valid. */
function missingRuleDescriptor(report: Report, finding: Finding): SarifReportingDescriptor {
  return ruleDescriptor(report, {
    id: finding.ruleId,
    title: finding.ruleId,
    description: `Rule ${finding.ruleId} (its definition was not part of the report).`,
    severity: finding.severity,
    scope: finding.resource.kind,
    assert: "",
    evidence: [],
    remediation: "See the rule documentation.",
    controls: [],
    pack: "",
  });
}

/**
 * The AWS account and region a finding belongs to, as logical locations (SARIF `namespace`), so that the results
 * of an organization scan can be told apart by account in any SARIF viewer. Infrastructure code has none.
 */
function accountLocations(finding: Finding): { name: string; fullyQualifiedName: string; kind: string }[] {
  if (!/^\d{12}$/.test(finding.account)) return [];
  const account = {
    name: finding.account,
    fullyQualifiedName: `account/${finding.account}`,
    kind: "namespace",
  };
  if (!finding.region) return [account];
  return [
    account,
    {
      name: finding.region,
      fullyQualifiedName: `account/${finding.account}/region/${finding.region}`,
      kind: "namespace",
    },
  ];
}

/** Where a finding's result points: its evidence, or for a logical-only resource a file GitHub accepts. */
function physicalOf(report: Report, finding: Finding): SarifPhysicalLocation {
  return finding.location !== undefined
    ? physical(report.root, finding.location.file, finding.location)
    : physical(report.root, anchorFile(report), { line: 1 });
}

function resultKey(report: Report, finding: Finding): PlannedResult["key"] {
  const { artifactLocation, region } = physicalOf(report, finding);
  return [artifactLocation.uri, region?.startLine ?? 1, region?.startColumn ?? 0];
}

function result(report: Report, finding: Finding, ruleIndex: number, controls: string[]): SarifResult {
  const { resource } = finding;
  // The message says which resource: a location may be only the anchor of an account or a logical resource.
  const text = `${fullMessage(finding) || finding.ruleId} Resource: ${resource.address}.`;
  const physicalLocation = physicalOf(report, finding);
  const location: SarifLocation = {
    physicalLocation,
    logicalLocations: [
      { name: resource.name ?? resource.id, fullyQualifiedName: resource.address, kind: "resource" },
      ...accountLocations(finding),
    ],
  };
  const kind = SARIF_KIND[finding.status];
  const level = kind === "fail" ? sarifLevel(finding.severity) : kind === "pass" ? "none" : "warning";
  const {
    ruleId: _,
    status: __,
    account: ___,
    region: ____,
    fingerprint,
    suppressed: ______,
    ...record
  } = jsonFinding(report.root, finding);

  const out: SarifResult = {
    ruleId: finding.ruleId,
    ruleIndex,
    kind,
    level,
    message: { text },
    locations: [location],
    partialFingerprints: { primaryLocationLineHash: fingerprint, "trailguard/v1": fingerprint },
    properties: {
      status: finding.status,
      resource: resource.address,
      account: finding.account,
      ...(finding.region ? { region: finding.region } : {}),
      controls,
      trailguard: record,
    },
  };
  if (finding.suppression !== undefined) {
    const { kind, reason, expires, approvedBy } = finding.suppression;
    // A waiver lives in the project config, outside the scanned file: SARIF calls that external.
    const suppression: NonNullable<SarifResult["suppressions"]>[number] = {
      kind: kind === "waiver" ? "external" : "inSource",
      justification: reason,
    };
    const at: SourceLocation | undefined = finding.suppression.location;
    if (at !== undefined) suppression.location = { physicalLocation: physical(report.root, at.file, at) };
    if (expires !== undefined || approvedBy !== undefined) {
      suppression.properties = {
        ...(expires !== undefined ? { expires } : {}),
        ...(approvedBy !== undefined ? { approvedBy } : {}),
      };
    }
    out.suppressions = [suppression];
  }
  if (finding.baseline !== undefined)
    out.baselineState = finding.baseline === "existing" ? "unchanged" : "new";
  return out;
}

/** (uri, line, column, rule id, resource address, kind): the order GitHub and diff tools see. */
function comparePlanned(a: PlannedResult, b: PlannedResult): number {
  const [uriA, lineA, colA] = a.key;
  const [uriB, lineB, colB] = b.key;
  const x = a.finding;
  const y = b.finding;
  return (
    compareText(uriA, uriB) ||
    lineA - lineB ||
    colA - colB ||
    compareText(x.ruleId, y.ruleId) ||
    compareText(x.resource.address, y.resource.address) ||
    // One resource seen from several accounts (a shared organization trail): each account's result in turn.
    compareText(x.account, y.account) ||
    compareText(x.region ?? "", y.region ?? "") ||
    compareText(SARIF_KIND[x.status], SARIF_KIND[y.status])
  );
}

function notification(report: Report, error: InputError): SarifNotification {
  const out: SarifNotification = {
    level: error.severity,
    message: { text: inputErrorLabel(report.root, error) },
    descriptor: { id: error.code },
    properties: { trailguard: jsonInputError(report.root, error) },
  };
  if (error.file !== undefined) {
    const where = error.line === undefined ? undefined : { line: error.line, column: error.column };
    out.locations = [{ physicalLocation: physical(report.root, error.file, where) }];
  }
  return out;
}

type SarifKind = "fail" | "open" | "pass" | "review" | "notApplicable";

/** A rule error is for a person to review: it says nothing about the resource. */
const SARIF_KIND: Record<Status, SarifKind> = {
  fail: "fail",
  unknown: "open",
  pass: "pass",
  error: "review",
  "not-applicable": "notApplicable",
};

/** A result to be written: its finding, its rule's index, and the order key GitHub and diff tools see. */
interface PlannedResult {
  finding: Finding;
  ruleIndex: number;
  key: [uri: string, line: number, column: number];
}

/**
 * The log with its two long lists apart: `results` and `properties.trailguard.unlisted` hold markers in `log`, and
 * `results()`/`unlisted()` give their items one at a time, in order. The items are only made when asked for.
 */
interface SarifPlan {
  log: SarifLog;
  results(): Iterable<SarifResult>;
  unlisted(): Iterable<JsonFinding>;
}

const RESULTS_MARKER = "\u0000results";
const UNLISTED_MARKER = "\u0000unlisted";

function planSarif(report: Report, options: RenderOptions, maxResults: number): SarifPlan {
  const rules = sortedRules(report.rules);
  const descriptors = rules.map((rule) => ruleDescriptor(report, rule));
  const indexById = new Map<string, number>();
  const controlsById = new Map<string, string[]>();
  rules.forEach((rule, i) => {
    if (!indexById.has(rule.id)) indexById.set(rule.id, i);
    controlsById.set(rule.id, [...new Set(rule.controls.map((c) => c.ref))]);
  });

  let emitted = report.findings.filter((f) => isListed(f, options.includePassed));
  const notifications = [...report.errors].sort(compareInputErrors).map((e) => notification(report, e));
  if (emitted.length > maxResults) {
    notifications.push({
      level: "warning",
      message: {
        text:
          `${emitted.length} results exceed GitHub's limit of ${maxResults} per run; ` +
          `only the ${maxResults} most severe are included.`,
      },
    });
    emitted = [...emitted].sort(compareImportance).slice(0, maxResults);
  }
  const shown = new Set(emitted);
  const unlisted = report.findings.filter((f) => !shown.has(f)).sort(compareFindings);

  // Pre-sorted so that descriptors for missing rules are appended in a deterministic order.
  const planned = emitted.sort(compareFindings).map((finding): PlannedResult => {
    let ruleIndex = indexById.get(finding.ruleId);
    if (ruleIndex === undefined) {
      ruleIndex = descriptors.push(missingRuleDescriptor(report, finding)) - 1;
      indexById.set(finding.ruleId, ruleIndex);
    }
    return { finding, ruleIndex, key: resultKey(report, finding) };
  });
  planned.sort(comparePlanned);

  const { tool } = report;
  const provenance = report.provenance;
  const compliance = jsonCompliance(report);
  const properties = {
    ...(provenance ? { provenance } : {}),
    ...(compliance ? { compliance } : {}),
    trailguard: { unlisted: UNLISTED_MARKER as unknown as JsonFinding[] },
  };
  const log: SarifLog = {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            semanticVersion: tool.version,
            informationUri: tool.informationUri,
            rules: descriptors,
          },
        },
        automationDetails: { id: options.automationId },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(report.root) } },
        columnKind: "utf16CodeUnits",
        invocations: [
          {
            // Warnings (a suppression without a reason, say) do not stop evaluation; only errors do.
            executionSuccessful: !report.errors.some((e) => e.severity === "error"),
            ...(provenance ? { startTimeUtc: provenance.scannedAt } : {}),
            toolExecutionNotifications: notifications,
          },
        ],
        ...(provenance
          ? {
              artifacts: provenance.inputs.map((input) => ({
                location: { uri: relativeUri(report.root, input.path), uriBaseId: SRCROOT },
                ...(input.sha256 ? { hashes: { "sha-256": input.sha256 } } : {}),
              })),
            }
          : {}),
        results: RESULTS_MARKER as unknown as SarifResult[],
        properties,
      },
    ],
  };
  return {
    log,
    *results() {
      for (const { finding, ruleIndex } of planned) {
        yield result(report, finding, ruleIndex, controlsById.get(finding.ruleId) ?? []);
      }
    },
    *unlisted() {
      for (const finding of unlisted) yield jsonFinding(report.root, finding);
    },
  };
}

/** Builds the SARIF log as one object; `maxResults` is GitHub's limit and only lowered by tests. */
export function buildSarif(report: Report, options: RenderOptions, maxResults = SARIF_MAX_RESULTS): SarifLog {
  const plan = planSarif(report, options, maxResults);
  const [run] = plan.log.runs as [SarifLog["runs"][number]];
  run.results = [...plan.results()];
  (run.properties as { trailguard: { unlisted: JsonFinding[] } }).trailguard.unlisted = [...plan.unlisted()];
  return plan.log;
}

export function renderSarif(report: Report, options: RenderOptions): string {
  return [...sarifChunks(report, options)].join("");
}

/**
 * The SARIF log's text in pieces, one result at a time: the same text as `JSON.stringify(buildSarif(…), null, 2)`,
 * without holding every result as an object and the whole log as one string.
 */
export function* sarifChunks(report: Report, options: RenderOptions): Generator<string> {
  const plan = planSarif(report, options, SARIF_MAX_RESULTS);
  const skeleton = `${JSON.stringify(plan.log, null, 2)}\n`;
  // A marker is found as the value of its own key: text from an input, escaped inside a string, cannot look so.
  const marker = /"(results|unlisted)": "\\u0000(results|unlisted)"/g;
  let from = 0;
  for (const match of skeleton.matchAll(marker)) {
    const [whole, key, name] = match as unknown as [string, string, string];
    if (key !== name) continue;
    yield skeleton.slice(from, match.index + whole.indexOf(":") + 2);
    const lineStart = skeleton.lastIndexOf("\n", match.index) + 1;
    const indent = " ".repeat(match.index - lineStart);
    yield* jsonArray(name === "results" ? plan.results() : plan.unlisted(), indent);
    from = match.index + whole.length;
  }
  yield skeleton.slice(from);
}

/** An array's text as `JSON.stringify(…, null, 2)` writes it at that indent, an item at a time. */
function* jsonArray(items: Iterable<unknown>, indent: string): Generator<string> {
  const inner = `${indent}  `;
  let separator = `[\n${inner}`;
  for (const item of items) {
    yield `${separator}${JSON.stringify(item, null, 2).replace(/\n/g, `\n${inner}`)}`;
    separator = `,\n${inner}`;
  }
  yield separator === `[\n${inner}` ? "[]" : `\n${indent}]`;
}
