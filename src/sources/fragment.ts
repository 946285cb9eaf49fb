import {
  type AccountInventory,
  type CoverageState,
  emptyResourceLists,
  type InputError,
  markCoverage,
  type PendingAttachment,
  RESOURCE_LISTS,
  type ResourceListName,
  type ResourceLists,
} from "../model/index.js";

/** What a source read from one file: resources (to be merged into an account) and the problems it met. */
export interface InventoryFragment extends ResourceLists {
  organization?: AccountInventory["organization"];
  errors: InputError[];
  /**
   * Lists the file may hold resources of that the source could not read (a file that does not parse): merged into
   * the account's coverage, so account rules over them are unknown rather than judged without them.
   */
  /** Settings for buckets the file names but does not declare: attached across the scan (see `attachAcrossScan`). */
  attachments?: PendingAttachment[];
  coverage?: Partial<Record<ResourceListName, { state: Exclude<CoverageState, "complete">; reason: string }>>;
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
 * `accounts`: the file records whole accounts (a snapshot): they are evaluated as they are, not merged.
 */
export type ReadResult =
  | { status: "not-mine" }
  | { status: "read"; fragment: InventoryFragment }
  | ({ status: "accounts" } & RecordedAccounts);

export interface FileSourceReader {
  name: string;
  /** File name endings this reader looks at (`.yaml`, `.json`, `.tf`, ...). */
  extensions: string[];
  /**
   * Sees every file of a scanned path (of this reader's extensions) before any is read; what it returns is given
   * to each `read` (CloudFormation: the exports that `Fn::ImportValue` resolves against).
   */
  begin?(files: SourceFile[]): unknown;
  read(file: SourceFile, context?: unknown): ReadResult;
}

/** A file found by a scan, not yet read. */
export interface SourceFileRef {
  /** POSIX path relative to the scan root: what reports show. */
  path: string;
  absolutePath: string;
}

/** What a group reader may do beyond the files of its group. */
export interface GroupReadContext {
  /** Directory that report paths are relative to. */
  root: string;
  /**
   * Reads any file (a module outside the group, a `.tf` beside a plan). Applies the scan's size limit; a file that
   * cannot be read is reported by the scan and gives `undefined`.
   */
  readText(absolutePath: string): string | undefined;
  /** The scan-root-relative path of an absolute one, for locations and addresses. */
  relativePath(absolutePath: string): string;
  /** Terraform settings: `--var-file` files (absolute, in the order given) and the instance limit per resource. */
  terraform?: { varFiles?: string[]; maxInstances?: number };
}

/**
 * A source that reads several files together: a Terraform module folder, a plan with the `.tf` files beside it, a
 * folder of AWS CLI exports. Group readers see a scan's files first; files they leave ungrouped go to file readers.
 */
export interface GroupSourceReader {
  name: string;
  /** File name endings this reader looks at. */
  extensions: string[];
  /**
   * Asynchronous set-up (loading a parser), awaited before the first group when a scan has such files; `files` are
   * those of the reader's extensions.
   */
  prepare?(files: SourceFileRef[]): Promise<void>;
  /** Splits the files into the groups read together; files in no group are left to the next reader. */
  group(files: SourceFileRef[], ctx: GroupReadContext): SourceFileRef[][];
  /**
   * Reads one group: a fragment (its resources and problems, with file and line in each error) merged into the
   * scanned path's account, or the whole accounts the group records (a folder of exports is one account).
   */
  read(group: SourceFileRef[], ctx: GroupReadContext): InventoryFragment | RecordedAccounts;
}

/** Whole accounts a source read, with their account-level facts; evaluated as they are, not merged. */
export interface RecordedAccounts {
  accounts: AccountInventory[];
  errors: InputError[];
}

export function isRecordedAccounts(value: InventoryFragment | RecordedAccounts): value is RecordedAccounts {
  return "accounts" in value;
}

export function emptyFragment(): InventoryFragment {
  const fragment = emptyResourceLists() as InventoryFragment;
  fragment.errors = [];
  return fragment;
}

export function mergeFragment(into: AccountInventory, fragment: InventoryFragment): void {
  for (const list of RESOURCE_LISTS) {
    const target = into[list] as unknown[];
    for (const resource of fragment[list]) target.push(resource);
  }
  if (fragment.organization) into.organization = fragment.organization;
  for (const [list, mark] of Object.entries(fragment.coverage ?? {})) {
    if (mark) markCoverage(into, list as ResourceListName, mark.state, mark.reason);
  }
}
