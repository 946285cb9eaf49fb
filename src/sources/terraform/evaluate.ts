import { existsSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import type { InputError, SourceLocation } from "../../model/index.js";
import { append, Unknown, unknown } from "../../model/index.js";
import { booleanOfText, numberOfText } from "../fields.js";
import {
  type Attribute,
  attribute,
  type Block,
  type Body,
  type Expr,
  type HclFile,
  type Pos,
  shortText,
} from "./ast.js";
import { FUNCTIONS } from "./functions.js";
import {
  encodedWithUnknowns,
  firstUnknown,
  hasPlaceholder,
  isEncodedJson,
  isObj,
  type Obj,
  placeholder,
  Rejected,
  redact,
  TERRAFORM,
  typeName,
  type Val,
} from "./values.js";

/** One module directory: its files and declarations. */
export interface ModuleDef {
  /** Absolute directory. */
  dir: string;
  files: HclFile[];
  variables: Map<string, Block>;
  locals: Map<string, Attribute>;
  resources: Map<string, Block>;
  data: Map<string, Block>;
  calls: Map<string, Block>;
  outputs: Map<string, Block>;
  /** Values from `terraform.tfvars` and `*.auto.tfvars` (root module only). */
  tfvars: Map<string, Attribute>;
  /** Variables set only in other `.tfvars` files, which Terraform reads only when named with `-var-file`. */
  otherTfvars: Map<string, string>;
  /** Declarations Terraform would reject (twice the same address, an override of nothing): none of it is judged. */
  problems: InputError[];
  /** Configuration files of the folder that could not be read (too large, unreadable, a syntax error). */
  unread?: string[];
  /** Variable files Terraform would load that could not be read: any variable may be set there. */
  unreadVarFiles?: string[];
}

/** Loads a local module's directory (absolute path), or says why it cannot. */
export type ModuleLoader = (dir: string, from: Block) => ModuleDef | string;

export interface Scope {
  mod: ModuleInstance;
  count?: number;
  each?: { key: Val; value: Val };
  /** `for` expression and dynamic block iterators. */
  vars?: Record<string, Val>;
}

/** A resource, data source or module call instance: `aws_s3_bucket.logs[0]`. */
export interface Instance {
  key: number | string | null;
  /** Full address, module path included: `module.logs.aws_s3_bucket.this["a"]`. */
  address: string;
  scope: Scope;
  block: Block;
}

export interface Expansion {
  instances: Instance[];
  /** Set when count / for_each could not be decided: the block is read as one instance. */
  undecided?: Unknown;
}

/** A nested block as evaluated: in its resource's scope, or a dynamic block's content in its iterator's. */
export class BlockInScope {
  constructor(
    readonly block: Block,
    readonly scope: Scope,
  ) {}

  get body(): Body {
    return this.block.body;
  }

  /** Computed when asked: most nested blocks are read without their position. */
  get pos(): Pos {
    return this.block.pos;
  }

  get file(): string {
    return this.block.file;
  }
}

/** An instance of a module (the root, or a call of a local module). */
/** Functions whose result keeps an unknown element of their arguments as it is, instead of looking into it. */
const CARRIES_UNKNOWNS = new Set([
  "concat",
  "merge",
  "list",
  "tolist",
  "tomap",
  "jsonencode",
  "lookup",
  "element",
]);

export class ModuleInstance {
  readonly localValues = new Map<string, Val>();
  readonly children = new Map<string, Expansion | Unknown>();
  readonly childModules = new Map<string, ModuleInstance>();
  /** Each block's expansion under the address it is first expanded at (in practice its only one)... */
  readonly expansions = new Map<Block, { base: string; expansion: Expansion }>();
  /** ...and under any other address, by address and block position. */
  readonly otherExpansions = new Map<string, Expansion>();
  /** The scope of the module's blocks outside `count`, `for_each` and iterators: one for all of them. */
  readonly scope: Scope = { mod: this };

  constructor(
    readonly def: ModuleDef,
    /** Address prefix of the module's resources: `""`, `module.logs.`, `module.logs[0].`. */
    readonly prefix: string,
    /** Input values of a called module, evaluated in the caller's scope on first use. */
    readonly inputs: Map<string, () => Val> | null,
    /** The calling module instance; none for the root. */
    readonly parent?: ModuleInstance,
    /** Set when the call's count / for_each cannot be decided: the module's resources may not be created. */
    readonly existence?: Unknown,
  ) {}
}

const RESERVED_ROOTS = new Set([
  "var",
  "local",
  "module",
  "data",
  "count",
  "each",
  "self",
  "path",
  "terraform",
]);
const META_ARGUMENTS = new Set(["source", "version", "count", "for_each", "providers", "depends_on"]);

/** Attributes every managed resource has once created. */
const ALWAYS_SET = new Set(["id", "arn"]);

/**
 * Attributes that providers compute when the configuration does not set them, per resource type: the value, given
 * the instance address and a lookup of configured attributes.
 */
const COMPUTED: Record<
  string,
  Record<string, (address: string, configured: (n: string) => Val | undefined) => Val>
> = {
  aws_s3_bucket: {
    id: (a, c) => c("bucket") ?? placeholder(`${a}.bucket`),
    bucket: (a) => placeholder(`${a}.bucket`),
    bucket_domain_name: (a) => placeholder(`${a}.bucket_domain_name`),
    bucket_regional_domain_name: (a) => placeholder(`${a}.bucket_regional_domain_name`),
  },
  aws_kms_key: {
    id: (a) => placeholder(`${a}.key_id`),
    key_id: (a) => placeholder(`${a}.key_id`),
  },
  aws_kms_alias: {
    id: (a, c) => c("name") ?? placeholder(`${a}.name`),
    target_key_arn: (a) => placeholder(`${a}.target_key_arn`),
  },
  aws_cloudwatch_log_group: {
    id: (a, c) => c("name") ?? placeholder(`${a}.name`),
    name: (a) => placeholder(`${a}.name`),
  },
  aws_sns_topic: {
    id: (a) => placeholder(`${a}.arn`),
    name: (a) => placeholder(`${a}.name`),
  },
  aws_iam_role: { name: (a) => placeholder(`${a}.name`), unique_id: (a) => placeholder(`${a}.unique_id`) },
  aws_cloudtrail: { home_region: (a) => placeholder(`${a}.home_region`) },
};

/** Data sources whose attributes are deploy-time values certain to exist. */
const DATA_PLACEHOLDERS: Record<string, string[]> = {
  aws_caller_identity: ["account_id", "arn", "id", "user_id"],
  aws_partition: ["partition", "dns_suffix", "id", "reverse_dns_prefix"],
  aws_region: ["name", "id", "region", "endpoint", "description"],
};

/** The scan's file access, for `file()` / `templatefile()`: only files inside the scanned tree are read. */
/** Instances per resource, data source or module call, unless configured otherwise (`--max-instances`). */
export const DEFAULT_MAX_INSTANCES = 10_000;

export interface EvalHost {
  /** Instances per resource beyond which count / for_each is refused (DEFAULT_MAX_INSTANCES when absent). */
  maxInstances?: number;
  /** Absolute directory of the scan: files outside it are not read. */
  root: string;
  readText(absolutePath: string): string | undefined;
  relativePath(absolutePath: string): string;
  /** Parses a file's text as an HCL template. */
  parseTemplate(text: string, path: string): Expr;
}

export interface EvalWarning {
  message: string;
  file: string;
  pos: Pos;
}

/**
 * Evaluates HCL expressions statically: literals, templates, collections, variables, locals, references to resources,
 * data sources and module outputs, pure functions, conditionals and `for` expressions. What cannot be decided is an
 * Unknown naming the expression and its file:line.
 */
export class Evaluator {
  readonly warnings: EvalWarning[] = [];
  /** Limits reached and declarations Terraform rejects, found while evaluating. */
  readonly problems: InputError[] = [];
  /** JSON text of a policy built here (`aws_iam_policy_document`, `jsonencode`) → where each statement was written. */
  readonly policyLocations = new Map<string | Obj, SourceLocation[]>();
  private readonly refStack: Set<string>[] = [];
  private readonly active = new Set<string>();

  constructor(
    readonly loadModule: ModuleLoader,
    /** Reads files for `file()` and `templatefile()`; without it those calls stay unknown. */
    readonly host?: EvalHost,
  ) {}

  // ------------------------------------------------------------------ public entry points

  /** Evaluates `expr` and returns the resource addresses it referred to (directly or through locals/outputs). */
  withRefs<T>(run: () => T): { value: T; refs: string[] } {
    const refs = new Set<string>();
    this.refStack.push(refs);
    try {
      return { value: run(), refs: [...refs] };
    } finally {
      this.refStack.pop();
    }
  }

  eval(expr: Expr, scope: Scope, file: string): Val {
    try {
      return this.evalInner(expr, scope, file);
    } catch (err) {
      if (err instanceof RangeError) return this.unknownAt(expr, file, "it is nested too deeply");
      throw err;
    }
  }

  /** The instances of a resource, data source or module block (count / for_each). */
  expand(block: Block, scope: Scope, baseAddress: string): Expansion {
    // Keyed by the block itself: a key string (and the block's position, computed for it) per block would be
    // kept for the whole module.
    const first = scope.mod.expansions.get(block);
    if (first?.base === baseAddress) return first.expansion;
    const key = first ? `${baseAddress}@${block.file}:${block.pos.line}` : undefined;
    const cached = key === undefined ? undefined : scope.mod.otherExpansions.get(key);
    if (cached) return cached;
    const result = this.expandUncached(block, scope, baseAddress);
    if (key === undefined) scope.mod.expansions.set(block, { base: baseAddress, expansion: result });
    else scope.mod.otherExpansions.set(key, result);
    return result;
  }

  /** Nested blocks of `type` in `body`, with `dynamic "type"` blocks expanded; Unknown when one cannot be. */
  blocks(body: Body, type: string, scope: Scope, _file: string): BlockInScope[] | Unknown {
    const out: BlockInScope[] = [];
    for (const b of body.blocks) {
      if (b.type === type) out.push(new BlockInScope(b, scope));
      else if (b.type === "dynamic" && b.labels[0] === type) {
        const forEach = attribute(b.body, "for_each");
        const content = b.body.blocks.find((c) => c.type === "content");
        if (!forEach || !content) continue;
        const collection = this.eval(forEach.expr, scope, b.file);
        const items = iterate(collection);
        if (items instanceof Unknown) {
          return unknown(
            `dynamic "${type}" block (${b.file}:${b.pos.line}): for_each ${reasonOf(items)}`,
            loc(b.file, b.pos),
          );
        }
        const iteratorAttr = attribute(b.body, "iterator");
        const name = iteratorAttr?.expr.kind === "variable" ? iteratorAttr.expr.name : type;
        for (const [k, v] of items)
          out.push(
            new BlockInScope(content, { ...scope, vars: { ...scope.vars, [name]: { key: k, value: v } } }),
          );
      }
    }
    return out;
  }

  /** Where a resource's configured attribute was written and its value. */
  attr(body: Body, name: string, scope: Scope, file: string): Val | undefined {
    const a = attribute(body, name);
    return a ? this.eval(a.expr, scope, a.file ?? file) : undefined;
  }

  unknownAt(expr: { text: string; pos: Pos }, file: string, why: string): Unknown {
    return unknown(`\`${shortText(expr)}\` (${file}:${expr.pos.line}) ${why}`, loc(file, expr.pos));
  }

  /** An expression Terraform would reject: unknown to the rules, skipped by `try()`. */
  errorAt(expr: { text: string; pos: Pos }, file: string, why: string): Rejected {
    return new Rejected(`\`${shortText(expr)}\` (${file}:${expr.pos.line}) ${why}`, loc(file, expr.pos));
  }

  // ------------------------------------------------------------------ expressions

  private evalInner(expr: Expr, scope: Scope, file: string): Val {
    switch (expr.kind) {
      case "literal":
        return expr.value;
      case "template":
        return this.template(expr, scope, file);
      case "tuple":
        return expr.items.map((i) => this.evalInner(i, scope, file));
      case "object": {
        const out: Obj = {};
        for (const e of expr.entries) {
          const k = this.evalInner(e.key, scope, file);
          if (k instanceof Unknown) return k;
          if (typeof k !== "string" && typeof k !== "number" && typeof k !== "boolean") {
            return this.unknownAt(e.key, file, `is ${typeName(k)}, not a valid object key`);
          }
          out[String(k)] = this.evalInner(e.value, scope, file);
        }
        this.notePolicy(expr, out, file);
        return out;
      }
      case "variable":
      case "getattr":
      case "index":
      case "splat":
        return this.traversal(expr, scope, file);
      case "call":
        return this.call(expr, scope, file);
      case "conditional": {
        const cond = this.evalInner(expr.cond, scope, file);
        if (cond instanceof Unknown)
          return this.unknownAt(expr, file, `has an undecidable condition: ${reasonOf(cond)}`);
        if (typeof cond !== "boolean")
          return this.unknownAt(expr, file, `has a condition that is ${typeName(cond)}`);
        return this.evalInner(cond ? expr.ifTrue : expr.ifFalse, scope, file);
      }
      case "binary":
        return this.binary(expr, scope, file);
      case "unary": {
        const v = this.evalInner(expr.operand, scope, file);
        if (v instanceof Unknown) return v;
        if (expr.op === "!" && typeof v === "boolean") return !v;
        if (expr.op === "-" && typeof v === "number") return -v;
        return this.unknownAt(expr, file, `applies ${expr.op} to ${typeName(v)}`);
      }
      case "for":
        return this.forExpr(expr, scope, file);
      case "unsupported":
        return this.unknownAt(expr, file, `is ${expr.what}, which trailguard does not evaluate`);
    }
  }

  private template(expr: Extract<Expr, { kind: "template" }>, scope: Scope, file: string): Val {
    // A template that is a single interpolation keeps the value's type ("${var.flag}" is a bool).
    const interpolations = expr.parts.filter((p) => typeof p !== "string");
    if (interpolations.length === 1 && expr.parts.every((p) => typeof p !== "string" || p === "")) {
      return this.evalInner(interpolations[0] as Expr, scope, file);
    }
    let out = "";
    for (const part of expr.parts) {
      if (typeof part === "string") {
        out += part;
        continue;
      }
      const v = this.evalInner(part, scope, file);
      if (v instanceof Unknown) return v;
      if (isEncodedJson(v)) return firstUnknown(v) ?? this.unknownAt(part, file, "is not known");
      if (typeof v === "string") out += v;
      else if (typeof v === "number" || typeof v === "boolean") out += String(v);
      else return this.unknownAt(part, file, `is ${typeName(v)}, which cannot be placed in a string`);
    }
    return out;
  }

  private binary(expr: Extract<Expr, { kind: "binary" }>, scope: Scope, file: string): Val {
    const l = this.evalInner(expr.left, scope, file);
    // Short-circuit operators decide with one known side when it settles the result.
    if (expr.op === "&&" && l === false) return false;
    if (expr.op === "||" && l === true) return true;
    const r = this.evalInner(expr.right, scope, file);
    if (expr.op === "&&" && r === false) return false;
    if (expr.op === "||" && r === true) return true;
    if (l instanceof Unknown) return l;
    if (r instanceof Unknown) return r;
    switch (expr.op) {
      case "&&":
      case "||":
        if (typeof l === "boolean" && typeof r === "boolean") return expr.op === "&&" ? l && r : l || r;
        break;
      case "==":
      case "!=": {
        const same = equalValues(l, r);
        if (same === undefined)
          return this.unknownAt(expr, file, "compares values known only at deploy time");
        return expr.op === "==" ? same : !same;
      }
      default:
        if (typeof l === "number" && typeof r === "number") {
          switch (expr.op) {
            case "+":
              return l + r;
            case "-":
              return l - r;
            case "*":
              return l * r;
            case "/":
              return l / r;
            case "%":
              return l % r;
            case ">":
              return l > r;
            case ">=":
              return l >= r;
            case "<":
              return l < r;
            case "<=":
              return l <= r;
          }
        }
    }
    return this.unknownAt(expr, file, `applies ${expr.op} to ${typeName(l)} and ${typeName(r)}`);
  }

  private forExpr(expr: Extract<Expr, { kind: "for" }>, scope: Scope, file: string): Val {
    const collection = this.evalInner(expr.collection, scope, file);
    const items = iterate(collection);
    if (items instanceof Unknown) return this.unknownAt(expr, file, `iterates over ${reasonOf(items)}`);
    const list: Val[] = [];
    const obj: Obj = {};
    for (const [k, v] of items) {
      const vars: Record<string, Val> = { ...scope.vars, [expr.valueVar]: v };
      if (expr.keyVar) vars[expr.keyVar] = k;
      const inner: Scope = { ...scope, vars };
      if (expr.cond) {
        const keep = this.evalInner(expr.cond, inner, file);
        if (keep instanceof Unknown)
          return this.unknownAt(expr, file, `has an undecidable filter: ${reasonOf(keep)}`);
        if (keep !== true) continue;
      }
      const value = this.evalInner(expr.value, inner, file);
      if (!expr.key) {
        list.push(value);
        continue;
      }
      const key = this.evalInner(expr.key, inner, file);
      if (key instanceof Unknown) return key;
      const name = String(key);
      if (expr.grouping) {
        const group = obj[name];
        if (Array.isArray(group)) group.push(value);
        else obj[name] = [value];
      } else obj[name] = value;
    }
    return expr.key ? obj : list;
  }

  private call(expr: Extract<Expr, { kind: "call" }>, scope: Scope, file: string): Val {
    if (expr.name === "try" || expr.name === "can") return this.tryCall(expr, scope, file);
    if (expr.name === "file" || expr.name === "templatefile") return this.fileCall(expr, scope, file);
    if (expr.name === "sensitive" && expr.args.length === 1 && !expr.expand) {
      const arg = expr.args[0] as Expr;
      return this.secret(`sensitive(${file}:${expr.pos.line})`, loc(file, expr.pos), () =>
        this.evalInner(arg, scope, file),
      );
    }
    const fn = FUNCTIONS[expr.name];
    if (!fn) return this.unknownAt(expr, file, `calls ${expr.name}(), which trailguard does not evaluate`);
    let args = expr.args.map((a) => this.evalInner(a, scope, file));
    if (expr.expand) {
      const last = args[args.length - 1];
      if (last instanceof Unknown) return last;
      if (!Array.isArray(last)) return this.unknownAt(expr, file, "expands an argument that is not a list");
      args = [...args.slice(0, -1), ...last];
    }
    for (const a of args) if (a instanceof Unknown) return a;
    // A function that looks into its arguments (contains, compact, distinct, ...) cannot answer over an unknown
    // element; only those that carry values through unchanged may hold one.
    if (!CARRIES_UNKNOWNS.has(expr.name)) {
      for (const a of args) {
        const inner = firstUnknown(a);
        if (inner) return inner;
      }
    }
    const result = fn(args);
    if (result instanceof Unknown) {
      const inner = expr.name === "jsonencode" ? firstUnknown(args[0]) : undefined;
      if (inner) return inner;
      return result instanceof Rejected
        ? this.errorAt(expr, file, `cannot be evaluated: ${result.reason}`)
        : this.unknownAt(expr, file, `cannot be evaluated: ${result.reason}`);
    }
    if (expr.name === "jsonencode" && (typeof result === "string" || isEncodedJson(result))) {
      const arg = expr.args[0];
      const found = arg?.kind === "object" ? this.statementPositions.get(arg) : undefined;
      if (found) this.policyLocations.set(result as string | Obj, found);
    }
    return result;
  }

  /**
   * `try(a, b, ...)`: the first argument Terraform accepts; `can(a)`: whether it accepts it. An argument only known
   * at apply time may still fail then, so it makes the result unknown instead of being skipped.
   */
  private tryCall(expr: Extract<Expr, { kind: "call" }>, scope: Scope, file: string): Val {
    if (expr.args.length === 0 || (expr.name === "can" && expr.args.length !== 1))
      return this.errorAt(expr, file, `calls ${expr.name}() with the wrong number of arguments`);
    let last: Rejected | undefined;
    for (const arg of expr.args) {
      const v = this.evalInner(arg, scope, file);
      if (v instanceof Rejected) {
        last = v;
        continue;
      }
      if (v instanceof Unknown) return v;
      if (expr.name === "can") return true;
      return v;
    }
    if (expr.name === "can") return false;
    return this.errorAt(expr, file, `has no argument that can be evaluated: ${last?.reason ?? ""}`);
  }

  /** `file(path)` and `templatefile(path, vars)` of a file inside the scanned tree, read like Terraform at plan time. */
  private fileCall(expr: Extract<Expr, { kind: "call" }>, scope: Scope, file: string): Val {
    const [pathArg, varsArg] = expr.args;
    if (!pathArg) return this.errorAt(expr, file, `calls ${expr.name}() without a path`);
    const path = this.evalInner(pathArg, scope, file);
    if (path instanceof Unknown) return path;
    if (typeof path !== "string")
      return this.errorAt(expr, file, `calls ${expr.name}() with ${typeName(path)}`);
    if (!this.host) return this.unknownAt(expr, file, `calls ${expr.name}(), which is not read here`);
    // Relative paths are relative to the root module's directory, the working directory of `terraform plan`.
    const absolute = resolve(this.rootDir(scope.mod), path);
    const rel = relative(this.host.root, absolute);
    if (rel.startsWith("..") || isAbsolute(rel))
      return this.unknownAt(expr, file, `reads ${path}, which is outside the scanned folder`);
    const text = this.host.readText(absolute);
    if (text === undefined)
      return this.unknownAt(expr, file, `reads ${this.host.relativePath(absolute)}, which cannot be read`);
    if (expr.name === "file") return text;
    const vars = varsArg ? this.evalInner(varsArg, scope, file) : {};
    if (vars instanceof Unknown) return vars;
    if (!isObj(vars))
      return this.errorAt(expr, file, "calls templatefile() with variables that are not an object");
    const key = `template:${absolute}`;
    if (this.active.has(key)) return this.errorAt(expr, file, "renders a template that includes itself");
    this.active.add(key);
    try {
      const template = this.host.parseTemplate(text, this.host.relativePath(absolute));
      return this.evalInner(template, { mod: scope.mod, vars }, this.host.relativePath(absolute));
    } finally {
      this.active.delete(key);
    }
  }

  private rootDir(mod: ModuleInstance): string {
    let m = mod;
    while (m.parent) m = m.parent;
    return m.def.dir;
  }

  private readonly statementPositions = new WeakMap<Expr, SourceLocation[]>();

  /** An object that looks like an IAM policy: remember where its statements were written. */
  private notePolicy(expr: Extract<Expr, { kind: "object" }>, value: Obj, file: string): void {
    if (!("Statement" in value)) return;
    const entry = expr.entries.find((e) => e.key.kind === "literal" && e.key.value === "Statement");
    if (entry?.value.kind === "tuple") {
      this.statementPositions.set(
        expr,
        entry.value.items.map((i) => loc(file, i.pos)),
      );
    } else if (entry) this.statementPositions.set(expr, [loc(file, entry.value.pos)]);
  }

  // ------------------------------------------------------------------ references

  private traversal(expr: Expr, scope: Scope, file: string): Val {
    const steps: Expr[] = [];
    let root: Expr = expr;
    while (root.kind === "getattr" || root.kind === "index" || root.kind === "splat") {
      steps.unshift(root);
      root = root.target;
    }
    if (root.kind !== "variable") {
      let value = this.evalInner(root, scope, file);
      for (const step of steps) value = this.step(value, step, scope, file);
      return value;
    }
    const { value, used } = this.resolveRoot(root, steps, scope, file);
    let v = value;
    for (const step of steps.slice(used)) v = this.step(v, step, scope, file);
    return v;
  }

  /** Applies `.name`, `[i]` or a splat to a value. */
  private step(value: Val, step: Expr, scope: Scope, file: string): Val {
    if (value instanceof Unknown) return value;
    if (step.kind === "getattr") {
      if (isObj(value)) {
        if (step.name in value) return value[step.name] ?? null;
        return this.errorAt(step, file, `refers to ${step.name}, which the object does not have`);
      }
      return this.errorAt(step, file, `reads .${step.name} of ${typeName(value)}`);
    }
    if (step.kind === "index") {
      const i = this.evalInner(step.index, scope, file);
      if (i instanceof Unknown) return i;
      if (Array.isArray(value) && typeof i === "number") {
        return i >= 0 && i < value.length
          ? (value[i] ?? null)
          : this.errorAt(step, file, `indexes past the end (${i})`);
      }
      if (isObj(value) && (typeof i === "string" || typeof i === "number")) {
        const k = String(i);
        return k in value
          ? (value[k] ?? null)
          : this.errorAt(step, file, `looks up ${JSON.stringify(k)}, which is absent`);
      }
      return this.errorAt(step, file, `indexes ${typeName(value)} with ${typeName(i)}`);
    }
    if (step.kind === "splat") {
      const list = Array.isArray(value) ? value : value === null ? [] : [value];
      return list.map((item) => {
        let v: Val = item;
        for (const s of step.steps) {
          if (v instanceof Unknown) return v;
          if (s.kind === "attr")
            v = isObj(v) && s.name in v ? (v[s.name] ?? null) : this.errorAt(step, file, `has no ${s.name}`);
          else
            v = this.step(
              v,
              { kind: "index", target: step, index: s.index, pos: step.pos, text: step.text },
              scope,
              file,
            );
        }
        return v;
      });
    }
    return value;
  }

  private resolveRoot(
    root: Extract<Expr, { kind: "variable" }>,
    steps: Expr[],
    scope: Scope,
    file: string,
  ): { value: Val; used: number } {
    const name = root.name;
    const attrName = (i: number): string | undefined => {
      const s = steps[i];
      return s?.kind === "getattr" ? s.name : undefined;
    };
    const whole = steps[steps.length - 1] ?? root;
    if (scope.vars && name in scope.vars) return { value: scope.vars[name] ?? null, used: 0 };
    switch (name) {
      case "var": {
        const v = attrName(0);
        if (!v)
          return { value: this.unknownAt(whole, file, "is not a variable reference"), used: steps.length };
        return { value: this.variable(v, scope.mod, root, file), used: 1 };
      }
      case "local": {
        const l = attrName(0);
        if (!l)
          return { value: this.unknownAt(whole, file, "is not a local value reference"), used: steps.length };
        return { value: this.local(l, scope.mod, root, file), used: 1 };
      }
      case "count":
        if (attrName(0) === "index" && scope.count !== undefined) return { value: scope.count, used: 1 };
        return {
          value: this.unknownAt(whole, file, "uses count outside a counted block"),
          used: steps.length,
        };
      case "each": {
        const a = attrName(0);
        if (scope.each && (a === "key" || a === "value")) return { value: scope.each[a], used: 1 };
        return {
          value: this.unknownAt(whole, file, "uses each outside a for_each block"),
          used: steps.length,
        };
      }
      case "data":
        return this.dataRef(steps, scope, file, whole);
      case "module":
        return this.moduleRef(steps, scope, file, whole);
      case "terraform":
        if (attrName(0) === "workspace") return { value: placeholder("terraform.workspace"), used: 1 };
        return { value: this.unknownAt(whole, file, "is not evaluated"), used: steps.length };
      case "path": {
        const which = attrName(0);
        if (which === "module" || which === "root") {
          const dir = which === "root" ? this.rootDir(scope.mod) : scope.mod.def.dir;
          return { value: relative(this.rootDir(scope.mod), dir).split(sep).join("/") || ".", used: 1 };
        }
        return { value: this.unknownAt(whole, file, "is not evaluated by trailguard"), used: steps.length };
      }
      case "self":
        return { value: this.unknownAt(whole, file, "is not evaluated by trailguard"), used: steps.length };
    }
    const resourceName = attrName(0);
    if (!resourceName || RESERVED_ROOTS.has(name)) {
      return {
        value: this.unknownAt(whole, file, "refers to something that is not declared"),
        used: steps.length,
      };
    }
    return this.resourceRef(name, resourceName, steps.slice(1), scope, file, whole);
  }

  private variable(name: string, mod: ModuleInstance, at: Expr, file: string): Val {
    const decl = mod.def.variables.get(name);
    if (decl && this.isSensitive(decl, mod)) {
      return this.secret(`${mod.prefix}var.${name}`, loc(decl.file, decl.pos), () =>
        this.variableValue(name, decl, mod, at, file),
      );
    }
    return this.variableValue(name, decl, mod, at, file);
  }

  /** `sensitive = true` on a variable or output. */
  private isSensitive(decl: Block, mod: ModuleInstance): boolean {
    const flag = attribute(decl.body, "sensitive");
    if (!flag) return false;
    const v = this.eval(flag.expr, mod.scope, flag.file);
    // A flag that cannot be decided may be true: the value is kept out of reports all the same.
    return v === true || v === "true" || v instanceof Unknown;
  }

  /**
   * A secret's value, redacted (see `redact`). What evaluating it warns about is dropped: such a message may quote
   * the expression that holds the secret.
   */
  private secret(label: string, at: SourceLocation, evaluate: () => Val): Val {
    const warnings = this.warnings.length;
    try {
      return redact(evaluate(), label, at);
    } finally {
      this.warnings.length = warnings;
    }
  }

  private variableValue(
    name: string,
    decl: Block | undefined,
    mod: ModuleInstance,
    at: Expr,
    file: string,
  ): Val {
    const input = mod.inputs?.get(name);
    let value: Val | undefined;
    if (input) value = input();
    else if (!mod.inputs) {
      const unreadFiles = mod.def.unreadVarFiles;
      if (unreadFiles && decl) {
        return unknown(
          `var.${name} may be set in ${unreadFiles.join(", ")}, which could not be read (${decl.file}:${decl.pos.line})`,
          loc(decl.file, decl.pos),
        );
      }
      const fromFile = mod.def.tfvars.get(name);
      if (fromFile) value = this.eval(fromFile.expr, mod.scope, fromFile.file);
    }
    if (value === undefined && decl) {
      const def = attribute(decl.body, "default");
      if (def) value = this.eval(def.expr, mod.scope, def.file);
    }
    if (value === undefined) {
      if (!decl) return this.unknownAt(at, file, `refers to var.${name}, which is not declared`);
      const other = mod.def.otherTfvars.get(name);
      const hint = other
        ? `; ${other} sets it, but Terraform reads that file only when given with -var-file`
        : mod.inputs
          ? "; the module call does not set it"
          : "; set it in terraform.tfvars or a *.auto.tfvars file";
      return unknown(
        `var.${name} has no default${hint} (${decl.file}:${decl.pos.line})`,
        loc(decl.file, decl.pos),
      );
    }
    return convertToType(value, decl ? attribute(decl.body, "type")?.expr.text : undefined);
  }

  private local(name: string, mod: ModuleInstance, at: Expr, file: string): Val {
    if (mod.localValues.has(name)) return mod.localValues.get(name) ?? null;
    const decl = mod.def.locals.get(name);
    if (!decl) return this.unknownAt(at, file, `refers to local.${name}, which is not declared`);
    const key = `${mod.prefix}local.${name}`;
    if (this.active.has(key)) return this.unknownAt(at, file, `refers to local.${name} in a cycle`);
    this.active.add(key);
    try {
      const value = this.eval(decl.expr, mod.scope, decl.file);
      mod.localValues.set(name, value);
      return value;
    } finally {
      this.active.delete(key);
    }
  }

  private noteRef(address: string): void {
    for (const refs of this.refStack) refs.add(address);
  }

  private resourceRef(
    type: string,
    name: string,
    steps: Expr[],
    scope: Scope,
    file: string,
    whole: Expr,
  ): { value: Val; used: number } {
    const mod = scope.mod;
    const block = mod.def.resources.get(`${type}.${name}`);
    const base = `${mod.prefix}${type}.${name}`;
    if (!block) {
      // Not declared in the files read (Terraform would reject the module): the attribute still exists once the
      // resource does, so id/ARN-like attributes are placeholders.
      this.noteRef(base);
      const attr = steps[0]?.kind === "getattr" ? steps[0].name : undefined;
      if (!attr)
        return {
          value: this.unknownAt(whole, file, `refers to ${base}, which is not among the files read`),
          used: steps.length + 1,
        };
      const computed = COMPUTED[type]?.[attr];
      if (computed) return { value: computed(base, () => undefined), used: 2 };
      if (ALWAYS_SET.has(attr) || attr === "name" || attr === "bucket" || attr === "key_id") {
        return { value: placeholder(`${base}.${attr}`), used: 2 };
      }
      return {
        value: this.unknownAt(whole, file, `refers to ${base}, which is not among the files read`),
        used: steps.length + 1,
      };
    }
    const expansion = this.expand(block, mod.scope, base);
    const many = attribute(block.body, "count") || attribute(block.body, "for_each");
    let used = 1;
    let instances: Instance[];
    const first = steps[0];
    if (many) {
      if (expansion.undecided)
        return {
          value: this.unknownAt(
            whole,
            file,
            `refers to ${base}, whose instances are not known: ${expansion.undecided.reason}`,
          ),
          used: steps.length + 1,
        };
      if (first?.kind === "index") {
        const k = this.evalInner(first.index, scope, file);
        if (k instanceof Unknown) return { value: k, used: steps.length + 1 };
        const inst = expansion.instances.find((i) => i.key === k || String(i.key) === String(k));
        if (!inst)
          return {
            value: this.unknownAt(whole, file, `refers to an instance of ${base} that does not exist`),
            used: steps.length + 1,
          };
        instances = [inst];
        used = 2;
      } else if (first?.kind === "splat") {
        const values = expansion.instances.map((inst) => {
          this.noteRef(inst.address);
          let v: Val = { __instance: inst.address };
          for (const s of first.steps) {
            if (v instanceof Unknown) break;
            if (s.kind === "attr")
              v =
                isObj(v) && "__instance" in v
                  ? this.instanceAttr(type, inst, s.name, first, file)
                  : this.step(
                      v,
                      { kind: "getattr", target: first, name: s.name, pos: first.pos, text: first.text },
                      scope,
                      file,
                    );
            else v = this.unknownAt(first, file, "indexes inside a splat, which is not evaluated");
          }
          return isObj(v) && "__instance" in v ? this.unknownAt(first, file, "refers to whole resources") : v;
        });
        return { value: values, used: 2 };
      } else {
        return {
          value: this.unknownAt(whole, file, `refers to ${base} without choosing an instance`),
          used: steps.length + 1,
        };
      }
    } else {
      const only = expansion.instances[0];
      if (!only)
        return {
          value: this.unknownAt(whole, file, `refers to ${base}, which is not created`),
          used: steps.length + 1,
        };
      instances = [only];
    }
    const inst = instances[0] as Instance;
    this.noteRef(inst.address);
    const attrStep = steps[used - 1];
    if (attrStep?.kind !== "getattr") {
      return {
        value: this.unknownAt(whole, file, `refers to the whole resource ${inst.address}`),
        used: steps.length + 1,
      };
    }
    return { value: this.instanceAttr(type, inst, attrStep.name, attrStep, file), used: used + 1 };
  }

  /** An attribute of a resource instance: as configured, or as the provider computes it. */
  instanceAttr(type: string, inst: Instance, name: string, at: Expr, file: string): Val {
    const configured = (n: string): Val | undefined => {
      const a = attribute(inst.block.body, n);
      if (!a) return undefined;
      const key = `${inst.address}.${n}`;
      if (this.active.has(key)) return this.unknownAt(at, file, `refers to ${key} in a cycle`);
      this.active.add(key);
      try {
        return this.eval(a.expr, inst.scope, a.file);
      } finally {
        this.active.delete(key);
      }
    };
    const own = configured(name);
    if (own !== undefined) return own;
    const computed = COMPUTED[type]?.[name];
    if (computed) return computed(inst.address, configured);
    if (ALWAYS_SET.has(name)) return placeholder(`${inst.address}.${name}`);
    return this.unknownAt(
      at,
      file,
      `refers to ${inst.address}.${name}, which the configuration does not set (known only after apply)`,
    );
  }

  private dataRef(steps: Expr[], scope: Scope, file: string, whole: Expr): { value: Val; used: number } {
    const type = steps[0]?.kind === "getattr" ? steps[0].name : undefined;
    const name = steps[1]?.kind === "getattr" ? steps[1].name : undefined;
    if (!type || !name) {
      return {
        value: this.unknownAt(whole, file, "is a data source reference that is not evaluated"),
        used: steps.length,
      };
    }
    const base = `${scope.mod.prefix}data.${type}.${name}`;
    const block = scope.mod.def.data.get(`${type}.${name}`);
    // `data.x.y[0].attr` / `data.x.y["k"].attr`: the instance of a counted or for_each data source.
    let instanceScope: Scope = scope.mod.scope;
    let address = base;
    let used = 2;
    const many = block && (attribute(block.body, "count") || attribute(block.body, "for_each"));
    if (steps[2]?.kind === "index") {
      const k = this.evalInner(steps[2].index, scope, file);
      if (k instanceof Unknown) return { value: k, used: steps.length };
      if (block) {
        const expansion = this.expand(block, scope.mod.scope, base);
        if (expansion.undecided)
          return {
            value: this.unknownAt(
              whole,
              file,
              `refers to ${base}, whose instances are not known: ${expansion.undecided.reason}`,
            ),
            used: steps.length,
          };
        const inst = expansion.instances.find((i) => i.key === k || String(i.key) === String(k));
        if (!inst)
          return {
            value: this.errorAt(whole, file, `refers to an instance of ${base} that does not exist`),
            used: steps.length,
          };
        instanceScope = inst.scope;
        address = inst.address;
      }
      used = 3;
    } else if (many) {
      return {
        value: this.unknownAt(whole, file, `refers to ${base} without choosing an instance`),
        used: steps.length,
      };
    }
    const attrStep = steps[used];
    if (attrStep?.kind !== "getattr") {
      return {
        value: this.unknownAt(whole, file, "is a data source reference that is not evaluated"),
        used: steps.length,
      };
    }
    used += 1;
    const placeholders = DATA_PLACEHOLDERS[type];
    if (placeholders?.includes(attrStep.name)) {
      return { value: placeholder(`data.${type}.${name}.${attrStep.name}`), used };
    }
    if (
      type === "aws_iam_policy_document" &&
      (attrStep.name === "json" || attrStep.name === "minified_json")
    ) {
      if (!block)
        return {
          value: this.unknownAt(whole, file, `refers to ${address}, which is not among the files read`),
          used,
        };
      this.noteRef(address);
      const key = `${address}.json`;
      if (this.active.has(key))
        return { value: this.unknownAt(whole, file, "refers to a policy document in a cycle"), used };
      this.active.add(key);
      try {
        return { value: this.policyDocument(block, instanceScope), used };
      } finally {
        this.active.delete(key);
      }
    }
    if (block) {
      const a = attribute(block.body, attrStep.name);
      if (a) return { value: this.eval(a.expr, instanceScope, a.file), used };
    }
    return {
      value: this.unknownAt(whole, file, `is read from the data source ${address} at plan time`),
      used,
    };
  }

  private moduleRef(steps: Expr[], scope: Scope, file: string, whole: Expr): { value: Val; used: number } {
    const name = steps[0]?.kind === "getattr" ? steps[0].name : undefined;
    if (!name) return { value: this.unknownAt(whole, file, "is not a module reference"), used: steps.length };
    const children = this.moduleInstances(scope.mod, name);
    if (children instanceof Unknown) return { value: children, used: steps.length };
    let used = 1;
    let child: ModuleInstance | undefined;
    const many =
      children.block &&
      (attribute(children.block.body, "count") || attribute(children.block.body, "for_each"));
    if (many) {
      const idx = steps[1];
      if (idx?.kind !== "index")
        return {
          value: this.unknownAt(whole, file, `refers to module.${name} without choosing an instance`),
          used: steps.length,
        };
      const k = this.evalInner(idx.index, scope, file);
      if (k instanceof Unknown) return { value: k, used: steps.length };
      child = children.instances.find((c) => String(c.key) === String(k))?.module;
      used = 2;
    } else child = children.instances[0]?.module;
    if (!child)
      return {
        value: this.unknownAt(whole, file, `refers to an instance of module.${name} that does not exist`),
        used: steps.length,
      };
    const out = steps[used];
    if (out?.kind !== "getattr")
      return { value: this.unknownAt(whole, file, "refers to a whole module"), used: steps.length };
    const decl = child.def.outputs.get(out.name);
    const value = decl ? attribute(decl.body, "value") : undefined;
    if (!value)
      return {
        value: this.unknownAt(
          whole,
          file,
          `refers to output ${out.name}, which module.${name} does not declare`,
        ),
        used: used + 1,
      };
    const key = `${child.prefix}output.${out.name}`;
    if (this.active.has(key))
      return { value: this.unknownAt(whole, file, "refers to a module output in a cycle"), used: used + 1 };
    this.active.add(key);
    try {
      const read = () => this.eval(value.expr, child.scope, value.file);
      if (decl && this.isSensitive(decl, child)) {
        const label = `${child.prefix.replace(/\.$/, "")}.${out.name}`;
        return { value: this.secret(label, loc(decl.file, decl.pos), read), used: used + 1 };
      }
      return { value: read(), used: used + 1 };
    } finally {
      this.active.delete(key);
    }
  }

  /** The instances of `module "<name>"` called from `mod`, loaded on first use. */
  moduleInstances(
    mod: ModuleInstance,
    name: string,
  ): { block?: Block; instances: { key: Instance["key"]; module: ModuleInstance }[] } | Unknown {
    const block = mod.def.calls.get(name);
    if (!block) return unknown(`module.${name} is not declared in ${mod.def.files[0]?.path ?? "the module"}`);
    const cacheKey = `module.${name}`;
    const cached = mod.children.get(cacheKey);
    const expansion = cached ?? this.expand(block, mod.scope, `${mod.prefix}module.${name}`);
    mod.children.set(cacheKey, expansion);
    if (expansion instanceof Unknown) return expansion;
    const source = this.eval(
      attribute(block.body, "source")?.expr ?? { kind: "literal", value: null, pos: block.pos, text: "" },
      mod.scope,
      block.file,
    );
    const local = typeof source === "string" && /^\.\.?[/\\]/.test(source);
    // A registry or git module is read from where `terraform init` downloaded it, when it did.
    const installed = local ? undefined : this.installedModule(mod, name);
    if (!local && !installed) {
      const from = source instanceof Unknown ? source.reason : JSON.stringify(source);
      return new UnreadModule(
        `module.${name} (${block.file}:${block.pos.line}) comes from ${from}, which is not a local module and is not downloaded (run terraform init first, so that .terraform/modules holds it); its resources are not read`,
        loc(block.file, block.pos),
      );
    }
    const def = this.loadModule(installed ?? joinPath(mod.def.dir, source as string), block);
    if (typeof def === "string")
      return unknown(`module.${name} (${block.file}:${block.pos.line}): ${def}`, loc(block.file, block.pos));
    for (let m: ModuleInstance | undefined = mod; m; m = m.parent) {
      if (m.def.dir !== def.dir) continue;
      const reason = `module.${name} (${block.file}:${block.pos.line}) calls a module that is already among its callers; Terraform rejects module cycles`;
      if (!mod.children.has(`cycle:${name}`)) {
        mod.children.set(`cycle:${name}`, unknown(reason));
        this.problems.push({
          code: "structure",
          file: block.file,
          line: block.pos.line,
          column: block.pos.column,
          message: reason,
          severity: "error",
        });
      }
      return unknown(reason, loc(block.file, block.pos));
    }
    const out: { key: Instance["key"]; module: ModuleInstance }[] = [];
    for (const inst of expansion.instances) {
      const prefix = `${inst.address}.`;
      let child = mod.childModules.get(prefix);
      if (!child) {
        const inputs = new Map<string, () => Val>();
        for (const a of block.body.attributes) {
          if (META_ARGUMENTS.has(a.name)) continue;
          let memo: Val | undefined;
          inputs.set(a.name, () => {
            memo ??= this.eval(a.expr, inst.scope, a.file);
            return memo;
          });
        }
        const existence = expansion.undecided
          ? unknown(
              `whether module.${name} (${block.file}:${block.pos.line}) is created depends on ${expansion.undecided.reason}`,
              loc(block.file, block.pos),
            )
          : mod.existence;
        child = new ModuleInstance(def, prefix, inputs, mod, existence);
        mod.childModules.set(prefix, child);
      }
      out.push({ key: inst.key, module: child });
    }
    return { block, instances: out };
  }

  private readonly manifests = new Map<string, Map<string, string> | undefined>();

  /**
   * Where `terraform init` put the module a call refers to: `.terraform/modules/modules.json` of the root module
   * maps each call path (`cloudtrail`, `cloudtrail.label`) to its folder, relative to the root.
   */
  private installedModule(mod: ModuleInstance, name: string): string | undefined {
    if (!this.host) return undefined;
    const rootDir = this.rootDir(mod);
    let manifest = this.manifests.get(rootDir);
    if (!this.manifests.has(rootDir)) {
      manifest = readModuleManifest(this.host, rootDir);
      this.manifests.set(rootDir, manifest);
    }
    const dir = manifest?.get([...callPath(mod), name].join("."));
    return dir === undefined ? undefined : resolve(rootDir, dir);
  }

  private expandUncached(block: Block, scope: Scope, base: string): Expansion {
    const count = attribute(block.body, "count");
    const forEach = attribute(block.body, "for_each");
    const single = (undecided?: Unknown): Expansion => ({
      instances: [{ key: null, address: base, scope: scope.mod.scope, block }],
      ...(undecided ? { undecided } : {}),
    });
    const limit = this.host?.maxInstances ?? DEFAULT_MAX_INSTANCES;
    const overLimit = (what: string, n: number, at: Attribute): Expansion => {
      const reason = `${base}: ${what} gives ${n} instances, over the limit of ${limit} per resource (--max-instances)`;
      this.problems.push({
        code: "limit-exceeded",
        file: at.file,
        line: at.pos.line,
        column: at.pos.column,
        message: `${reason}; it is checked as one instance that may not exist`,
        severity: "error",
      });
      return single(unknown(reason, loc(at.file, at.pos)));
    };
    if (count) {
      const n = this.eval(count.expr, scope, count.file);
      if (typeof n === "number" && Number.isInteger(n) && n > limit) return overLimit("count", n, count);
      if (typeof n === "number" && Number.isInteger(n) && n >= 0) {
        return {
          instances: Array.from({ length: n }, (_, i) => ({
            key: i,
            address: `${base}[${i}]`,
            scope: { mod: scope.mod, count: i },
            block,
          })),
        };
      }
      const why =
        n instanceof Unknown
          ? n
          : this.unknownAt(count.expr, block.file, `is ${typeName(n)}, not a whole number`);
      this.warnings.push({
        message: `${base}: count cannot be decided (${why.reason}); it is checked as if created once`,
        file: block.file,
        pos: block.pos,
      });
      return single(why);
    }
    if (forEach) {
      const v = this.eval(forEach.expr, scope, forEach.file);
      const items = iterate(v, true);
      if (!(items instanceof Unknown) && items.length > limit)
        return overLimit("for_each", items.length, forEach);
      if (!(items instanceof Unknown)) {
        return {
          instances: items.map(([k, value]) => ({
            key: String(k),
            address: `${base}[${JSON.stringify(String(k))}]`,
            scope: { mod: scope.mod, each: { key: k, value } },
            block,
          })),
        };
      }
      this.warnings.push({
        message: `${base}: for_each cannot be decided (${items.reason}); it is checked as if created once`,
        file: block.file,
        pos: block.pos,
      });
      return single(items);
    }
    return single();
  }

  // ------------------------------------------------------------------ aws_iam_policy_document

  private policyDocument(block: Block, scope: Scope): Val {
    const file = block.file;
    const statements: Val[] = [];
    const locations: SourceLocation[] = [];
    const merged = (name: string): Val[] | Unknown => {
      const docs = this.attr(block.body, name, scope, file);
      if (docs === undefined || docs === null) return [];
      if (docs instanceof Unknown) return docs;
      const list = Array.isArray(docs) ? docs : [docs];
      const out: Val[] = [];
      for (const d of list) {
        if (d instanceof Unknown) return d;
        if (isEncodedJson(d)) {
          const st = d.Statement;
          if (st instanceof Unknown) return st;
          append(out, Array.isArray(st) ? st : st ? [st] : []);
          continue;
        }
        if (typeof d !== "string")
          return unknown(
            `${name} of data.aws_iam_policy_document.${block.labels[1]} is not a list of JSON strings`,
          );
        try {
          const parsed = JSON.parse(d) as { Statement?: unknown };
          const st = parsed.Statement;
          for (const s of Array.isArray(st) ? st : st ? [st] : []) out.push(s as Val);
        } catch {
          return unknown(
            `${name} of data.aws_iam_policy_document.${block.labels[1]} holds text that is not JSON`,
          );
        }
      }
      return out;
    };
    for (const name of ["source_policy_documents", "source_json"]) {
      const src = merged(name);
      if (src instanceof Unknown) return src;
      for (const s of src) {
        statements.push(s);
        locations.push(loc(file, block.pos));
      }
    }
    const blocks = this.blocks(block.body, "statement", scope, file);
    if (blocks instanceof Unknown) return blocks;
    for (const st of blocks) {
      const s = this.policyStatement(st.body, st.scope, st.file);
      if (s instanceof Unknown) return s;
      const sid = isObj(s) ? s.Sid : undefined;
      const same = typeof sid === "string" ? statements.findIndex((x) => isObj(x) && x.Sid === sid) : -1;
      if (same >= 0) {
        statements[same] = s;
        locations[same] = loc(st.file, st.pos);
      } else {
        statements.push(s);
        locations.push(loc(st.file, st.pos));
      }
    }
    for (const name of ["override_policy_documents", "override_json"]) {
      const over = merged(name);
      if (over instanceof Unknown) return over;
      for (const s of over) {
        const sid = isObj(s) ? s.Sid : undefined;
        const same = typeof sid === "string" ? statements.findIndex((x) => isObj(x) && x.Sid === sid) : -1;
        if (same >= 0) statements[same] = s;
        else {
          statements.push(s);
          locations.push(loc(file, block.pos));
        }
      }
    }
    const version = this.attr(block.body, "version", scope, file) ?? "2012-10-17";
    const doc: Obj = { Version: version, Statement: statements };
    const policyId = this.attr(block.body, "policy_id", scope, file);
    if (policyId !== undefined) doc.Id = policyId;
    if (firstUnknown(doc)) {
      const partial = encodedWithUnknowns(doc);
      this.policyLocations.set(partial, locations);
      return partial;
    }
    const json = JSON.stringify(doc);
    this.policyLocations.set(json, locations);
    return json;
  }

  private policyStatement(body: Body, scope: Scope, file: string): Val {
    const s: Obj = {};
    const put = (key: string, attr: string) => {
      const v = this.attr(body, attr, scope, file);
      if (v !== undefined && v !== null) s[key] = v;
    };
    put("Sid", "sid");
    s.Effect = this.attr(body, "effect", scope, file) ?? "Allow";
    for (const [key, attr] of [
      ["Action", "actions"],
      ["NotAction", "not_actions"],
      ["Resource", "resources"],
      ["NotResource", "not_resources"],
    ] as const)
      put(key, attr);
    for (const [key, type] of [
      ["Principal", "principals"],
      ["NotPrincipal", "not_principals"],
    ] as const) {
      const blocks = this.blocks(body, type, scope, file);
      if (blocks instanceof Unknown) return blocks;
      if (blocks.length === 0) continue;
      const principal: Obj = {};
      let star = false;
      for (const p of blocks) {
        const t = this.attr(p.body, "type", p.scope, p.file);
        const ids = this.attr(p.body, "identifiers", p.scope, p.file);
        if (t instanceof Unknown) return t;
        if (ids instanceof Unknown) return ids;
        if (typeof t !== "string" || !Array.isArray(ids))
          return unknown(
            `a ${type} block (${p.file}:${p.pos.line}) needs type and identifiers`,
            loc(p.file, p.pos),
          );
        if (t === "*") {
          star = true;
          continue;
        }
        const existing = principal[t];
        principal[t] = [...(Array.isArray(existing) ? existing : []), ...ids];
      }
      s[key] = star && Object.keys(principal).length === 0 ? "*" : principal;
    }
    const conditions = this.blocks(body, "condition", scope, file);
    if (conditions instanceof Unknown) return conditions;
    if (conditions.length > 0) {
      const cond: Obj = {};
      for (const c of conditions) {
        const test = this.attr(c.body, "test", c.scope, c.file);
        const variable = this.attr(c.body, "variable", c.scope, c.file);
        const values = this.attr(c.body, "values", c.scope, c.file);
        for (const v of [test, variable, values]) if (v instanceof Unknown) return v;
        if (typeof test !== "string" || typeof variable !== "string")
          return unknown(
            `a condition block (${c.file}:${c.pos.line}) needs test and variable`,
            loc(c.file, c.pos),
          );
        const byKey = isObj(cond[test]) ? (cond[test] as Obj) : {};
        byKey[variable] = values ?? [];
        cond[test] = byKey;
      }
      s.Condition = cond;
    }
    return s;
  }
}

/** A module call whose module is not read (not local, not downloaded): what is handed to it may be used there. */
export class UnreadModule extends Unknown {}

/** The module names from the root to a module instance: `module.a[0].module.b.` → `["a", "b"]`. */
function callPath(mod: ModuleInstance): string[] {
  return mod.prefix
    .replace(/\[[^\]]*\]/g, "")
    .split(".")
    .filter((part, i, parts) => parts[i - 1] === "module" && part !== "");
}

