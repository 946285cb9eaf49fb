import {
  CelScalar,
  celEnv,
  celFunc,
  celList,
  celMap,
  isCelError,
  isCelList,
  isCelMap,
  parse,
  plan,
} from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
import type { Expr } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";
import { Unknown } from "../model/index.js";
import { matchesWildcard, type Wildcard, wildcard } from "../model/wildcard.js";
import {
  charge,
  EVALUATION_BUDGET,
  meterComprehensions,
  metered,
  meteredEnv,
  RANGE_FUNCTION,
} from "./cel-budget.js";
import { bindRoots, ROOT_FUNCTION } from "./cel-roots.js";
import { staticType } from "./cel-static.js";

/**
 * The rule language: CEL (https://cel.dev) through @bufbuild/cel, a sandboxed evaluator with no I/O.
 *
 * Unknown inputs are left out of the data a rule sees, so reading one is a CEL error. CEL's logic absorbs errors
 * where the result does not depend on them (`true || x`, `false && x`, `exists` with a true element) and propagates
 * them otherwise: a rule whose result depends on an unknown input is `unknown`, never `pass`. Because a left-out
 * field would make `has()` false, rules may not use `has()`: every known field is present (null when unset).
 */

/** IAM-style: `*` any run of characters, `?` exactly one. */
export function globMatch(pattern: string, text: string, onWork?: (comparisons: number) => void): boolean {
  return matchesWildcard(globPattern(pattern), text, onWork);
}

/**
 * Short patterns compiled lately are kept: rules match the same policy actions and resources against several
 * texts. Patterns come from inputs, so the cache is bounded in entries and in their length.
 */
const GLOB_PATTERNS_KEPT = 256;
const GLOB_PATTERN_KEPT_LENGTH = 256;
const globPatterns = new Map<string, Wildcard>();

function globPattern(pattern: string): Wildcard {
  let compiled = globPatterns.get(pattern);
  if (compiled === undefined) {
    compiled = wildcard(pattern, { anyOne: true });
    if (pattern.length > GLOB_PATTERN_KEPT_LENGTH) return compiled;
    if (globPatterns.size >= GLOB_PATTERNS_KEPT)
      globPatterns.delete(globPatterns.keys().next().value as string);
    globPatterns.set(pattern, compiled);
  }
  return compiled;
}

/** How many compiled glob patterns are kept (for tests of the bound). */
export function keptGlobPatterns(): number {
  return globPatterns.size;
}

/** Custom functions (documented in docs/rules.md): few, pure, tested. */
const customFunctions = [
  // IAM-style wildcard match: `*` any run of characters, `?` one character; case-sensitive like IAM actions after
  // lower-casing by the caller where IAM is case-insensitive. Its work is charged to the evaluation budget.
  celFunc("globMatch", [CelScalar.STRING, CelScalar.STRING], CelScalar.BOOL, (pattern, text) =>
    globMatch(pattern, text, charge),
  ),
  // True when any pattern of the list matches the text with globMatch semantics.
  celFunc("anyGlobMatch", [CelScalar.DYN, CelScalar.STRING], CelScalar.BOOL, (patterns, text) => {
    if (!isCelList(patterns)) return false;
    for (const p of patterns) if (typeof p === "string" && globMatch(p, text, charge)) return true;
    return false;
  }),
  // Inserted around the range of each macro (never written by rules): charges its iterations to the budget.
  celFunc(RANGE_FUNCTION, [CelScalar.DYN], CelScalar.DYN, (range) => range),
  // Inserted around the variable each field path starts from (never written by rules): see cel-roots.ts.
  celFunc(ROOT_FUNCTION, [CelScalar.DYN], CelScalar.DYN, (root) => root),
];

const env = meteredEnv(celEnv({ funcs: [...strings, ...customFunctions] }));

/** CEL's own type identifiers, which a name resolves to when no variable has it. */
const CEL_TYPE_NAMES = new Set([
  "int",
  "uint",
  "double",
  "bool",
  "string",
  "bytes",
  "list",
  "map",
  "null_type",
  "type",
]);

/** Whether the evaluation could resolve a name to a type or an enum (of CEL or of its registry). */
const namesType = (name: string) =>
  CEL_TYPE_NAMES.has(name) ||
  env.registry.getMessage(name) !== undefined ||
  env.registry.getEnum(name) !== undefined;

export type Bindings = Record<string, unknown>;

export type Outcome =
  | { kind: "value"; value: unknown }
  | { kind: "unknown"; unknownIds: number[] }
  | { kind: "error"; message: string };

