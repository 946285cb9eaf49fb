import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { type EvaluateOptions, evaluate, type LoadedRule, loadPolicies } from "../engine/index.js";
import type { FilterJudge } from "../engine/monitoring.js";
import {
  type AccountInventory,
  emptyAccount,
  type Finding,
  type InputError,
  type Inventory,
  linkAccount,
} from "../model/index.js";
import {
  emptyFragment,
  type GroupReadContext,
  type InventoryFragment,
  isRecordedAccounts,
  mergeFragment,
  type ReadResult,
  type SourceFileRef,
} from "../sources/fragment.js";
import { type CollectedFile, collectFiles, toPosix } from "./collect.js";
import { fileReaders, groupReaders } from "./readers.js";

export interface ScanOptions {
  paths: string[];
  /** `account`: each path is one whole account, so account-scope rules apply. */
  scope: "resource" | "account";
  policiesDir: string;
  /** Extra pack files. */
  packs?: string[];
  /** Only these rules (ids or globs such as `bucket.*`). */
  rules?: string[];
  skipRules?: string[];
  /** Files larger than this are reported, not read. */
  maxFileBytes?: number;
  cwd?: string;
  /** Inventories collected elsewhere (a live account scan), evaluated with the files' ones. */
  accounts?: AccountInventory[];
  /** Problems met while collecting those (what a live scan could not read). */
  errors?: InputError[];
  /** CIS monitoring rules also require each metric filter to be the exact CIS/Security Hub text. */
  cisExact?: boolean;
}

export interface ScanOutcome {
  inventory: Inventory;
  rules: LoadedRule[];
  findings: Finding[];
  /** Input and policy problems, in the order met. */
  errors: InputError[];
}

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Reads every input, builds the inventory, evaluates the rules. Front ends (CLI, action) only call this. */
export async function scan(options: ScanOptions): Promise<ScanOutcome> {
  const cwd = options.cwd ?? process.cwd();
  const paths = options.paths.map((p) => resolve(cwd, p));
  const root = scanRoot(paths, cwd);
  const policies = loadPolicies(
    options.policiesDir,
    (options.packs ?? []).map((p) => resolve(cwd, p)),
    cwd,
  );
  const errors: InputError[] = [...policies.errors, ...(options.errors ?? [])];
  const rules = selectRules(policies.rules, options.rules, options.skipRules, errors);

  const extensions = [...new Set([...groupReaders, ...fileReaders].flatMap((r) => r.extensions))];
  const filesByPath = collectFiles(paths, root, extensions, errors);
  const inventory: Inventory = { root, files: [], accounts: [], errors: [] };
  const recorded: AccountInventory[] = [];
  for (const [path, files] of filesByPath) {
    await prepareReaders(files);
    const account = readAccount(path, files, root, options, inventory, errors, recorded);
    // A path that gave nothing (only snapshots, or no input at all) is no account to judge.
    if (account.anchor.location === undefined) continue;
    linkAccount(account);
    inventory.accounts.push(account);
  }
  for (const account of [...recorded, ...(options.accounts ?? [])]) {
    linkAccount(account);
    inventory.accounts.push(account);
  }
  inventory.errors = errors;
  const evaluation: EvaluateOptions = {
    filterJudge: inventory.accounts.some((a) => a.completeAccount) ? await filterJudgeFor(rules) : undefined,
    monitoring: { exactText: options.cisExact === true },
  };
  return { inventory, rules, findings: evaluate(inventory, rules, evaluation), errors };
}

/** The filter-pattern judge, loaded only when a rule reads `account.cisMonitoring` (it costs start-up time). */
async function filterJudgeFor(rules: LoadedRule[]): Promise<FilterJudge | undefined> {
  const reads = (r: LoadedRule) => [r.when, r.assert, r.explain].some((s) => s?.includes("cisMonitoring"));
  if (!rules.some(reads)) return undefined;
  const patterns = await import("../patterns/index.js");
  return {
    judge: (pattern, classId) => patterns.judgeFilter(pattern, classId),
    isExact: (pattern, classId) => patterns.isExactCisText(pattern, classId),
  };
}

