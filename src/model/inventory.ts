import type { InputError } from "./errors.js";
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

/** The resource lists of an account, in a fixed order: every place that walks all resources uses this. */
export const RESOURCE_LISTS = [
  "trails",
  "buckets",
  "keys",
  "logGroups",
  "metricFilters",
  "alarms",
  "topics",
  "eventDataStores",
] as const;

export type ResourceLists = Pick<AccountInventory, (typeof RESOURCE_LISTS)[number]>;

export function emptyResourceLists(): ResourceLists {
  return {
    trails: [],
    buckets: [],
    keys: [],
    logGroups: [],
    metricFilters: [],
    alarms: [],
    topics: [],
    eventDataStores: [],
  };
}

export function emptyAccount(key: string, anchor: AccountAnchor, completeAccount: boolean): AccountInventory {
  return {
    key,
    accountId: null,
    regions: null,
    completeAccount,
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
