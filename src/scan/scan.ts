import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import {
  type EvaluateOptions,
  evaluate,
  type Framework,
  type LoadedPack,
  type LoadedPolicies,
  type LoadedRule,
  loadPolicies,
} from "../engine/index.js";
import type { FilterJudge } from "../engine/monitoring.js";
import {
  type AccountInventory,
  append,
  attachAcrossScan,
  emptyAccount,
  type Finding,
  type InputError,
  type Inventory,
  linkAccount,
  type PendingAttachment,
  type Severity,
} from "../model/index.js";
import { wildcardMatcher } from "../model/wildcard.js";
import type { Review } from "../report/index.js";
import {
  emptyFragment,
  type FileSourceReader,
  type GroupReadContext,
  type InventoryFragment,
  isRecordedAccounts,
  mergeFragment,
  type ReadResult,
  type SourceFileRef,
} from "../sources/fragment.js";
import { writeFileAtomic } from "./atomic-write.js";
import { applyBaseline, readBaseline } from "./baseline.js";
import { type CollectedFile, collectFiles, toPosix } from "./collect.js";
import type { ScanSettings, Waiver } from "./config.js";
import { type LiveInput, readLive, snapshotText } from "./live.js";
import { fileReaders, groupReaders } from "./readers.js";
import { applySuppressions } from "./waivers.js";

export interface ScanOptions {
  paths: string[];
  /** `account`: each path is one whole account, so account-scope rules apply. */
  scope: "resource" | "account";
  policiesDir: string;
  /** Extra pack files. */
  packs?: string[];
  /** `loadPolicies(policiesDir, packs)` done already: an embedder that scans many times loads the packs once. */
  policies?: LoadedPolicies;
  /** Only these rules (ids or globs such as `bucket.*`). */
  rules?: string[];
  skipRules?: string[];
  /** Files larger than this are reported, not read. */
  maxFileBytes?: number;
  /** Terraform: variable files as with `-var-file` (relative to cwd), and the instance limit per resource. */
  terraform?: { varFiles?: string[]; maxInstances?: number };
  cwd?: string;
  /** Read the live account of the current credentials (the AWS SDK is loaded only then). */
  live?: LiveScan;
  /** Inventories collected elsewhere, evaluated with the files' ones (tests and embedders). */
  accounts?: AccountInventory[];
  /** Problems met while collecting those (what a live scan could not read), or reading the config. */
  errors?: InputError[];
  /** Severity overrides: rule id or glob → severity; the longest matching pattern wins. */
  severity?: Record<string, Severity>;
  /** Frameworks to assess control by control: ids, or `all`; an id that is not loaded is an error. */
  frameworks?: string[];
  /** Accepted findings, from the config file. */
  waivers?: Waiver[];
  /** false: inline `trailguard:ignore` comments are not honoured; how many were is reported. Default true. */
  inlineSuppressions?: boolean;
  /** A baseline file (`--write-baseline`): the findings it records are existing, not failing. */
  baseline?: string;
  /** The trailguard version, recorded in snapshots written. */
  version?: string;
  /** CIS monitoring rules also require each metric filter to be the exact CIS/Security Hub text. */
  cisExact?: boolean;
  /** The scan's time, which waivers' expiry dates are compared with. Default: now. */
  now?: Date;
}

export interface LiveScan extends LiveInput {
  /**
   * Write what was collected to this snapshot file and evaluate the snapshot, so findings point at its lines (a
   * file the user keeps as evidence).
   */
  snapshot?: string;
}

export interface ScanOutcome {
  inventory: Inventory;
  rules: LoadedRule[];
  findings: Finding[];
  /** Input and policy problems, in the order met. */
  errors: InputError[];
  /** What suppressions and the baseline did to the findings. */
  review: Review;
  packs: LoadedPack[];
  /** The frameworks asked for with `frameworks`, in that order. */
  frameworks: Framework[];
  /** SHA-256 (hex) of every file read, by its path relative to the root. */
  digests: Map<string, string>;
  /** Accounts read live (`accounts`), with the regions collected. */
  live: { account: string; regions: string[] }[];
}

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The scan options that settings (command line or action inputs over the config file) decide. */
export function scanOptionsOf(
  settings: ScanSettings,
): Pick<
  ScanOptions,
  | "scope"
  | "packs"
  | "rules"
  | "skipRules"
  | "severity"
  | "frameworks"
  | "waivers"
  | "inlineSuppressions"
  | "baseline"
