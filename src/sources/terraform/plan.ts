import { dirname } from "node:path";
import type { InputError, InputErrorCode, SourceLocation } from "../../model/index.js";
import { append, type Unknown, unknown } from "../../model/index.js";
import {
  emptyFragment,
  type GroupReadContext,
  type InventoryFragment,
  type SourceFileRef,
} from "../fragment.js";
import { JsonSyntaxError, LocatedJson, plainOf } from "../json.js";
import { LineIndex } from "../line-index.js";
import { attribute, type Block, type HclFile } from "./ast.js";
import { loc } from "./evaluate.js";
import type { Got, Src } from "./fields.js";
import { TERRAFORM_JSON_MAX_DEPTH } from "./json-syntax.js";
import { mapResources, READ_TYPES, type ResourceRecord } from "./map.js";
import { FileSet } from "./module.js";
import { readSuppressions } from "./suppressions.js";
import { fromPlain, isObj, placeholder, redact, type Val } from "./values.js";

const LOOKS_LIKE_PLAN =
  /"format_version"[\s\S]*"(?:planned_values|resource_changes)"|"(?:planned_values|resource_changes)"[\s\S]*"format_version"/;

/** `aws_s3_bucket` arguments that providers since v4 compute when the configuration leaves them out. */
const COMPUTED_LEGACY = new Set([
  "acl",
  "grant",
  "policy",
  "versioning",
  "logging",
  "lifecycle_rule",
  "server_side_encryption_configuration",
  "object_lock_configuration",
  "website",
]);

/** Groups each plan JSON with the `.tf` files beside it; JSON that is not a plan is left to other readers. */
export function groupPlans(files: SourceFileRef[], ctx: GroupReadContext): SourceFileRef[][] {
  const groups: SourceFileRef[][] = [];
  const claimedDirs = new Set<string>();
  for (const f of files) {
    if (!f.path.endsWith(".json")) continue;
    const text = ctx.readText(f.absolutePath);
    if (text === undefined || !LOOKS_LIKE_PLAN.test(text.slice(0, 1 << 20))) continue;
    const dir = dirname(f.absolutePath);
    const beside = claimedDirs.has(dir)
      ? []
      : files.filter((t) => t.path.endsWith(".tf") && dirname(t.absolutePath) === dir);
    claimedDirs.add(dir);
    groups.push([f, ...beside]);
  }
  return groups;
}

type Json = Record<string, unknown>;

