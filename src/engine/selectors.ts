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
  /** Event sources excluded from management events (`kms.amazonaws.com`, `rdsdata.amazonaws.com`). */
  excludedSources: string[];
}

/** Advanced selector fields that choose a category, type or direction without narrowing it further. */
const UNRESTRICTING_FIELDS = new Set(["eventCategory", "resources.type", "readOnly"]);

const NONE: ManagementCoverage = { read: false, write: false, excludedSources: [] };

/**
 * Management events recorded by a trail. Advanced selectors replace basic ones when present. `null` selectors mean
 * the trail has none configured, which AWS treats as the default selector (all management events, read and write).
 */
export function managementCoverage(trail: Trail): Maybe<ManagementCoverage> {
  const advanced = trail.advancedEventSelectors;
  if (isUnknown(advanced)) return advanced;
  if (advanced && advanced.length > 0) return fromAdvanced(advanced, "Management", () => true);
  const basic = trail.eventSelectors;
  if (isUnknown(basic)) return basic;
  if (basic === null) return { read: true, write: true, excludedSources: [] };
  let result: ManagementCoverage = { ...NONE, excludedSources: [] };
  for (const selector of basic) {
    if (isUnknown(selector.includeManagementEvents)) return selector.includeManagementEvents;
    if (!selector.includeManagementEvents) continue;
    const rw = readWrite(selector);
    if (isUnknown(rw)) return rw;
    const excluded = selector.excludeManagementEventSources;
    if (isUnknown(excluded)) return excluded;
    result = {
      read: result.read || rw.read,
      write: result.write || rw.write,
      excludedSources: [...result.excludedSources, ...excluded],
    };
  }
  return result;
}

/** S3 object-level (data) events recorded for every bucket of the account. */
export function s3DataCoverage(trail: Trail): Maybe<Coverage> {
  const advanced = trail.advancedEventSelectors;
  if (isUnknown(advanced)) return advanced;
  if (advanced && advanced.length > 0) {
    const coverage = fromAdvanced(advanced, "Data", (fields) => {
      const type = fields.find((f) => f.field === "resources.type");
      const typeIsObject = type?.equals?.includes("AWS::S3::Object") ?? false;
      // Any filter beyond category, type and read/write narrows what is recorded: not "every bucket".
      const restricted = fields.some((f) => !UNRESTRICTING_FIELDS.has(f.field));
      return typeIsObject && !restricted;
    });
    return isUnknown(coverage) ? coverage : { read: coverage.read, write: coverage.write };
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

/**
 * `arn:aws:s3` and `arn:aws:s3:::` select the objects of every bucket, in any partition, including a partition
 * still to be chosen at deploy time (a `${...}` placeholder, see src/model/value.ts).
 */
function isAllBucketsArn(value: string): boolean {
  return /^arn:(?:[a-z-]+|\$\{[^}]+\}):s3(?::::)?$/.test(value);
}

function readWrite(selector: EventSelector): Maybe<Coverage> {
  const type = selector.readWriteType;
  if (isUnknown(type)) return type;
  return { read: type !== "WriteOnly", write: type !== "ReadOnly" };
}

function fromAdvanced(
  selectors: AdvancedEventSelector[],
  category: "Management" | "Data",
  accepts: (fields: AdvancedFieldSelector[]) => boolean,
): Maybe<ManagementCoverage> {
  const result: ManagementCoverage = { read: false, write: false, excludedSources: [] };
  for (const selector of selectors) {
    const fields = selector.fieldSelectors;
    if (isUnknown(fields)) return fields;
    const eventCategory = fields.find((f) => f.field === "eventCategory");
    if (!eventCategory?.equals?.includes(category) || !accepts(fields)) continue;
    const readOnly = fields.find((f) => f.field === "readOnly");
    const only = readOnly?.equals?.[0] ?? negate(readOnly?.notEquals?.[0]);
    if (only === undefined || only === "true") result.read = true;
    if (only === undefined || only === "false") result.write = true;
    const source = fields.find((f) => f.field === "eventSource");
    if (source?.notEquals) result.excludedSources.push(...source.notEquals);
    if (source?.equals) result.excludedSources.push(`all but ${source.equals.join(", ")}`);
    for (const f of fields) {
      const narrowing =
        f.field === "eventSource" ? (f.startsWith ?? f.notStartsWith ?? f.endsWith ?? f.notEndsWith) : null;
      if (narrowing) result.excludedSources.push(`eventSource filtered by ${narrowing.join(", ")}`);
      if (category === "Management" && !UNRESTRICTING_FIELDS.has(f.field) && f.field !== "eventSource") {
        result.excludedSources.push(`events filtered by ${f.field}`);
      }
    }
  }
  return result;
}

function negate(value: string | undefined): string | undefined {
  if (value === "true") return "false";
  if (value === "false") return "true";
  return undefined;
}