> {
  return {
    scope: settings.scope,
    packs: settings.packs,
    rules: settings.rules,
    skipRules: settings.skipRules,
    severity: settings.severity,
    frameworks: settings.frameworks,
    waivers: settings.waivers,
    inlineSuppressions: settings.inlineSuppressions,
    ...(settings.baseline !== undefined ? { baseline: settings.baseline } : {}),
  };
}

/** Reads every input, builds the inventory, evaluates the rules. Front ends (CLI, action) only call this. */
export async function scan(options: ScanOptions): Promise<ScanOutcome> {
  const cwd = options.cwd ?? process.cwd();
  const paths = options.paths.map((p) => resolve(cwd, p));
  const policies =
    options.policies ??
    loadPolicies(
      options.policiesDir,
      (options.packs ?? []).map((p) => resolve(cwd, p)),
      cwd,
    );
  const errors: InputError[] = [...policies.errors, ...(options.errors ?? [])];
  const rules = overrideSeverities(
    selectRules(policies.rules, options.rules, options.skipRules, errors),
    options.severity ?? {},
    errors,
  );
  const frameworks = selectFrameworks(policies.frameworks, options.frameworks ?? [], errors);
  const digests = new Map<string, string>();
  const collected: AccountInventory[] = [...(options.accounts ?? [])];
  const contextOnly = new Set<string>();
  if (options.live) {
    const live = await readLive(options.live, options.version ?? "0.0.0");
    append(errors, live.errors);
    for (const id of live.contextOnly ?? []) contextOnly.add(id);
    if (options.live.snapshot) {
      const snapshot = resolve(cwd, options.live.snapshot);
      writeFileAtomic(snapshot, await snapshotText(live.accounts, options.version ?? "0.0.0"));
      paths.push(snapshot);
    } else append(collected, live.accounts);
  }
  const root = scanRoot(paths, cwd);

  const extensions = [...new Set([...groupReaders, ...fileReaders].flatMap((r) => r.extensions))];
  const filesByPath = collectFiles(paths, root, extensions, errors);
  const inventory: Inventory = { root, files: [], accounts: [], errors: [] };
  const recorded: AccountInventory[] = [];
  for (const [path, files] of filesByPath) {
    await prepareReaders(files);
    const account = readAccount(path, files, root, options, inventory, errors, recorded, digests);
    // A path that gave nothing (only snapshots, or no input at all) is no account to judge.
    if (account.anchor.location === undefined) continue;
    linkAccount(account);
    inventory.accounts.push(account);
  }
  for (const account of [...recorded, ...collected]) {
    linkAccount(account);
    inventory.accounts.push(account);
  }
  inventory.errors = errors;
  const evaluation: EvaluateOptions = {
    filterJudge: inventory.accounts.some((x) => x.completeAccount) ? await filterJudgeFor(rules) : undefined,
    monitoring: { exactText: options.cisExact === true },
  };
  // Accounts read only as context (another shard reports them) lend their trails to others, not their findings.
  const findings = evaluate(inventory, rules, evaluation).filter((f) => !contextOnly.has(f.account));
  return {
    inventory,
    rules,
    findings,
    errors,
    review: review(findings, options, root, cwd, errors),
    packs: policies.packs,
    frameworks,
    digests,
    live: collected
      .filter((a) => typeof a.accountId !== "string" || !contextOnly.has(a.accountId))
      .map((a) => ({
        account: typeof a.accountId === "string" ? a.accountId : a.key,
        regions: Array.isArray(a.regions) ? [...a.regions].sort() : [],
      })),
  };
}

/** Suppressions, waivers and the baseline, applied after evaluation: the same for every source and front end. */
function review(
  findings: Finding[],
  options: ScanOptions,
  root: string,
  cwd: string,
  errors: InputError[],
): Review {
  // Like every file of a report, the config file is shown relative to the scan root.
  const waivers = (options.waivers ?? []).map((w) =>
    isAbsolute(w.location.file)
      ? { ...w, location: { ...w.location, file: toPosix(relative(root, w.location.file)) } }
      : w,
  );
  const { inlineIgnored } = applySuppressions(
    findings,
    {
      waivers,
      inlineSuppressions: options.inlineSuppressions ?? true,
      now: options.now ?? new Date(),
    },
    errors,
  );
  if (options.baseline === undefined) return { inlineIgnored };
  const absolute = resolve(cwd, options.baseline);
  const rel = relative(cwd, absolute);
  const shown = toPosix(rel.startsWith("..") || isAbsolute(rel) ? absolute : rel);
  const entries = readBaseline(absolute, shown, errors);
  if (entries === undefined) return { inlineIgnored };
  return { inlineIgnored, baseline: applyBaseline(findings, entries, shown) };
}