function readModuleManifest(host: EvalHost, rootDir: string): Map<string, string> | undefined {
  const path = resolve(rootDir, ".terraform", "modules", "modules.json");
  if (!existsSync(path)) return undefined;
  const text = host.readText(path);
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as { Modules?: { Key?: unknown; Dir?: unknown }[] };
    const out = new Map<string, string>();
    for (const m of Array.isArray(parsed.Modules) ? parsed.Modules : []) {
      if (typeof m?.Key === "string" && m.Key !== "" && typeof m.Dir === "string") out.set(m.Key, m.Dir);
    }
    return out;
  } catch {
    return undefined;
  }
}

export function loc(file: string, pos: Pos): SourceLocation {
  return { file, line: pos.line, column: pos.column, endLine: pos.endLine, endColumn: pos.endColumn };
}

export function reasonOf(u: Unknown): string {
  return u.reason;
}

/** Key/value pairs of a map, or index/value pairs of a list (`for_each` needs a map or a set of strings). */
function iterate(v: Val, forEach = false): [Val, Val][] | Unknown {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) {
    const u = forEach ? v.find((x) => x instanceof Unknown) : undefined;
    if (u instanceof Unknown) return u;
    if (forEach) {
      if (!v.every((x) => typeof x === "string")) return unknown("for_each needs a map or a set of strings");
      return v.map((x) => [x, x]);
    }
    return v.map((x, i) => [i, x]);
  }
  if (isObj(v))
    return Object.keys(v)
      .sort()
      .map((k) => [k, v[k] ?? null]);
  if (v === null) return unknown("the collection is null");
  return unknown(`${typeName(v)} cannot be iterated`);
}

/** Equality of two known values; undefined when placeholders make it undecidable. */
function equalValues(a: Val, b: Val): boolean | undefined {
  const ja = JSON.stringify(a);
  const jb = JSON.stringify(b);
  if (ja === jb) return true;
  if (hasPlaceholder(ja) || hasPlaceholder(jb)) return undefined;
  // Terraform compares 1 and "1" as different types: false.
  return false;
}

/** Terraform converts variable values to the declared type: `"true"` for a bool, `"5"` for a number. */
function convertToType(v: Val, type: string | undefined): Val {
  if (!type) return v;
  const t = type.trim();
  if (t === "bool" && typeof v === "string") return booleanOfText(TERRAFORM, v) ?? v;
  if (t === "number" && typeof v === "string") return numberOfText(TERRAFORM, v) ?? v;
  if (t === "string" && (typeof v === "number" || typeof v === "boolean")) return String(v);
  return v;
}

function joinPath(dir: string, rel: string): string {
  return resolve(dir, rel);
}
