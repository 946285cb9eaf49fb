import type {
  AdvancedEventSelector,
  AdvancedFieldSelector,
  EventSelector,
  Maybe,
  Trail,
} from "../model/index.js";
import { isUnknown } from "../model/index.js";

/** What a trail's selectors record, in the terms rules care about. */
export interface Coverage {
  read: boolean;
  write: boolean;
}

export interface ManagementCoverage extends Coverage {
  /**
   * What the recorded management events leave out: excluded event sources (`kms.amazonaws.com`), `all but <sources>`
   * for selectors that keep only some sources, and descriptions of other filters. Empty: every source is recorded.
   */
  excludedSources: string[];
}

/** Advanced selector fields that choose a category, type or direction without narrowing it further. */
const UNRESTRICTING_FIELDS = new Set(["eventCategory", "resources.type", "readOnly"]);

/**
 * Management events recorded by a trail. Advanced selectors replace basic ones when present. `null` selectors mean
 * the trail has none configured, which AWS treats as the default selector (all management events, read and write).
 * An event is recorded when any selector records it, so exclusions only count when every selector recording that
 * direction (read or write) leaves the source out.
 */
export function managementCoverage(trail: Trail): Maybe<ManagementCoverage> {
  const advanced = trail.advancedEventSelectors;
  if (isUnknown(advanced)) return advanced;
  let recorded: Maybe<RecordedManagement[]>;
  if (advanced && advanced.length > 0) recorded = advancedManagement(advanced);
  else {
    const basic = trail.eventSelectors;
    if (isUnknown(basic)) return basic;
    if (basic === null) return { read: true, write: true, excludedSources: [] };
    recorded = basicManagement(basic);
  }
  if (isUnknown(recorded)) return recorded;
  const reading = recorded.filter((r) => r.read);
  const writing = recorded.filter((r) => r.write);
  return {
    read: reading.length > 0,
    write: writing.length > 0,
    excludedSources: [...new Set([...leftOut(reading), ...leftOut(writing)])],
  };
}

/** S3 object-level (data) events recorded for every bucket of the account. */
export function s3DataCoverage(trail: Trail): Maybe<Coverage> {
  const advanced = trail.advancedEventSelectors;
  if (isUnknown(advanced)) return advanced;
  if (advanced && advanced.length > 0) {
    const result: Coverage = { read: false, write: false };
    for (const selector of advanced) {
      const fields = selector.fieldSelectors;
      if (isUnknown(fields)) return fields;
      if (!fields.every(matchesEveryS3ObjectEvent) || !selectsS3Objects(fields)) continue;
      const direction = directionOf(fields);
      result.read ||= direction.read;
      result.write ||= direction.write;
    }
    return result;
  }
  const basic = trail.eventSelectors;
  if (isUnknown(basic)) return basic;
  let result: Coverage = { read: false, write: false };
  for (const selector of basic ?? []) {
    const resources = selector.dataResources;
    if (isUnknown(resources)) return resources;
    let allBuckets = false;
    for (const resource of resources) {
      if (isUnknown(resource.type)) return resource.type;
      if (resource.type !== "AWS::S3::Object") continue;
      if (isUnknown(resource.values)) return resource.values;
      if (resource.values.some(isAllBucketsArn)) allBuckets = true;
    }
    if (!allBuckets) continue;
    const rw = readWrite(selector);
    if (isUnknown(rw)) return rw;
    result = { read: result.read || rw.read, write: result.write || rw.write };
  }
  return result;
}

// ---------------------------------------------------------------- management events

/**
 * The event sources one selector records: every source but `names`, or only `names`. `filters` describe narrowing
 * that is not about source names (an `eventSource` prefix, a filter on another field).
 */
interface RecordedManagement extends Coverage {
  sources: SourceSet;
  filters: string[];
}

type SourceSet = { only: false; names: Set<string> } | { only: true; names: Set<string> };

const EVERY_SOURCE: SourceSet = { only: false, names: new Set() };

function basicManagement(selectors: EventSelector[]): Maybe<RecordedManagement[]> {
  const out: RecordedManagement[] = [];
  for (const selector of selectors) {
    if (isUnknown(selector.includeManagementEvents)) return selector.includeManagementEvents;
    if (!selector.includeManagementEvents) continue;
    const rw = readWrite(selector);
    if (isUnknown(rw)) return rw;
    const excluded = selector.excludeManagementEventSources;
    if (isUnknown(excluded)) return excluded;
    out.push({ ...rw, sources: { only: false, names: new Set(excluded) }, filters: [] });
  }
  return out;
}

function advancedManagement(selectors: AdvancedEventSelector[]): Maybe<RecordedManagement[]> {
  const out: RecordedManagement[] = [];
  for (const selector of selectors) {
    const fields = selector.fieldSelectors;
    if (isUnknown(fields)) return fields;
    const category = fields.find((f) => f.field === "eventCategory");
    if (!category?.equals?.includes("Management")) continue;
    let sources = EVERY_SOURCE;
    const filters: string[] = [];
    for (const f of fields) {
      if (f.field === "eventSource") {
        if (f.equals) sources = intersect(sources, { only: true, names: new Set(f.equals) });
        if (f.notEquals) sources = intersect(sources, { only: false, names: new Set(f.notEquals) });
        const narrowing = f.startsWith ?? f.notStartsWith ?? f.endsWith ?? f.notEndsWith;
        if (narrowing) filters.push(`eventSource filtered by ${narrowing.join(", ")}`);
      } else if (!UNRESTRICTING_FIELDS.has(f.field)) filters.push(`events filtered by ${f.field}`);
    }
    out.push({ ...directionOf(fields), sources, filters });
  }
  return out;
}