/** Rules with the configured severity; a pattern that matches no loaded rule is reported. */
function overrideSeverities(
  rules: LoadedRule[],
  overrides: Record<string, Severity>,
  errors: InputError[],
): LoadedRule[] {
  const patterns = Object.keys(overrides).sort((a, b) => b.length - a.length);
  if (patterns.length === 0) return rules;
  for (const pattern of patterns) {
    const matches = wildcardMatcher([pattern]);
    if (!rules.some((r) => matches(r.id))) {
      errors.push({
        code: "rule-selection",
        message: `severity override ${pattern} matches no loaded rule`,
        severity: "warning",
      });
    }
  }
  const matchers = patterns.map((p) => ({ pattern: p, matches: wildcardMatcher([p]) }));
  return rules.map((rule) => {
    const pattern = matchers.find((m) => m.matches(rule.id))?.pattern;
    const severity = pattern === undefined ? undefined : overrides[pattern];
    return severity === undefined || severity === rule.severity ? rule : { ...rule, severity };
  });
}

function selectFrameworks(all: Framework[], wanted: string[], errors: InputError[]): Framework[] {
  if (wanted.includes("all")) return all;
  const selected: Framework[] = [];
  for (const id of new Set(wanted)) {
    const framework = all.find((f) => f.id === id);
    if (framework) selected.push(framework);
    else {
      errors.push({
        code: "framework-selection",
        message: `--framework ${id} is not a loaded framework (${all.map((f) => f.id).join(", ")}, or all)`,
        severity: "error",
      });
    }
  }
  return selected;
}

/** The filter-pattern judge, loaded only when a rule reads `account.cisMonitoring` (it costs start-up time). */
async function filterJudgeFor(rules: LoadedRule[]): Promise<FilterJudge | undefined> {
  const reads = (r: LoadedRule) =>
    [r.when, r.assert, r.messageExprs?.fail?.source].some((s) => s?.includes("cisMonitoring"));
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
  digests: Map<string, string>,
): AccountInventory {
  const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const key = relative(root, path) || ".";
  const account = emptyAccount(key, { address: key }, options.scope === "account");
  const pending: PendingAttachment[] = [];
  const accept = (file: string, fragment: InventoryFragment) => {
    inventory.files.push(file);
    account.anchor.location ??= { file, line: 1, column: 1 };
    append(errors, fragment.errors);
    mergeFragment(account, fragment);
    if (fragment.attachments) append(pending, fragment.attachments);
  };
  // What a group reader reads to form its groups (the Terraform reader looks for local module calls) is kept for
  // the read of the group, so that no file is read, hashed and size-checked twice.
  let grouping = false;
  const readWhileGrouping = new Map<string, string | undefined>();
  const ctx: GroupReadContext = {
    root,
    readText: (absolutePath) => {
      if (readWhileGrouping.has(absolutePath)) {
        const text = readWhileGrouping.get(absolutePath);
        if (!grouping) readWhileGrouping.delete(absolutePath);
        return text;
      }
      const text = readLimited(
        { absolutePath, path: toPosix(relative(root, absolutePath)) },
        limit,
        errors,
        digests,
      );
      if (grouping) readWhileGrouping.set(absolutePath, text);
      return text;
    },
    relativePath: (absolutePath) => toPosix(relative(root, absolutePath)),
    terraform: {
      ...options.terraform,
      varFiles: (options.terraform?.varFiles ?? []).map((f) => resolve(options.cwd ?? process.cwd(), f)),
    },
  };

  // Group readers (a Terraform folder, a folder of exports) first; what they leave goes to the file readers.
  let remaining = files;
  for (const reader of groupReaders) {
    const mine = remaining.filter((f) => reader.extensions.some((ext) => f.path.endsWith(ext)));
    if (mine.length === 0) continue;
    grouping = true;
    const groups = guard(reader.name, mine[0]?.path, errors, () => reader.group(mine, ctx)) ?? [];
    grouping = false;
    // Only the texts of files in a group are read again: the others (a JSON file that is no plan) are let go now.
    const claimed = new Set(groups.flat().map((file) => file.absolutePath));
    for (const path of readWhileGrouping.keys()) if (!claimed.has(path)) readWhileGrouping.delete(path);
    for (const group of groups) {
      const result = guard(reader.name, group[0]?.path, errors, () => reader.read(group, ctx));
      if (result && isRecordedAccounts(result)) {
        append(
          inventory.files,
          group.map((file) => file.path),
        );
        append(errors, result.errors);
        append(recorded, result.accounts);
        continue;
      }
      if (result) accept(group[0]?.path ?? key, result);
      for (const file of group.slice(1)) inventory.files.push(file.path);
    }
    remaining = remaining.filter((f) => !claimed.has(f.absolutePath));
    readWhileGrouping.clear();
  }

  const texts = new Map<CollectedFile, string>();
  for (const file of remaining) {
    const text = readLimited(file, limit, errors, digests);
    if (text !== undefined) texts.set(file, text);
  }
  const contexts = beginReaders(texts);
  for (const [file, text] of texts) {
    // A text is let go once read: what the scan keeps is the inventory, not its inputs.
    texts.delete(file);
    const result = readWithSources(file, text, contexts);
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
      append(errors, result.errors);
      append(recorded, result.accounts);
    } else accept(file.path, result.fragment);
  }
  append(errors, attachAcrossScan(account, pending));
  return account;
}

