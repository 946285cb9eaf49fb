import type { AccountInventory, InputError } from "../model/index.js";

type ResourceLists = Pick<
  AccountInventory,
  "trails" | "buckets" | "keys" | "logGroups" | "metricFilters" | "alarms" | "topics" | "eventDataStores"
>;

/** What a source read from one file: resources (to be merged into an account) and the problems it met. */
export interface InventoryFragment extends ResourceLists {
  organization?: AccountInventory["organization"];
  errors: InputError[];
}

/** The file a source is asked to read. `path` is relative to the scan root and is what reports show. */
export interface SourceFile {
  path: string;
  absolutePath: string;
  text: string;
}

/**
 * `not-mine`: the file is not of this source's format (an unrelated YAML file): skipped quietly.
 * `read`: the file is of this format; the fragment may still carry errors (a bad resource, say).
 */
export type ReadResult = { status: "not-mine" } | { status: "read"; fragment: InventoryFragment };

export interface FileSourceReader {
  name: string;
  /** File name endings this reader looks at (`.yaml`, `.json`, `.tf`, ...). */
  extensions: string[];
  read(file: SourceFile): ReadResult;
}

export function emptyFragment(): InventoryFragment {
  return {
    trails: [],
    buckets: [],
    keys: [],
    logGroups: [],
    metricFilters: [],
    alarms: [],
    topics: [],
    eventDataStores: [],
    errors: [],
  };
}

export function mergeFragment(into: AccountInventory, fragment: InventoryFragment): void {
  into.trails.push(...fragment.trails);
  into.buckets.push(...fragment.buckets);
  into.keys.push(...fragment.keys);
  into.logGroups.push(...fragment.logGroups);
  into.metricFilters.push(...fragment.metricFilters);
  into.alarms.push(...fragment.alarms);
  into.topics.push(...fragment.topics);
  into.eventDataStores.push(...fragment.eventDataStores);
  if (fragment.organization) into.organization = fragment.organization;
}