export interface CompiledExpression {
  source: string;
  /** The result's CEL type when the expression's shape fixes it (`1` is an int), else undefined. */
  resultType?: string;
  /**
   * The parsed expression with comprehension ranges wrapped by the meter, for checks at load. (What is planned also
   * has field paths bound to their roots: cel-roots.ts.)
   */
  ast: Expr;
  evaluate(prepared: PreparedBindings): Outcome;
}

/** Bindings converted to CEL input once, then shared by every rule evaluated against them. */
export interface PreparedBindings {
  values: Record<string, never>;
  unknowns: UnknownTable;
  /**
   * Outcomes of the expressions evaluated on these bindings, by budget and text: rules that share a condition
   * (`bucket.isTrailBucket`) evaluate it once per resource.
   */
  outcomes: Map<string, Outcome>;
}

/**
 * `reads`, when given, are the names the expressions use: fields of other names are left out of the conversion (a
 * rule cannot read them), which keeps evaluation cheap on large resources.
 */
export function prepare(bindings: Bindings, reads?: ReadonlySet<string>): PreparedBindings {
  const unknowns = new UnknownTable();
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(bindings)) {
    if (reads && !reads.has(name)) continue;
    const converted = toCel(value, [name], unknowns, reads);
    if (converted !== OMIT) values[name] = converted;
  }
  return { values: values as Record<string, never>, unknowns, outcomes: new Map() };
}

/**
 * The prepared bindings with the list at `steps` of binding `name` replaced by `list`: how a failing finding judges
 * a list's items one at a time. Only the new list is converted; the maps along the way are copied, the rest is shared.
 * `steps` must lead through maps of the binding's view to a list.
 */
