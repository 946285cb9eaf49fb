import type { InputError } from "./errors.js";
import { RESOURCE_LISTS, type ResourceListName } from "./kinds.js";
import type { SourceLocation } from "./location.js";
import type {
  Alarm,
  Bucket,
  EventDataStore,
  KmsKey,
  LogGroup,
  MetricFilter,
  Organization,
  Resource,
  Topic,
  Trail,
} from "./resources.js";
import { type Maybe, Unknown } from "./value.js";

/**
 * What one source saw of one AWS account (or, for infrastructure code, of one deployment unit). Account-scope
 * rules only apply when `completeAccount` is true: a single template does not show a whole account.
 */
export interface AccountInventory {
  /** Stable key for this unit: account id, or the scanned path for infrastructure code. */
  key: string;
  accountId: Maybe<string | null>;
  /** Regions enabled in the account, when the source knows them. */
  regions: Maybe<string[] | null>;
  completeAccount: boolean;
  /**
   * How much of each resource list the source saw. A list that is not `complete` reads as unknown (with the
   * reason) to account rules; only whole accounts (`completeAccount`) are judged on their lists at all.
   */
  coverage: Record<ResourceListName, Coverage>;
  /** Where account-level findings are anchored: the file that evidences the account (line 1 when nothing better). */
  anchor: AccountAnchor;
  trails: Trail[];
  buckets: Bucket[];
  keys: KmsKey[];
  logGroups: LogGroup[];
  metricFilters: MetricFilter[];
  alarms: Alarm[];
  topics: Topic[];
  eventDataStores: EventDataStore[];
  organization: Maybe<Organization | null>;
}

export interface AccountAnchor {
  location?: SourceLocation;
  /** Logical name when there is no file: `arn:aws:::account/123456789012`. */
  address: string;
}

export interface Inventory {
  /** Directory that relative paths in reports are computed against. */
  root: string;
  /** Every file that was read (scanned or skipped), relative to `root`. */
  files: string[];
  accounts: AccountInventory[];
  errors: InputError[];
}

export type ResourceLists = Pick<AccountInventory, ResourceListName>;

/**
 * `complete`: every resource of the kind in the account is listed. `partial`: some are (a region refused, only
 * the home region was asked). `not-collected`: the source did not list the kind at all (a file missing from an
 * export folder, AccessDenied, a source that cannot see the kind).
 */
export type CoverageState = "complete" | "partial" | "not-collected";

export interface Coverage {
  state: CoverageState;
  /** Why the list is not complete: shown in findings that depend on it. */
  reason?: string;
}

export const COMPLETE: Coverage = Object.freeze({ state: "complete" }) as Coverage;

/** Every list complete: what a source starts from, marking the lists it could not read. */
export function completeCoverage(): Record<ResourceListName, Coverage> {
  return Object.fromEntries(RESOURCE_LISTS.map((list) => [list, COMPLETE])) as Record<
    ResourceListName,
    Coverage
  >;
}

/** Marks a list as not complete; a `not-collected` mark wins over a `partial` one, reasons accumulate. */
export function markCoverage(
  account: Pick<AccountInventory, "coverage">,
  list: ResourceListName,
  state: Exclude<CoverageState, "complete">,
  reason: string,
): void {
  const current = account.coverage[list];
  if (current.state === "complete") {
    account.coverage[list] = { state, reason };
    return;
  }
  const worst = current.state === "not-collected" || state === "not-collected" ? "not-collected" : "partial";
  const reasons = current.reason && current.reason !== reason ? `${current.reason}; ${reason}` : reason;
  account.coverage[list] = { state: worst, reason: reasons };
}

export function emptyResourceLists(): ResourceLists {
  // Filled key by key (not from entries): every file's fragment is one, and objects built this way keep fast properties.
  const lists: Record<string, unknown[]> = {};
  for (const list of RESOURCE_LISTS) lists[list] = [];
  return lists as unknown as ResourceLists;
}

export function emptyAccount(key: string, anchor: AccountAnchor, completeAccount: boolean): AccountInventory {
  return {
    key,
    accountId: null,
    regions: null,
    completeAccount,
    coverage: completeCoverage(),
    anchor,
    ...emptyResourceLists(),
    organization: null,
  };
}

export function resourcesOf(account: AccountInventory): Resource[] {
  const org = account.organization;
  const resources: Resource[] = RESOURCE_LISTS.flatMap((list) => account[list] as Resource[]);
  if (org && !(org instanceof Unknown)) resources.push(org);
  return resources;
}