/** What the union of the selectors (all recording one direction) leaves out; nothing when one records everything. */
function leftOut(selectors: RecordedManagement[]): string[] {
  const plain = selectors.filter((s) => s.filters.length === 0);
  const union = plain.length > 0 ? plain.map((s) => s.sources).reduce(unite) : undefined;
  if (union && !union.only && union.names.size === 0) return [];
  const filtered = selectors.filter((s) => s.filters.length > 0);
  return [
    ...(union ? describe(union) : []),
    ...filtered.flatMap((s) => [...describe(s.sources), ...s.filters]),
  ];
}

function describe(set: SourceSet): string[] {
  if (set.only) return [`all but ${[...set.names].join(", ")}`];
  return [...set.names];
}

function unite(a: SourceSet, b: SourceSet): SourceSet {
  if (!a.only && !b.only) return { only: false, names: new Set([...a.names].filter((n) => b.names.has(n))) };
  if (a.only && b.only) return { only: true, names: new Set([...a.names, ...b.names]) };
  const [except, only] = a.only ? [b, a] : [a, b];
  return { only: false, names: new Set([...except.names].filter((n) => !only.names.has(n))) };
}

function intersect(a: SourceSet, b: SourceSet): SourceSet {
  if (!a.only && !b.only) return { only: false, names: new Set([...a.names, ...b.names]) };
  if (a.only && b.only) return { only: true, names: new Set([...a.names].filter((n) => b.names.has(n))) };
  const [except, only] = a.only ? [b, a] : [a, b];
  return { only: true, names: new Set([...only.names].filter((n) => !except.names.has(n))) };
}

// ---------------------------------------------------------------- S3 data events

const S3_EVENT_SOURCE = "s3.amazonaws.com";

function selectsS3Objects(fields: AdvancedFieldSelector[]): boolean {
  const category = fields.find((f) => f.field === "eventCategory");
  const type = fields.find((f) => f.field === "resources.type");
  return (
    (category?.equals?.includes("Data") ?? false) && (type?.equals?.includes("AWS::S3::Object") ?? false)
  );
}

/**
 * Whether a field selector lets every S3 object-level event through, judged by what it matches rather than by the
 * field it names: `eventSource` equal to `s3.amazonaws.com` or `resources.ARN` starting with `arn:aws:s3:::` keep
 * every bucket; a filter on the event name, the caller or specific objects does not.
 */
function matchesEveryS3ObjectEvent(f: AdvancedFieldSelector): boolean {
  if (UNRESTRICTING_FIELDS.has(f.field)) return true;
  if (f.field === "eventSource") return matchesValue(f, S3_EVENT_SOURCE);
  if (f.field === "resources.ARN") {
    if (f.equals || f.endsWith || f.notEndsWith) return false;
    if (f.startsWith && !f.startsWith.some(isAllObjectsPrefix)) return false;
    // Excluding ARNs of another service leaves every S3 object in.
    if (f.notStartsWith?.some((v) => isAllObjectsPrefix(v) || S3_ARN_HEAD.test(v))) return false;
    if (f.notEquals?.some((v) => S3_ARN_HEAD.test(v))) return false;
    return true;
  }
  return false;
}

/** The field selector's verdict on one value: every operator it sets must hold (AWS ANDs them). */
function matchesValue(f: AdvancedFieldSelector, value: string): boolean {
  if (f.equals && !f.equals.includes(value)) return false;
  if (f.notEquals?.includes(value)) return false;
  if (f.startsWith && !f.startsWith.some((p) => value.startsWith(p))) return false;
  if (f.notStartsWith?.some((p) => value.startsWith(p))) return false;
  if (f.endsWith && !f.endsWith.some((s) => value.endsWith(s))) return false;
  if (f.notEndsWith?.some((s) => value.endsWith(s))) return false;
  return true;
}

const PARTITION = String.raw`(?:[a-z-]+|\$\{[^}]+\})`;
/** The start every S3 object ARN shares (`arn:aws:s3:::`), in any partition or a placeholder for it. */
const S3_ARN_HEAD = new RegExp(`^arn:${PARTITION}:s3:::`);

/** A prefix of `arn:<partition>:s3:::`: every object ARN of the partition starts with it. */
function isAllObjectsPrefix(value: string): boolean {
  return "arn:".startsWith(value) || new RegExp(`^arn:${PARTITION}(?::(?:s(?:3:{0,3})?)?)?$`).test(value);
}

/**
 * `arn:aws:s3` and `arn:aws:s3:::` select the objects of every bucket, in any partition, including a partition
 * still to be chosen at deploy time (a `${...}` placeholder, see src/model/value.ts).
 */
function isAllBucketsArn(value: string): boolean {
  return /^arn:(?:[a-z-]+|\$\{[^}]+\}):s3(?::::)?$/.test(value);
}

// ---------------------------------------------------------------- directions

function readWrite(selector: EventSelector): Maybe<Coverage> {
  const type = selector.readWriteType;
  if (isUnknown(type)) return type;
  return { read: type !== "WriteOnly", write: type !== "ReadOnly" };
}

function directionOf(fields: AdvancedFieldSelector[]): Coverage {
  const readOnly = fields.find((f) => f.field === "readOnly");
  if (!readOnly) return { read: true, write: true };
  return { read: matchesValue(readOnly, "true"), write: matchesValue(readOnly, "false") };
}