const asObj = (v: unknown): Json | undefined =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : undefined;
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Reads a plan: planned values, unknown-after-apply markers, references from the configuration. */
export function readPlan(group: SourceFileRef[], ctx: GroupReadContext): InventoryFragment {
  const planRef = group[0];
  if (!planRef) return emptyFragment();
  const fail = (message: string, line = 1, code: InputErrorCode = "structure"): InventoryFragment => {
    const fragment = emptyFragment();
    fragment.errors.push({ code, file: planRef.path, line, column: 1, message, severity: "error" });
    return fragment;
  };
  const text = ctx.readText(planRef.absolutePath);
  if (text === undefined) return emptyFragment();
  let plan: Json;
  let lines: LineIndex;
  try {
    const parsed = LocatedJson.parse(planRef.path, text, { maxDepth: TERRAFORM_JSON_MAX_DEPTH });
    plan = asObj(plainOf(parsed.root)) ?? {};
    lines = parsed.lines;
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    const p = new LineIndex(text).position(err.offset);
    return fail(
      `the plan is not valid JSON: ${err.message} (line ${p.line}, column ${p.column})`,
      p.line,
      "syntax",
    );
  }
  const files = new FileSet(ctx);
  const tf = group
    .slice(1)
    .map((f) => files.parse(f.absolutePath))
    .filter((f): f is HclFile => f !== undefined);
  const declarations = new Map<string, Block>();
  for (const file of tf) {
    for (const b of file.body.blocks)
      if (b.type === "resource" && b.labels.length === 2)
        declarations.set(`${b.labels[0]}.${b.labels[1]}`, b);
  }

  const unknownMasks = new Map<string, unknown>();
  const sensitiveMasks = new Map<string, unknown>();
  for (const rc of asList(plan.resource_changes)) {
    const o = asObj(rc);
    const address = typeof o?.address === "string" ? o.address : undefined;
    if (address) {
      unknownMasks.set(address, asObj(o?.change)?.after_unknown);
      sensitiveMasks.set(address, asObj(o?.change)?.after_sensitive);
    }
  }
  const configs = new Map<string, Json>();
  const calls = new Map<string, Json>();
  collectConfig(asObj(asObj(plan.configuration)?.root_module), "", configs, calls);
  const planned = new Set<string>();
  collectAddresses(asObj(asObj(plan.planned_values)?.root_module), planned);

  const records: ResourceRecord[] = [];
  const errors: InputError[] = [];
  const lineOf = (offset: number) => lines.position(offset);
  const visit = (module: Json | undefined) => {
    if (!module) return;
    for (const r of asList(module.resources)) {
      const res = asObj(r);
      if (res?.mode !== "managed") continue;
      const type = String(res.type ?? "");
      const address = String(res.address ?? "");
      if (!READ_TYPES.has(type) || !address) continue;
      const baseAddress = address.replace(/\[[^\]]*\]$/, "");
      const config = configs.get(baseAddress.replace(/\[[^\]]*\]\./g, "."));
      const modulePrefix = baseAddress.slice(
        0,
        baseAddress.length - `${type}.${String(res.name ?? "")}`.length,
      );
      const decl = modulePrefix === "" ? declarations.get(`${type}.${String(res.name ?? "")}`) : undefined;
      const at = decl ? loc(decl.file, decl.pos) : planLocation(text, address, planRef.path, lineOf);
      const file = decl ? files.parsed.get(decl.file) : undefined;
      records.push({
        type,
        address,
        id: `${decl ? decl.file : planRef.path}#${address}`,
        src: new PlanSrc(
          address,
          asObj(res.values) ?? {},
          unknownMasks.get(address),
          at,
          {
            expressions: asObj(config?.expressions),
            prefix: modulePrefix,
            calls,
            planned,
            decl,
            legacyComputed: type === "aws_s3_bucket",
          },
          mergeMasks(res.sensitive_values, sensitiveMasks.get(address)),
        ),
        location: at,
        suppressions: file && decl ? readSuppressions(file, decl, errors) : [],
      });
    }
    for (const child of asList(module.child_modules)) visit(asObj(child));
  };
  visit(asObj(asObj(plan.planned_values)?.root_module));
  if (!asObj(plan.planned_values))
    errors.push({
      code: "structure",
      file: planRef.path,
      line: 1,
      column: 1,
      message: "the plan has no planned_values",
      severity: "warning",
    });
  const fragment = mapResources(records);
  fragment.errors = [...files.errors, ...errors, ...fragment.errors];
  return fragment;
}

/** Resource configurations by address, and module calls by the prefix of the module they call (no instance keys). */
function collectConfig(
  module: Json | undefined,
  prefix: string,
  out: Map<string, Json>,
  calls: Map<string, Json>,
): void {
  if (!module) return;
  for (const r of asList(module.resources)) {
    const o = asObj(r);
    if (o && typeof o.address === "string") out.set(`${prefix}${o.address}`, o);
  }
  for (const [name, call] of Object.entries(asObj(module.module_calls) ?? {})) {
    const childPrefix = `${prefix}module.${name}.`;
    const o = asObj(call);
    if (o) calls.set(childPrefix, o);
    collectConfig(asObj(o?.module), childPrefix, out, calls);
  }
}

function collectAddresses(module: Json | undefined, out: Set<string>): void {
  if (!module) return;
  for (const r of asList(module.resources)) {
    const address = asObj(r)?.address;
    if (typeof address === "string") out.add(address);
  }
  for (const child of asList(module.child_modules)) collectAddresses(asObj(child), out);
}

/** Attributes a created resource always has: a reference to one of them is a value certain to exist. */
const ALWAYS_SET = new Set(["id", "arn", "name", "bucket", "key_id"]);

/**
 * Arguments that name another resource. A plan gives an expression's references, not its shape, so only for these
 * is a lone reference taken as the whole value (a policy referring to a bucket's ARN is much more than the ARN).
 */