/** Group readers that will see files get their asynchronous set-up (a parser to load) first, once. */
async function prepareReaders(files: CollectedFile[]): Promise<void> {
  for (const reader of groupReaders) {
    const mine = files.filter((f) => reader.extensions.some((ext) => f.path.endsWith(ext)));
    if (reader.prepare && mine.length > 0) {
      await reader.prepare(mine);
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

/** Opening never waits for a writer (a FIFO); on a regular file the flag changes nothing. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * The file's text, or undefined (and an error) when it is over the size limit, not a regular file, or unreadable.
 * One open, one stat. The SHA-256 of the bytes read goes to `digests`, for the report's record of its inputs.
 */
function readLimited(
  file: SourceFileRef,
  limit: number,
  errors: InputError[],
  digests: Map<string, string>,
): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file.absolutePath, OPEN_FLAGS);
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      errors.push({
        file: file.path,
        code: "file-unreadable",
        message: "not a regular file (a FIFO, socket, device or folder); not read",
        severity: "error",
      });
      return undefined;
    }
    const size = stats.size;
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
    digests.set(file.path, createHash("sha256").update(buffer.subarray(0, read)).digest("hex"));
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

/** What each file reader wants to know of all the path's files before reading one (see `FileSourceReader.begin`). */
function beginReaders(texts: Map<CollectedFile, string>): Map<FileSourceReader, unknown> {
  const contexts = new Map<FileSourceReader, unknown>();
  for (const reader of fileReaders) {
    if (!reader.begin) continue;
    const files = [...texts]
      .filter(([file]) => reader.extensions.some((ext) => file.path.endsWith(ext)))
      .map(([file, text]) => ({ path: file.path, absolutePath: file.absolutePath, text }));
    if (files.length > 0)
      contexts.set(
        reader,
        guard(reader.name, files[0]?.path, [], () => reader.begin?.(files)),
      );
  }
  return contexts;
}

function readWithSources(
  file: CollectedFile,
  text: string,
  contexts: Map<FileSourceReader, unknown>,
): ReadResult {
  for (const reader of fileReaders) {
    if (!reader.extensions.some((ext) => file.path.endsWith(ext))) continue;
    const errors: InputError[] = [];
    const result = guard(reader.name, file.path, errors, () =>
      reader.read({ path: file.path, absolutePath: file.absolutePath, text }, contexts.get(reader)),
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
  for (const pattern of [...(only ?? []), ...(skip ?? [])]) {
    const matches = wildcardMatcher([pattern]);
    if (!rules.some((r) => matches(r.id))) {
      errors.push({
        code: "rule-selection",
        message: `--rules/--skip-rules pattern ${pattern} matches no loaded rule`,
        severity: "error",
      });
    }
  }
  const keep = only && only.length > 0 ? wildcardMatcher(only) : () => true;
  const drop = skip && skip.length > 0 ? wildcardMatcher(skip) : () => false;
  return rules.filter((r) => keep(r.id) && !drop(r.id));
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}
