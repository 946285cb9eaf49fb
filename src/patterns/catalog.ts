import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { MONITORING_CLASSES, type MonitoringClassId } from "./classes.js";
import { BUILT_IN_CATALOG, builtInCatalogContent } from "./generated/monitoring-catalog.js";
import { validateMonitoringEvents } from "./generated/monitoring-events-validator.js";

export { MONITORING_CLASSES, type MonitoringClassId };

/** The CIS AWS Foundations Benchmark versions whose monitoring texts are recorded. */
export const CIS_VERSIONS = ["1.2", "1.3", "1.4", "1.5", "2.0", "3.0", "4.0.1", "5.0"] as const;
export type CisVersion = (typeof CIS_VERSIONS)[number];

/** A CloudTrail record, as it reaches the log group. */
export type CloudTrailRecord = Record<string, unknown>;

export interface CanonicalEvent {
  label: string;
  /** CIS asks for it from this version on. */
  since?: CisVersion;
  record: CloudTrailRecord;
}

/** A filter pattern printed by the benchmark or by Security Hub. */
export interface OfficialText {
  source: string;
  securityHub: boolean;
  versions: CisVersion[];
  pattern: string;
  /** What is wrong with it when read literally. */
  defect?: string;
}

export interface MonitoringClass {
  id: MonitoringClassId;
  title: string;
  /** Control number in CIS v1.3.0-v5.0.0, and in v1.2.0. */
  cis: string;
  cisV1_2?: string;
  /** The first CIS version with this class. */
  since?: CisVersion;
  securityHub?: string;
  /** Events a monitoring filter for the class must match. */
  events: CanonicalEvent[];
  /** Events the CIS texts leave out; a broader filter may match them. */
  nearMisses: CanonicalEvent[];
  texts: OfficialText[];
}

export interface MonitoringCatalog {
  file: string;
  classes: ReadonlyMap<MonitoringClassId, MonitoringClass>;
  /** Ordinary events no class is about: a filter matching all of them monitors nothing in particular. */
  unrelated: CanonicalEvent[];
}

export class CatalogError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly detail: string,
  ) {
    super(`${file}${line ? `:${line}` : ""}: ${detail}`);
    this.name = "CatalogError";
  }
}

interface RawEvent {
  label: string;
  since?: CisVersion;
  event: CloudTrailRecord;
}

interface RawClass {
  title: string;
  cis: string;
  cisV1_2?: string;
  since?: CisVersion;
  securityHub?: string;
  events?: RawEvent[];
  eventNames?: { eventSource: string; names: (string | { name: string; since?: CisVersion })[] };
  nearMisses?: RawEvent[];
  texts: (Omit<OfficialText, "securityHub"> & { securityHub?: boolean })[];
}

interface RawCatalog {
  defaults: CloudTrailRecord;
  unrelated: RawEvent[];
  classes: Record<string, RawClass>;
}

/** policies/cis/monitoring-events.yaml of the installed package (beside src/ when run from source, dist/ built). */
export function builtInCatalogFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const file = join(dir, "policies", "cis", "monitoring-events.yaml");
    if (existsSync(file)) return file;
    dir = dirname(dir);
  }
  throw new Error("trailguard's policies/cis/monitoring-events.yaml was not found beside the program");
}

/** Reads and checks a catalog file; a problem is a CatalogError naming file and line. */
export function loadMonitoringCatalog(file: string = builtInCatalogFile()): MonitoringCatalog {
  const text = readFileSync(file, "utf8");
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const first = doc.errors[0];
  if (first) throw new CatalogError(file, lines.linePos(first.pos[0]).line, first.message);
  const raw = doc.toJS() as unknown;
  // The line of the key (in a map) or item (in a list) a path leads to, as far as the document has it.
  const lineOf = (path: (string | number)[]) => {
    let node: unknown = doc.contents;
    let at: Node | undefined = isMap(node) || isSeq(node) ? (node as Node) : undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
        if (!pair) break;
        at = (pair.key as Node | null) ?? at;
        node = pair.value;
      } else if (isSeq(node) && typeof key === "number" && node.items[key]) {
        node = node.items[key];
        at = node as Node;
      } else break;
    }
    const range = at?.range;
    return range ? lines.linePos(range[0]).line : undefined;
  };
  return catalogOf(raw, file, lineOf);
}

