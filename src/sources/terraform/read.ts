import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import type { Bucket, InputError, SourceLocation } from "../../model/index.js";
import { append, RESOURCE_LISTS, Unknown, unknown } from "../../model/index.js";
import {
  emptyFragment,
  type GroupReadContext,
  type InventoryFragment,
  type SourceFileRef,
} from "../fragment.js";
import type { HclFile } from "./ast.js";
import { type EvalHost, Evaluator, loc, type ModuleDef, ModuleInstance, UnreadModule } from "./evaluate.js";
import { HclSrc } from "./fields.js";
import { mapResources, READ_TYPES, type ResourceRecord } from "./map.js";
import {
  buildModule,
  FileSet,
  isAutoTfvars,
  isConfigFile,
  isVarsFile,
  tfFilesIn,
  type VarFile,
} from "./module.js";
import { parseTemplate } from "./parse.js";
import { NO_SUPPRESSIONS, readSuppressions } from "./suppressions.js";

const MAX_MODULE_DEPTH = 16;
/** `source = "../x"` (native syntax) or `"source": "../x"` (JSON syntax). */
const LOCAL_SOURCE = /\bsource"?\s*[=:]\s*"(\.\.?\/[^"]*)"/g;

/**
 * Splits files into module folders: one group per directory holding `.tf` files, with its `.tfvars`. A directory
 * that another scanned directory calls as a local module is read through its caller (with the caller's inputs), so
 * its files join the caller's group instead of forming one of their own.
 */
export function groupTerraform(files: SourceFileRef[], ctx: GroupReadContext): SourceFileRef[][] {
  const byDir = new Map<string, SourceFileRef[]>();
  for (const f of files) {
    if (!isConfigFile(f.path) && !isVarsFile(f.path)) continue;
    // `terraform init` downloads called modules there: they are read through their callers, never as roots.
    if (/(^|\/)\.terraform\//.test(f.path)) continue;
    const dir = dirname(f.absolutePath);
    const list = byDir.get(dir) ?? [];
    list.push(f);
    byDir.set(dir, list);
  }
  const dirs = [...byDir.keys()].filter((d) => byDir.get(d)?.some((f) => isConfigFile(f.path)));
  const calledBy = new Map<string, string>();
  for (const dir of dirs) {
    for (const f of byDir.get(dir) ?? []) {
      if (!isConfigFile(f.path)) continue;
      const text = ctx.readText(f.absolutePath) ?? "";
      if (!text.includes("module")) continue;
      for (const m of text.matchAll(LOCAL_SOURCE)) {
        const target = resolve(dir, m[1] ?? ".");
        if (target !== dir && byDir.has(target) && !calledBy.has(target)) calledBy.set(target, dir);
      }
    }
  }
  const rootOf = (dir: string): string => {
    const seen = new Set<string>();
    let d = dir;
    while (calledBy.has(d) && !seen.has(d)) {
      seen.add(d);
      d = calledBy.get(d) as string;
    }
    return d;
  };
  const groups = new Map<string, SourceFileRef[]>();
  for (const dir of dirs) {
    const root = rootOf(dir);
    const group = groups.get(root) ?? [];
    const own = byDir.get(dir) ?? [];
    // The root directory's files come first: the group's first file names the module that is read.
    if (root === dir) group.unshift(...own.sort((a, b) => a.path.localeCompare(b.path)));
    else
      append(
        group,
        own.filter((f) => isConfigFile(f.path)),
      );
    groups.set(root, group);
  }
  return [...groups.values()];
}

/** Bucket settings that resources other than `aws_s3_bucket` can make. */
const SPLIT_BUCKET_SETTINGS: (keyof Bucket)[] = [
  "versioning",
  "mfaDelete",
  "publicAccessBlock",
  "logging",
  "policy",
  "encryption",
  "lifecycleRules",
  "objectLock",
  "cannedAcl",
  "aclGrants",
  "objectOwnership",
  "website",
];

/** Reads one module folder (and the local modules it calls) into an inventory fragment. */
export function readTerraform(group: SourceFileRef[], ctx: GroupReadContext): InventoryFragment {
  const first = group[0];
  if (!first) return emptyFragment();
  const rootDir = dirname(first.absolutePath);
  const files = new FileSet(ctx);
  const own = group.filter((f) => dirname(f.absolutePath) === rootDir);
  const tf: HclFile[] = [];
  const tfvars: VarFile[] = [];
  const given = givenVarFiles(rootDir, ctx);
  const unread: string[] = [];
  const unreadVarFiles: string[] = [];
  for (const f of own) {
    const parsed = files.parseWhole(f.absolutePath);
    if (!parsed) {
      if (isConfigFile(f.path)) unread.push(f.path);
      else if (isAutoTfvars(basename(f.path)) && !given.includes(f.absolutePath)) unreadVarFiles.push(f.path);
      continue;
    }
    if (isConfigFile(f.path)) tf.push(parsed);
    else if (!given.includes(f.absolutePath))
      tfvars.push({ file: parsed, auto: isAutoTfvars(basename(f.path)) });
  }
  for (const [i, path] of given.entries()) {
    const parsed = files.parseWhole(path);
    if (parsed) tfvars.push({ file: parsed, auto: false, given: i });
    else unreadVarFiles.push(ctx.relativePath(path));
  }
  const root = buildModule(rootDir, tf, tfvars);
  if (unread.length > 0) root.unread = unread;
  if (unreadVarFiles.length > 0) root.unreadVarFiles = unreadVarFiles;
  const fragment = readModuleTree(root, files, ctx);
  const notRead = tfvars.filter((v) => !v.auto && v.given === undefined).map((v) => v.file.path);
  if (notRead.length > 0) {
    const read = tfvars.filter((v) => v.auto || v.given !== undefined).map((v) => v.file.path);
    fragment.errors.push({
      code: "unresolved",
      file: notRead[0],
      line: 1,
      column: 1,
      message: `${notRead.join(", ")} ${notRead.length === 1 ? "is" : "are"} not read: Terraform reads ${notRead.length === 1 ? "it" : "them"} only with -var-file (give --var-file to use ${notRead.length === 1 ? "it" : "them"}); variable files read for ${ctx.relativePath(rootDir) || "."}: ${read.length > 0 ? read.join(", ") : "none"}`,
      severity: "warning",
    });
  }
  return fragment;
}

/** `--var-file` files that apply to a root module: those in its folder or a folder above it, in the order given. */
function givenVarFiles(rootDir: string, ctx: GroupReadContext): string[] {
  return (ctx.terraform?.varFiles ?? []).filter((path) => {
    const rel = relative(dirname(path), rootDir);
    return !rel.startsWith("..") && !isAbsolute(rel);
  });
}

export function evalHost(ctx: GroupReadContext): EvalHost {
  return {
    root: resolve(ctx.root),
    readText: (p) => ctx.readText(p),
    relativePath: (p) => ctx.relativePath(p),
    parseTemplate,
    ...(ctx.terraform?.maxInstances ? { maxInstances: ctx.terraform.maxInstances } : {}),
  };
}

/**
 * A file of a module that could not be read may declare anything: more resources of every list (so account rules
 * over them are unknown), and split resources configuring the module's buckets or subscribing to its topics.
 */
function markUnreadFiles(
  fragment: InventoryFragment,
  incomplete: Map<string, string[]>,
  unreadFiles: string[],
): void {
  const all = [...new Set(unreadFiles)];
  if (all.length === 0) return;
  const listReason = `${all.join(", ")} could not be read, so what ${all.length === 1 ? "it declares" : "they declare"} is not read`;
  fragment.coverage = Object.fromEntries(
    RESOURCE_LISTS.map((list) => [list, { state: "partial", reason: listReason }] as const),
  );
  const because = (missing: string[], what: string, at: SourceLocation | undefined) =>
    unknown(`${missing.join(", ")} of the same module could not be read and may ${what}`, at);
  for (const bucket of fragment.buckets) {
    const missing = incomplete.get(bucket.id);
    if (!missing) continue;
    const reason = because(missing, "configure this bucket", bucket.origin.location);
    for (const setting of SPLIT_BUCKET_SETTINGS)
      (bucket as unknown as Record<string, unknown>)[setting] = reason;
  }
  for (const topic of fragment.topics) {
    const missing = incomplete.get(topic.id);
    if (missing) topic.subscriptions = because(missing, "subscribe to this topic", topic.origin.location);
  }
}

/** Evaluates a root module and its local modules and maps their resources. */
export function readModuleTree(
  root: ModuleDef,
  files: FileSet,
  ctx: GroupReadContext,
  extra: { records?: ResourceRecord[] } = {},
): InventoryFragment {
  const modules = new Map<string, ModuleDef | string>();
  const evaluator = new Evaluator((dir, from) => {
    const known = modules.get(dir);
    if (known) return known;
    const listed = tfFilesIn(dir);
    let def: ModuleDef | string;
    if (typeof listed === "string") def = `the module folder ${ctx.relativePath(dir)} cannot be read`;
    else if (listed.length === 0) def = `the module folder ${ctx.relativePath(dir)} has no .tf files`;
    else {
      const read = listed.map((p) => ({ p, file: files.parseWhole(p) }));
      def = buildModule(
        dir,
        read.flatMap((r) => (r.file ? [r.file] : [])),
        [],
      );
      const unread = read.filter((r) => !r.file).map((r) => ctx.relativePath(r.p));
      if (unread.length > 0) def.unread = unread;
    }
    void from;
    modules.set(dir, def);
    return def;
  }, evalHost(ctx));
  const errors: InputError[] = [];
  const records: ResourceRecord[] = [...(extra.records ?? [])];
  const filesByPath = files.parsed;
  // A module's resources are named after the root that calls it: several roots may call the same module.
  const rootName = ctx.relativePath(root.dir);
  const idOf = (file: string, address: string) =>
    rootName !== "" && address.startsWith("module.")
      ? `${file}#${rootName}:${address}`
      : `${file}#${address}`;
  const unread: { refs: Set<string>; why: UnreadModule }[] = [];
  /** Why some resources are not judged at all (a module Terraform rejects): the lists are partial. */
  const notJudged: string[] = [];
  /** Resources of a module with a file that could not be read → those files. */
  const incomplete = new Map<string, string[]>();
  /**
   * Modules Terraform rejects (a duplicate declaration, an override of nothing): nothing of them would be applied, so
   * no verdict comes from them, and the lists they would add to are partial.
   */
  const rejected = new Set<ModuleDef>();
  const visit = (mod: ModuleInstance, depth: number) => {
    const refusal = mod.def.problems.find((p) => p.severity === "error");
    if (refusal) {
      if (!rejected.has(mod.def)) {
        const where = ctx.relativePath(mod.def.dir) || ".";
        notJudged.push(
          `the resources of module ${where} are not judged: ${refusal.message} (${refusal.file}:${refusal.line})`,
        );
      }
      rejected.add(mod.def);
      return;
    }
    for (const [key, block] of mod.def.resources) {
      const type = block.labels[0] ?? "";
      if (!READ_TYPES.has(type)) continue;
      const expansion = evaluator.expand(block, mod.scope, `${mod.prefix}${key}`);
      const file = filesByPath.get(block.file);
      const suppressions = file ? readSuppressions(file, block, errors) : NO_SUPPRESSIONS;
      // One location object for the block, shared by its instances, their readers and the resources mapped.
      const location = loc(block.file, block.pos);
      const existence = expansion.undecided
        ? unknown(`whether ${mod.prefix}${key} is created depends on ${expansion.undecided.reason}`, location)
        : mod.existence;
      for (const inst of expansion.instances) {
        const id = idOf(block.file, inst.address);
        if (mod.def.unread) incomplete.set(id, mod.def.unread);
        const src = new HclSrc(evaluator, block.body, inst.scope, block.file, location);
        const record: ResourceRecord = { type, address: inst.address, id, src, location, suppressions };
        records.push(existence ? { existence, ...record } : record);
      }
    }
    for (const [name, block] of mod.def.calls) {
      if (depth >= MAX_MODULE_DEPTH) {
        errors.push({
          code: "limit-exceeded",
          file: block.file,
          line: block.pos.line,
          column: block.pos.column,
          message: `module.${name} is nested ${depth + 1} modules deep, over the limit of ${MAX_MODULE_DEPTH}; its resources are not read`,
          severity: "error",
        });
        continue;
      }
      const children = evaluator.moduleInstances(mod, name);
      if (children instanceof UnreadModule) {
        const refs = new Set<string>();
        for (const input of block.body.attributes) {
          if (input.name === "source" || input.name === "version") continue;
          for (const ref of evaluator.withRefs(() => evaluator.eval(input.expr, { mod }, input.file)).refs)
            refs.add(ref);
        }
        unread.push({ refs, why: children });
      }
      if (children instanceof Unknown) {
        errors.push({
          code: "unsupported",
          file: block.file,
          line: block.pos.line,
          column: block.pos.column,
          message: children.reason,
          severity: "warning",
        });
        continue;
      }
      for (const child of children.instances) visit(child.module, depth + 1);
    }
  };
  visit(new ModuleInstance(root, "", null), 0);
  // What is handed to a module that is not read may be a trail's target there: never "not used by a trail".
  for (const rec of records) {
    const to = unread.find((u) => u.refs.has(rec.address));
    if (to) rec.trailUse = unknown(`${rec.address} is handed to ${to.why.reason}`, to.why.location);
    const missing = incomplete.get(rec.id);
    if (missing && !rec.trailUse) {
      rec.trailUse = unknown(
        `${missing.join(", ")} of the same module could not be read and may declare a trail using it`,
        rec.location,
      );
    }
  }
  const fragment = mapResources(records, { policyLocations: evaluator.policyLocations });
  const unreadFiles = [root, ...modules.values()].flatMap((m) =>
    typeof m === "string" ? [] : (m.unread ?? []),
  );
  markUnreadFiles(fragment, incomplete, unreadFiles);
  for (const reason of notJudged) {
    fragment.coverage ??= {};
    for (const list of RESOURCE_LISTS) {
      const mark = fragment.coverage[list];
      fragment.coverage[list] = { state: "partial", reason: mark ? `${mark.reason}; ${reason}` : reason };
    }
  }
  const problems = [root, ...modules.values()].flatMap((m) => (typeof m === "string" ? [] : m.problems));
  fragment.errors = [
    ...files.errors,
    ...problems,
    ...evaluator.problems,
    ...errors,
    ...evaluator.warnings.map((w) => ({
      code: "unresolved" as const,
      file: w.file,
      line: w.pos.line,
      column: w.pos.column,
      message: w.message,
      severity: "warning" as const,
    })),
    ...fragment.errors,
  ];
  return fragment;
}