function readAccount(
  path: string,
  files: CollectedFile[],
  root: string,
  options: ScanOptions,
  inventory: Inventory,
  errors: InputError[],
  recorded: AccountInventory[],
): AccountInventory {
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const key = relative(root, path) || ".";
  const account = emptyAccount(key, { address: key }, options.scope === "account");
  const accept = (file: string, fragment: InventoryFragment) => {
    inventory.files.push(file);
    account.anchor.location ??= { file, line: 1, column: 1 };
    errors.push(...fragment.errors);
    mergeFragment(account, fragment);
  };
  const ctx: GroupReadContext = {
    root,
    readText: (absolutePath) =>
      readLimited({ absolutePath, path: toPosix(relative(root, absolutePath)) }, limit, errors),
    relativePath: (absolutePath) => toPosix(relative(root, absolutePath)),
  };

  // Group readers (a Terraform folder, a folder of exports) first; what they leave goes to the file readers.
  let remaining = files;
  for (const reader of groupReaders) {
    const mine = remaining.filter((f) => reader.extensions.some((ext) => f.path.endsWith(ext)));
    if (mine.length === 0) continue;
    const groups = guard(reader.name, mine[0]?.path, errors, () => reader.group(mine, ctx)) ?? [];
    const claimed = new Set<string>();
    for (const group of groups) {
      for (const file of group) claimed.add(file.absolutePath);
      const result = guard(reader.name, group[0]?.path, errors, () => reader.read(group, ctx));
      if (result && isRecordedAccounts(result)) {
        inventory.files.push(...group.map((file) => file.path));
        errors.push(...result.errors);
        recorded.push(...result.accounts);
        continue;
      }
      if (result) accept(group[0]?.path ?? key, result);
      for (const file of group.slice(1)) inventory.files.push(file.path);
    }
    remaining = remaining.filter((f) => !claimed.has(f.absolutePath));
  }

  for (const file of remaining) {
    const text = readLimited(file, limit, errors);
    if (text === undefined) continue;
    const result = readWithSources(file, text);
    if (result.status === "not-mine") {
      if (file.explicit) {
        errors.push({
          code: "file-not-recognized",
          file: file.path,
          message: "not a recognized input",
          severity: "error",
        });
      }
    } else if (result.status === "accounts") {
      inventory.files.push(file.path);
      errors.push(...result.errors);
      recorded.push(...result.accounts);
    } else accept(file.path, result.fragment);
  }
  return account;
}

/** Group readers that will see files get their asynchronous set-up (a parser to load) first, once. */
async function prepareReaders(files: CollectedFile[]): Promise<void> {
  for (const reader of groupReaders) {
    if (reader.prepare && files.some((f) => reader.extensions.some((ext) => f.path.endsWith(ext)))) {
      await reader.prepare();
    }
  }
}

/** A reader bug must not take the scan down or hide the input: it is reported against the file. */
function guard<T>(
  reader: string,
  file: string | undefined,
  errors: InputError[],
  run: () => T,
): T | undefined {
  try {
    return run();
  } catch (error) {
    errors.push({
      code: "reader-failure",
      file,
      message: `${reader} reader failed: ${(error as Error).message}`,
      severity: "error",
    });
    return undefined;
  }
}

/** The file's text, or undefined (and an error) when it is over the size limit or unreadable. One open, one stat. */
function readLimited(file: SourceFileRef, limit: number, errors: InputError[]): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file.absolutePath, "r");
    const size = fstatSync(fd).size;
    if (size > limit) {
      errors.push({
        file: file.path,
        code: "file-too-large",
        message: `file is ${megabytes(size)} MB, over the ${megabytes(limit)} MB limit (--max-file-size); not read`,
        severity: "error",
      });
      return undefined;
    }
    const buffer = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buffer.toString("utf8", 0, read);
  } catch (error) {
    errors.push({
      code: "file-unreadable",
      file: file.path,
      message: `cannot read: ${(error as Error).message}`,
      severity: "error",
    });
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readWithSources(file: CollectedFile, text: string): ReadResult {
  for (const reader of fileReaders) {
    if (!reader.extensions.some((ext) => file.path.endsWith(ext))) continue;
    const errors: InputError[] = [];
    const result = guard(reader.name, file.path, errors, () =>
      reader.read({ path: file.path, absolutePath: file.absolutePath, text }),
    );
    if (!result) return { status: "read", fragment: { ...emptyFragment(), errors } };
    if (result.status !== "not-mine") return result;
  }
  return { status: "not-mine" };
}

/** The directory reports are relative to: the working directory when every input is inside it. */
function scanRoot(paths: string[], cwd: string): string {
  const inside = (p: string) => {
    const rel = relative(cwd, p);
    return !rel.startsWith("..") && !isAbsolute(rel);
  };
  if (paths.every(inside)) return cwd;
  const first = paths[0] ?? cwd;
  return paths.length === 1 ? dirname(first) : cwd;
}

function selectRules(
  rules: LoadedRule[],
  only: string[] | undefined,
  skip: string[] | undefined,
  errors: InputError[],
): LoadedRule[] {
  const matcher = (patterns: string[]) => {
    const regexps = patterns.map(
      (p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`),
    );
    return (id: string) => regexps.some((re) => re.test(id));
  };
  for (const pattern of [...(only ?? []), ...(skip ?? [])]) {
    const matches = matcher([pattern]);
    if (!rules.some((r) => matches(r.id))) {
      errors.push({
        code: "rule-selection",
        message: `--rules/--skip-rules pattern ${pattern} matches no loaded rule`,
        severity: "error",
      });
    }
  }
  const keep = only && only.length > 0 ? matcher(only) : () => true;
  const drop = skip && skip.length > 0 ? matcher(skip) : () => false;
  return rules.filter((r) => keep(r.id) && !drop(r.id));
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