/** Checks and builds a catalog from its parsed content; `lineOf` places a problem in the file. */
function catalogOf(
  raw: unknown,
  file: string,
  lineOf: (path: (string | number)[]) => number | undefined,
): MonitoringCatalog {
  if (!validateMonitoringEvents(raw)) {
    const error = validateMonitoringEvents.errors?.[0];
    const path = (error?.instancePath ?? "")
      .split("/")
      .slice(1)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replaceAll("~1", "/").replaceAll("~0", "~")));
    throw new CatalogError(
      file,
      lineOf(path),
      `${error?.instancePath || "/"} ${error?.message ?? "is invalid"}`,
    );
  }
  const catalog = raw as RawCatalog;
  const classes = new Map<MonitoringClassId, MonitoringClass>();
  for (const [id, cls] of Object.entries(catalog.classes)) {
    if (!(MONITORING_CLASSES as readonly string[]).includes(id)) {
      throw new CatalogError(file, lineOf(["classes", id]), `unknown monitoring class ${id}`);
    }
    const events = [
      ...(cls.events ?? []).map((e) => canonical(catalog.defaults, e)),
      ...(cls.eventNames?.names ?? []).map((entry) => {
        const { name, since } = typeof entry === "string" ? { name: entry, since: undefined } : entry;
        const record = { eventSource: cls.eventNames?.eventSource, eventName: name };
        return canonical(catalog.defaults, { label: name, event: record, ...(since ? { since } : {}) });
      }),
    ];
    if (events.length === 0) {
      throw new CatalogError(file, lineOf(["classes", id]), `class ${id} has no events or eventNames`);
    }
    classes.set(id as MonitoringClassId, {
      id: id as MonitoringClassId,
      title: cls.title,
      cis: cls.cis,
      ...(cls.cisV1_2 ? { cisV1_2: cls.cisV1_2 } : {}),
      ...(cls.since ? { since: cls.since } : {}),
      ...(cls.securityHub ? { securityHub: cls.securityHub } : {}),
      events,
      nearMisses: (cls.nearMisses ?? []).map((e) => canonical(catalog.defaults, e)),
      texts: cls.texts.map((t) => ({ ...t, securityHub: t.securityHub === true })),
    });
  }
  const missing = MONITORING_CLASSES.filter((id) => !classes.has(id));
  if (missing.length > 0)
    throw new CatalogError(file, lineOf(["classes"]), `classes missing: ${missing.join(", ")}`);
  return { file, classes, unrelated: catalog.unrelated.map((e) => canonical(catalog.defaults, e)) };
}

function canonical(defaults: CloudTrailRecord, raw: RawEvent): CanonicalEvent {
  return {
    label: raw.label,
    ...(raw.since ? { since: raw.since } : {}),
    record: { ...defaults, ...raw.event },
  };
}

let builtIn: MonitoringCatalog | undefined;

/**
 * The catalog shipped in policies/cis/, built once from its content compiled ahead of time into
 * src/patterns/generated/ (parsing the YAML would cost a scan far more than the rest of the judging).
 */
export function builtInCatalog(): MonitoringCatalog {
  builtIn ??= catalogOf(builtInCatalogContent, BUILT_IN_CATALOG, () => undefined);
  return builtIn;
}

/** Whether an event belongs to what a class asks for in a given CIS version (all versions when not given). */
export function inVersion(event: { since?: CisVersion }, version: CisVersion | undefined): boolean {
  return !version || !event.since || CIS_VERSIONS.indexOf(event.since) <= CIS_VERSIONS.indexOf(version);
}
