import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import type { InputError } from "../../model/index.js";
import { append } from "../../model/index.js";
import type { GroupReadContext } from "../fragment.js";
import type { Attribute, Block, Body, HclFile, Pos } from "./ast.js";
import type { ModuleDef } from "./evaluate.js";
import { parseTfJson, parseTfvarsJson } from "./json-syntax.js";
import { parseHcl } from "./parse.js";

/** Parses files (read through the scan, so its size limit applies) and keeps their syntax errors. */
export class FileSet {
  readonly parsed = new Map<string, HclFile>();
  readonly errors: InputError[] = [];

  constructor(readonly ctx: GroupReadContext) {}

  parse(absolutePath: string): HclFile | undefined {
    const path = this.ctx.relativePath(absolutePath);
    const known = this.parsed.get(path);
    if (known) return known;
    const text = this.ctx.readText(absolutePath);
    if (text === undefined) return undefined;
    const { file, errors } = path.endsWith(".tf.json")
      ? parseTfJson(text, path)
      : path.endsWith(".tfvars.json")
        ? parseTfvarsJson(text, path)
        : parseHcl(text, path);
    append(this.errors, errors);
    this.parsed.set(path, file);
    if (errors.some((e) => e.severity === "error")) this.broken.add(path);
    return file;
  }

  /** Files with a syntax error (or too deep to read): only the part before the error could be recovered. */
  readonly broken = new Set<string>();

  /**
   * The file, or undefined when it cannot be read or has a syntax error: Terraform refuses such a configuration
   * as a whole, so no part of it is judged (its error is kept in `errors`).
   */
  parseWhole(absolutePath: string): HclFile | undefined {
    const file = this.parse(absolutePath);
    return file && !this.broken.has(file.path) ? file : undefined;
  }
}

/** A configuration file: native syntax (`.tf`) or JSON syntax (`.tf.json`). */
export function isConfigFile(name: string): boolean {
  return name.endsWith(".tf") || name.endsWith(".tf.json");
}

/** A variable definitions file: `.tfvars` or `.tfvars.json`. */
export function isVarsFile(name: string): boolean {
  return name.endsWith(".tfvars") || name.endsWith(".tfvars.json");
}

/** Variable files Terraform loads by itself: `terraform.tfvars(.json)` and `*.auto.tfvars(.json)`. */
export function isAutoTfvars(name: string): boolean {
  return (
    name === "terraform.tfvars" ||
    name === "terraform.tfvars.json" ||
    name.endsWith(".auto.tfvars") ||
    name.endsWith(".auto.tfvars.json")
  );
}

/** `override.tf`, `*_override.tf` and their `.tf.json` forms, merged into the other files' blocks. */
export function isOverrideFile(name: string): boolean {
  const stem = name.replace(/\.tf(\.json)?$/, "");
  return stem === "override" || stem.endsWith("_override");
}

/** A root module's variable file: loaded by Terraform itself (`auto`), given with `-var-file` (`given`: its place), or neither. */
export interface VarFile {
  file: HclFile;
  auto: boolean;
  given?: number;
}

/** Collects a module directory's declarations. `tfvars` are the root module's variable files. */
export function buildModule(dir: string, files: HclFile[], tfvars: VarFile[]): ModuleDef {
  const def: ModuleDef = {
    dir,
    files,
    variables: new Map(),
    locals: new Map(),
    resources: new Map(),
    data: new Map(),
    calls: new Map(),
    outputs: new Map(),
    tfvars: new Map<string, Attribute>(),
    otherTfvars: new Map(),
    problems: [],
  };
  const byName = (a: HclFile, b: HclFile) => basename(a.path).localeCompare(basename(b.path));
  const overrides = files.filter((f) => isOverrideFile(basename(f.path))).sort(byName);
  for (const file of files) {
    if (overrides.includes(file)) continue;
    for (const block of file.body.blocks) addBlock(def, block);
  }
  // Override files come after the others, in name order, and merge into what they declare again.
  for (const file of overrides) {
    for (const block of file.body.blocks) overrideBlock(def, block);
  }
  // terraform.tfvars, then terraform.tfvars.json, then *.auto.tfvars(.json) in name order, then the -var-file
  // files in the order given: later files win.
  const ordered = [...tfvars].sort(
    (a, b) => order(a) - order(b) || (a.given === undefined ? byName(a.file, b.file) : 0),
  );
  for (const { file, auto, given } of ordered) {
    for (const a of file.body.attributes) {
      if (auto || given !== undefined) def.tfvars.set(a.name, a);
      else if (!def.otherTfvars.has(a.name)) def.otherTfvars.set(a.name, file.path);
    }
  }
  return def;
}