const NAMING_ARGUMENTS = new Set([
  "kms_key_id",
  "s3_bucket_name",
  "cloud_watch_logs_group_arn",
  "cloud_watch_logs_role_arn",
  "sns_topic_name",
  "bucket",
  "target_bucket",
  "target_key_id",
  "log_group_name",
  "topic_arn",
]);

/**
 * The references of a configuration expression, relative to the root: `var.x` inside a module is followed to the
 * expression the module call gives it, so a module's trail links to the key its caller created.
 */
function resolveRefs(refs: string[], prefix: string, calls: Map<string, Json>, depth = 0): string[] {
  const out: string[] = [];
  const base = prefix.replace(/\[[^\]]*\]/g, "");
  for (const r of refs) {
    const variable = /^var\.([^.[]+)/.exec(r);
    const call = variable && base !== "" ? calls.get(base) : undefined;
    if (variable && call && depth < 32) {
      const given = asObj(asObj(call.expressions)?.[variable[1] ?? ""]);
      const parent = base.replace(/module\.[^.]+\.$/, "");
      const inner = asList(given?.references).filter((x): x is string => typeof x === "string");
      append(out, resolveRefs(inner, parent, calls, depth + 1));
    } else out.push(`${base}${r}`);
  }
  return out;
}

/** The resource's entry in the plan's planned_values (its `"address"` key), or the file's start. */
function planLocation(
  text: string,
  address: string,
  file: string,
  lineOf: (offset: number) => { line: number; column: number },
): SourceLocation {
  const needle = `"address":${JSON.stringify(address)}`;
  let at = text.indexOf(needle);
  if (at < 0) at = text.indexOf(`"address": ${JSON.stringify(address)}`);
  if (at < 0) return { file, line: 1, column: 1 };
  const p = lineOf(at);
  return { file, line: p.line, column: p.column };
}

interface PlanContext {
  expressions: Json | undefined;
  /** Module path of the resource (`module.logs.`): configuration references are relative to it. */
  prefix: string;
  calls: Map<string, Json>;
  /** Addresses of the resources the plan creates or keeps. */
  planned: Set<string>;
  decl: Block | undefined;
  legacyComputed: boolean;
}

/** A resource (or nested block) of a plan: its planned values with unknown-after-apply parts as Unknown. */
class PlanSrc implements Src {
  constructor(
    readonly address: string,
    readonly values: Json,
    readonly mask: unknown,
    readonly loc: SourceLocation,
    readonly ctx: PlanContext | undefined,
    /** The plan's `sensitive_values` (and `after_sensitive`) for these values: what is redacted. */
    readonly sensitive: unknown = undefined,
  ) {}

  private configuredOut(name: string): boolean {
    // Since provider v4 these bucket arguments are computed: unless configured, the plan's value is not the user's.
    const c = this.ctx;
    return !!c?.legacyComputed && COMPUTED_LEGACY.has(name) && !!c.expressions && !(name in c.expressions);
  }

  private where(name: string): SourceLocation {
    const a = this.ctx?.decl ? attribute(this.ctx.decl.body, name) : undefined;
    return a ? loc(a.file, a.pos) : this.loc;
  }

  has(name: string): boolean {
    if (this.configuredOut(name)) return false;
    const v = this.values[name];
    return (
      (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) ||
      maskAt(this.mask, name) === true
    );
  }

  get(name: string): Got {
    const at = this.where(name);
    const refs = this.refs(name);
    if (this.configuredOut(name)) return { value: undefined, loc: at, refs };
    const m = maskAt(this.mask, name);
    if (m === true)
      return {
        value:
          (NAMING_ARGUMENTS.has(name) ? this.referenced(refs) : undefined) ??
          unknown(`${this.address}.${name} is known only after apply`, at),
        loc: at,
        refs,
      };
    const raw = this.values[name];
    if (raw === undefined) return { value: undefined, loc: at, refs };
    const path = `${this.address}.${name}`;
    const value = withUnknowns(fromPlain(raw), m, path, at);
    return { value: withSecrets(value, maskAt(this.sensitive, name), path, at), loc: at, refs };
  }