export function withListAt(
  prepared: PreparedBindings,
  name: string,
  steps: readonly string[],
  list: readonly unknown[],
  reads?: ReadonlySet<string>,
): PreparedBindings {
  if (reads && !reads.has(name)) return prepared;
  const prefix = [name, ...steps].join(".");
  const unknowns = new UnknownTable();
  // Unknowns recorded under the replaced list are gone with it; the new list's are recorded again.
  for (const entry of prepared.unknowns.entries) {
    const under = entry.path.startsWith(prefix) && /^$|^[.[]/.test(entry.path.slice(prefix.length));
    if (!under) unknowns.entries.push(entry);
  }
  const replace = (value: unknown, depth: number): unknown => {
    const step = steps[depth];
    if (step === undefined) return toCel(list, [prefix], unknowns, reads);
    if (!isCelMap(value) || (reads && !reads.has(step))) return value;
    const copy = new Map(value as ReadonlyMap<unknown, unknown>);
    const replaced = replace(value.get(step), depth + 1);
    if (replaced === OMIT) copy.delete(step);
    else copy.set(step, replaced);
    return celMap(copy as never);
  };
  const values: Record<string, unknown> = { ...prepared.values };
  const replaced = replace(values[name], 0);
  if (replaced === OMIT) delete values[name];
  else values[name] = replaced;
  return { values: values as Record<string, never>, unknowns, outcomes: new Map() };
}

/**
 * Throws with the CEL parser's message when the expression does not parse or uses `has()`. Each evaluation may
 * spend `budget` cost units (see cel-budget.ts); beyond that it is an error. `parsed`, when given, is the
 * expression's syntax tree as the parser made it (stored by the build), which is then not parsed again.
 */
export function compile(source: string, budget = EVALUATION_BUDGET, parsed?: Expr): CompiledExpression {
  if (/\bhas\s*\(/.test(source)) {
    throw new Error(
      "has() is not supported: every field is present (null when unset); compare with null instead",
    );
  }
  const expr = parsed ?? parse(source).expr;
  if (!expr) throw new Error("the expression is empty");
  const resultType = staticType(expr);
  meterComprehensions(expr);
  const program = plan(env, bindRoots(expr, namesType));
  const run = (prepared: PreparedBindings): Outcome => {
    // CEL reports a missing (unknown) input by constructing an Error; its stack trace is never read.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    let ran: { result: ReturnType<typeof program>; exceeded: boolean };
    try {
      ran = metered(budget, () => program(prepared.values));
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    // Out of budget is an error even where CEL's logic would have absorbed it: the rule asked for too much.
    if (ran.exceeded)
      return { kind: "error", message: `it exceeded the evaluation budget of ${budget} cost units` };
    const result = ran.result;
    if (!isCelError(result)) return { kind: "value", value: result };
    const ids = referencedUnknowns(words, prepared.unknowns);
    if (ids.length > 0) return { kind: "unknown", unknownIds: ids };
    return { kind: "error", message: result.message };
  };
  const words = wordsOf(source);
  const key = `${budget}\u0000${source}`;
  return {
    source,
    ...(resultType ? { resultType } : {}),
    ast: expr,
    evaluate(prepared) {
      let outcome = prepared.outcomes.get(key);
      if (outcome === undefined) {
        outcome = run(prepared);
        prepared.outcomes.set(key, outcome);
      }
      return outcome;
    },
  };
}

/** The identifiers an expression's text holds: what it may read, found without parsing it. */
export function wordsOf(source: string): ReadonlySet<string> {
  return new Set(source.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []);
}

/**
 * The same expression, compiled when first used: for expressions already checked when the built-in packs were
 * built (precompiled.ts), so that rules never evaluated in a scan cost nothing at start-up.
 */
export function compileOnUse(
  source: string,
  parsed?: () => Expr,
  budget = EVALUATION_BUDGET,
): CompiledExpression {
  let compiled: CompiledExpression | undefined;
  const get = () => {
    compiled ??= compile(source, budget, parsed?.());
    return compiled;
  };
  return {
    source,
    get resultType() {
      return get().resultType;
    },
    get ast() {
      return get().ast;
    },
    evaluate: (prepared) => get().evaluate(prepared),
  };
}

/** Registry of the unknown inputs bound for one evaluation, so that a result can name them. */
export class UnknownTable {
  readonly entries: { path: string; reason: string }[] = [];
  /** Each entry's path as its names (`account`, `trails`, `isLogging`), split when first asked for. */
  private readonly names: (readonly string[] | undefined)[] = [];
  add(path: string, value: Unknown): number {
    this.entries.push({ path, reason: value.reason });
    return this.entries.length - 1;
  }
  namesOf(id: number): readonly string[] {
    let names = this.names[id];
    if (names === undefined) {
      names = (this.entries[id]?.path ?? "").replace(/\[\d+\]/g, "").split(".");
      this.names[id] = names;
    }
    return names;
  }
}

/**
 * The unknown inputs an expression reads: those whose every path segment (`account`, `trails`, `isLogging`) is a
 * word of the expression. CEL's error tells that some input was missing, not which; this names them all.
 */
function referencedUnknowns(words: ReadonlySet<string>, table: UnknownTable): number[] {
  const ids: number[] = [];
  for (let id = 0; id < table.entries.length; id++) {
    if (table.namesOf(id).every((name) => words.has(name))) ids.push(id);
  }
  return ids;
}

const OMIT = Symbol("unknown");

/**
 * The path to a value being converted, from the binding's name: field names and list indexes. It is written out
 * (`bucket.policy.statements[0]`) only for an unknown: most values are known, and their paths are never shown.
 */
type PathSteps = (string | number)[];

function pathText(path: PathSteps): string {
  let text = String(path[0]);
  for (let i = 1; i < path.length; i++) {
    const step = path[i];
    text += typeof step === "number" ? `[${step}]` : `.${step}`;
  }
  return text;
}

/**
 * Plain data → CEL values, once per binding (CEL would otherwise convert plain objects on every access): objects
 * become maps, arrays lists, numbers doubles, `undefined` null. An `Unknown` is
 * left out (and recorded); a list holding an unknown element is unknown as a whole, so that no quantifier over it
 * can pass on the elements that happen to be known.
 */
function toCel(
  value: unknown,
  path: PathSteps,
  unknowns: UnknownTable,
  reads?: ReadonlySet<string>,
): unknown {
  // Most values are scalars: they are told apart first, by one test.
  if (typeof value !== "object") return value === undefined ? null : value;
  if (value === null) return null;
  if (value instanceof Unknown) {
    unknowns.add(pathText(path), value);
    return OMIT;
  }
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      const item = toCel(value[i], path, unknowns, reads);
      path.pop();
      if (item === OMIT) {
        unknowns.add(
          pathText(path),
          new Unknown(`an element is unknown: ${unknowns.entries.at(-1)?.reason}`),
        );
        return OMIT;
      }
      items.push(item);
    }
    return celList(items as never[]);
  }
  const out = new Map<string, unknown>();
  for (const key in value) {
    if (reads && !reads.has(key)) continue;
    path.push(key);
    const converted = toCel((value as Record<string, unknown>)[key], path, unknowns, reads);
    path.pop();
    if (converted !== OMIT) out.set(key, converted);
  }
  return celMap(out as never);
}
