import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { InputError } from "../../model/index.js";
import type { GroupReadContext } from "../fragment.js";
import type { Attribute, Block, HclFile } from "./ast.js";
import type { ModuleDef } from "./evaluate.js";
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
    const { file, errors } = parseHcl(text, path);
    this.errors.push(...errors);
    this.parsed.set(path, file);
    return file;
  }
}

export function isAutoTfvars(name: string): boolean {
  return name === "terraform.tfvars" || name.endsWith(".auto.tfvars");
}

/** Collects a module directory's declarations. `tfvars` are the root module's variable files. */
export function buildModule(
  dir: string,
  files: HclFile[],
  tfvars: { file: HclFile; auto: boolean }[],
): ModuleDef {
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
  };
  for (const file of files) {
    for (const block of file.body.blocks) addBlock(def, block);
  }
  // terraform.tfvars first, then *.auto.tfvars in name order: later files win.
  const ordered = [...tfvars].sort(
    (a, b) => order(a.file.path) - order(b.file.path) || a.file.path.localeCompare(b.file.path),
  );
  for (const { file, auto } of ordered) {
    for (const a of file.body.attributes) {
      if (auto) def.tfvars.set(a.name, a);
      else if (!def.otherTfvars.has(a.name)) def.otherTfvars.set(a.name, file.path);
    }
  }
  return def;
}

function order(path: string): number {
  return path.endsWith("terraform.tfvars") ? 0 : 1;
}

function addBlock(def: ModuleDef, block: Block): void {
  const [a, b] = block.labels;
  switch (block.type) {
    case "resource":
      if (a && b) def.resources.set(`${a}.${b}`, block);
      break;
    case "data":
      if (a && b) def.data.set(`${a}.${b}`, block);
      break;
    case "variable":
      if (a) def.variables.set(a, block);
      break;
    case "output":
      if (a) def.outputs.set(a, block);
      break;
    case "module":
      if (a) def.calls.set(a, block);
      break;
    case "locals":
      for (const attr of block.body.attributes) def.locals.set(attr.name, attr);
      break;
  }
}

/** The `.tf` files of a directory (for a local module outside the scanned files). */
export function tfFilesIn(dir: string): string[] | string {
  try {
    return readdirSync(dir)
      .filter((n) => n.endsWith(".tf"))
      .sort()
      .map((n) => join(dir, n));
  } catch (err) {
    return `cannot list ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
}