  blocks(type: string): Src[] | Unknown {
    if (this.configuredOut(type)) return [];
    const m = maskAt(this.mask, type);
    if (m === true) return unknown(`${this.address}.${type} is known only after apply`, this.where(type));
    const items = this.values[type];
    const list = Array.isArray(items) ? items : asObj(items) ? [items] : [];
    return list.map(
      (item, i) =>
        new PlanSrc(
          `${this.address}.${type}[${i}]`,
          asObj(item) ?? {},
          Array.isArray(m) ? m[i] : undefined,
          this.where(type),
          undefined,
          elementOf(maskAt(this.sensitive, type), i),
        ),
    );
  }

  private refs(name: string): string[] {
    const expr = asObj(this.ctx?.expressions?.[name]);
    const refs = asList(expr?.references).filter((r): r is string => typeof r === "string");
    return this.ctx ? resolveRefs(refs, this.ctx.prefix, this.ctx.calls) : refs;
  }

  /**
   * A value known only after apply whose expression is nothing but a reference to an always-set attribute of a
   * resource the plan creates (`aws_kms_key.trail.arn`): set, with a placeholder for its text. Any other reference
   * (a variable, a second resource) may change the value, so it stays unknown.
   */
  private referenced(refs: string[]): string | undefined {
    if (refs.length === 0) return undefined;
    const longest = refs.reduce((a, b) => (b.length > a.length ? b : a));
    if (!refs.every((r) => longest === r || longest.startsWith(`${r}.`) || longest.startsWith(`${r}[`)))
      return undefined;
    const cut = longest.lastIndexOf(".");
    const target = longest.slice(0, cut);
    if (!ALWAYS_SET.has(longest.slice(cut + 1)) || !this.ctx?.planned.has(target)) return undefined;
    return placeholder(longest);
  }
}

function maskAt(mask: unknown, name: string): unknown {
  return mask === true ? true : asObj(mask)?.[name];
}

/** Marked by either mask: planned_values' `sensitive_values` and resource_changes' `after_sensitive`. */
function mergeMasks(a: unknown, b: unknown): unknown {
  if (a === true || b === true) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    const x = Array.isArray(a) ? a : [];
    const y = Array.isArray(b) ? b : [];
    return Array.from({ length: Math.max(x.length, y.length) }, (_, i) => mergeMasks(x[i], y[i]));
  }
  const x = asObj(a);
  const y = asObj(b);
  if (!x && !y) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(x ?? {}), ...Object.keys(y ?? {})]))
    out[k] = mergeMasks(x?.[k], y?.[k]);
  return out;
}

/** A nested block's part of a mask: the i-th of a list, the whole of a single block, or all when all is masked. */
function elementOf(mask: unknown, i: number): unknown {
  if (mask === true) return true;
  return Array.isArray(mask) ? mask[i] : mask;
}

/** The values a `sensitive_values` mask marks, redacted (see `redact`). */
function withSecrets(v: Val, mask: unknown, path: string, at: SourceLocation): Val {
  if (mask === true) return redact(v, path, at);
  if (Array.isArray(v) && Array.isArray(mask))
    return v.map((item, i) => withSecrets(item, mask[i], `${path}[${i}]`, at));
  if (isObj(v) && asObj(mask)) {
    const out: Record<string, Val> = {};
    for (const [k, item] of Object.entries(v))
      out[k] = withSecrets(item, asObj(mask)?.[k], `${path}.${k}`, at);
    return out;
  }
  return v;
}

function withUnknowns(v: Val, mask: unknown, path: string, at: SourceLocation): Val {
  if (mask === true) return unknown(`${path} is known only after apply`, at);
  if (Array.isArray(v) && Array.isArray(mask))
    return v.map((item, i) => withUnknowns(item, mask[i], `${path}[${i}]`, at));
  if (isObj(v) && asObj(mask)) {
    const out: Record<string, Val> = {};
    for (const [k, item] of Object.entries(v))
      out[k] = withUnknowns(item, asObj(mask)?.[k], `${path}.${k}`, at);
    return out;
  }
  return v;
}