function order(v: VarFile): number {
  if (v.given !== undefined) return 3 + v.given;
  const name = basename(v.file.path);
  return name === "terraform.tfvars" ? 0 : name === "terraform.tfvars.json" ? 1 : 2;
}

/** Where a block of this type is kept in a module, keyed by its labels. */
function tableOf(def: ModuleDef, block: Block): { table: Map<string, Block>; key: string } | undefined {
  const [a, b] = block.labels;
  switch (block.type) {
    case "resource":
      return a && b ? { table: def.resources, key: `${a}.${b}` } : undefined;
    case "data":
      return a && b ? { table: def.data, key: `${a}.${b}` } : undefined;
    case "variable":
      return a ? { table: def.variables, key: a } : undefined;
    case "output":
      return a ? { table: def.outputs, key: a } : undefined;
    case "module":
      return a ? { table: def.calls, key: a } : undefined;
    default:
      return undefined;
  }
}

/**
 * Terraform's override merge: arguments replace those of the same name one by one; nested blocks of a type
 * (written plainly or as `dynamic`) replace all blocks of that type; `lifecycle` merges argument by argument;
 * locals replace per name.
 */
function overrideBlock(def: ModuleDef, over: Block): void {
  if (over.type === "locals") {
    for (const attr of over.body.attributes) {
      if (!def.locals.has(attr.name)) noBase(def, over, `local.${attr.name}`);
      def.locals.set(attr.name, attr);
    }
    return;
  }
  const place = tableOf(def, over);
  if (!place) return;
  const base = place.table.get(place.key);
  if (!base) {
    noBase(def, over, `${over.type === "resource" ? "" : `${over.type}.`}${place.key}`);
    return;
  }
  place.table.set(place.key, withBody(base, mergeBody(base.body, over.body)));
}

function mergeBody(base: Body, over: Body): Body {
  const attributes = base.attributes.filter((a) => !over.attributes.some((o) => o.name === a.name));
  append(attributes, over.attributes);
  const typeOf = (b: Block) => (b.type === "dynamic" ? (b.labels[0] ?? "") : b.type);
  const replaced = new Set(over.blocks.filter((b) => b.type !== "lifecycle").map(typeOf));
  const blocks = base.blocks.filter((b) => b.type === "lifecycle" || !replaced.has(typeOf(b)));
  for (const b of over.blocks) {
    const lifecycle = b.type === "lifecycle" ? blocks.findIndex((x) => x.type === "lifecycle") : -1;
    const existing = blocks[lifecycle];
    if (existing) blocks[lifecycle] = withBody(existing, mergeBody(existing.body, b.body));
    else blocks.push(b);
  }
  return { attributes, blocks };
}

/** The block with another body. Spelled out: a parsed block's position is read from its source, not copied by a spread. */
function withBody(block: Block, body: Body): Block {
  return { type: block.type, labels: block.labels, body, pos: block.pos, file: block.file };
}

function noBase(def: ModuleDef, over: Block, what: string): void {
  def.problems.push({
    code: "structure",
    file: over.file,
    line: over.pos.line,
    column: over.pos.column,
    message: `${what} is overridden here but not declared in a file that is not an override file; Terraform rejects this`,
    severity: "error",
  });
}

function addBlock(def: ModuleDef, block: Block): void {
  if (block.type === "locals") {
    for (const attr of block.body.attributes) {
      const first = def.locals.get(attr.name);
      if (first) duplicate(def, `local.${attr.name}`, first, attr);
      else def.locals.set(attr.name, attr);
    }
    return;
  }
  const place = tableOf(def, block);
  if (!place) return;
  const first = place.table.get(place.key);
  if (!first) {
    place.table.set(place.key, block);
    return;
  }
  duplicate(def, `${block.type === "resource" ? "" : `${block.type}.`}${place.key}`, first, block);
}

/** Terraform rejects a module that declares the same thing twice: an error, and none of the module is judged. */
function duplicate(
  def: ModuleDef,
  what: string,
  first: { file: string; pos: Pos },
  again: { file: string; pos: Pos },
): void {
  def.problems.push({
    code: "structure",
    file: again.file,
    line: again.pos.line,
    column: again.pos.column,
    message: `${what} is declared twice (first at ${first.file}:${first.pos.line}); Terraform rejects the module`,
    severity: "error",
  });
}

/** The configuration files of a directory (for a local module outside the scanned files). */
export function tfFilesIn(dir: string): string[] | string {
  try {
    return readdirSync(dir)
      .filter(isConfigFile)
      .sort()
      .map((n) => join(dir, n));
  } catch (err) {
    return `cannot list ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}
