import { fileURLToPath } from "node:url";
import type { AccountInventory, InputError, Resource, SourceLocation } from "../model/index.js";
import { RESOURCE_LISTS, Unknown } from "../model/index.js";
import type { JsonFinding, JsonInputError, JsonReport, JsonRule } from "../report/json.js";
import type { SarifLog, SarifResult, SarifRuleRecord } from "../report/sarif.js";
import { looksLikeSnapshot, readSnapshot } from "../sources/snapshot/index.js";

/** What one input of `trailguard merge` holds: a report (JSON or SARIF, read as JSON), or snapshot accounts. */
export type MergeInput =
  | { kind: "report"; report: JsonReport }
  | { kind: "snapshot"; accounts: AccountInventory[]; errors: InputError[] }
  | { kind: "invalid"; reason: string };

/** Tells the three kinds apart by their content, never by the file's name. */
export function readMergeInput(file: string, text: string): MergeInput {
  // A snapshot is read once, by the snapshot reader (which names the line of a syntax error).
  if (looksLikeSnapshot(text)) {
    const read = readSnapshot({ path: file, absolutePath: file, text });
    if (!read) return invalid();
    return {
      kind: "snapshot",
      accounts: read.accounts.map((a) => forgetLocations(a, file)),
      errors: read.errors,
    };
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { kind: "invalid", reason: `not readable as JSON: ${(error as Error).message}` };
  }
  const doc = data as Record<string, unknown> | null;
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return invalid();
  if (doc.version === "2.1.0" && Array.isArray(doc.runs)) return sarifInput(doc as unknown as SarifLog);
  const report = doc as Partial<JsonReport>;
  if (
    report.schemaVersion !== 1 ||
    !Array.isArray(report.findings) ||
    !Array.isArray(report.rules) ||
    !Array.isArray(report.errors)
  ) {
    return invalid();
  }
  return { kind: "report", report: report as JsonReport };
}

function invalid(): MergeInput {
  return {
    kind: "invalid",
    reason:
      "not a trailguard JSON report (schemaVersion 1 with findings, rules and errors), SARIF log or snapshot",
  };
}

/**
 * A trailguard SARIF log read back as the JSON report it was written from: each result, rule and notification
 * carries trailguard's record of it in its properties, and the run's properties the findings that are not results.
 */
function sarifInput(log: SarifLog): MergeInput {
  const run = log.runs?.[0];
  if (log.runs.length !== 1 || run?.tool?.driver?.name !== "trailguard") {
    return { kind: "invalid", reason: "a SARIF log, but not one run written by trailguard" };
  }
  const unlisted = run.properties?.trailguard?.unlisted;
  if (!Array.isArray(unlisted)) {
    return {
      kind: "invalid",
      reason:
        "a trailguard SARIF log without trailguard's record of its findings (written by an older version): merge the scans' JSON reports",
    };
  }
  const rules: JsonRule[] = [];
  for (const d of run.tool.driver.rules ?? []) {
    const record = d.properties?.trailguard as SarifRuleRecord | undefined;
    // A descriptor without a record stands for a rule the report did not have: it is not one of the rules.
    if (record && d.helpUri !== undefined) rules.push({ id: d.id, helpUri: d.helpUri, ...record });
  }
  const findings: JsonFinding[] = [...(run.results ?? []).map(findingOf), ...unlisted];
  const errors: JsonInputError[] = [];
  for (const n of run.invocations?.[0]?.toolExecutionNotifications ?? []) {
    // Notes about the log itself (results over GitHub's limit) are written again from the merged report.
    if (n.properties?.trailguard) errors.push(n.properties.trailguard);
  }
  const rootUri = run.originalUriBaseIds?.["%SRCROOT%"]?.uri;
  const report = {
    schemaVersion: 1,
    tool: {
      name: run.tool.driver.name,
      version: run.tool.driver.version,
      informationUri: run.tool.driver.informationUri,
    },
    root: rootUri?.startsWith("file:") ? fileURLToPath(rootUri).replace(/\/$/, "") || "/" : process.cwd(),
    findings,
    rules,
    errors,
    compliance: run.properties?.compliance ?? null,
    provenance: run.properties?.provenance ?? null,
  } as Partial<JsonReport> as JsonReport;
  return { kind: "report", report };
}

/** The finding a SARIF result records, in the JSON report's form. */
function findingOf(result: SarifResult): JsonFinding {
  const { trailguard: t, status, account, region } = result.properties;
  return {
    ruleId: result.ruleId,
    status: status as JsonFinding["status"],
    severity: t.severity,
    suppressed: t.suppression !== null,
    account,
    region: region ?? null,
    resource: t.resource,
    message: t.message,
    unknowns: t.unknowns,
    location: t.location,
    suppression: t.suppression,
    fingerprint: result.partialFingerprints["trailguard/v1"] ?? "",
    baseline: t.baseline,
  };
}

/**
 * The accounts of a snapshot as the live scan that wrote it had them: without the lines of the snapshot file the
 * reader gave their resources and unknown values, so that findings merged from the shards' snapshots are those of
 * the unsharded scan.
 */
function forgetLocations(account: AccountInventory, file: string): AccountInventory {
  const inFile = (at: SourceLocation | undefined) => at?.file === file;
  const plain = (value: unknown): unknown => {
    if (value instanceof Unknown) return inFile(value.location) ? new Unknown(value.reason) : value;
    if (Array.isArray(value)) return value.map(plain);
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    }
    return value;
  };
  const resource = <T extends Resource>(r: T): T => {
    const out = plain(r) as T & { fieldLocations?: Record<string, SourceLocation> };
    const { location: _, ...origin } = out.origin;
    const fieldLocations = Object.fromEntries(
      Object.entries(out.fieldLocations ?? {}).filter(([, at]) => !inFile(at)),
    );
    return { ...out, origin: inFile(out.origin.location) ? origin : out.origin, fieldLocations };
  };
  const out: AccountInventory = {
    ...account,
    anchor: inFile(account.anchor.location) ? { address: account.anchor.address } : account.anchor,
    regions: plain(account.regions) as AccountInventory["regions"],
    organization: (account.organization !== null &&
    typeof account.organization === "object" &&
    !(account.organization instanceof Unknown)
      ? resource(account.organization as unknown as Resource)
      : plain(account.organization)) as AccountInventory["organization"],
  };
  for (const list of RESOURCE_LISTS) {
    (out as unknown as Record<string, Resource[]>)[list] = (account[list] as Resource[]).map(resource);
  }
  return out;
}
