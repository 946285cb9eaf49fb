import { type CelEnv, isCelList, isCelMap, type parse } from "@bufbuild/cel";
import { insertedCall, ROOT_FUNCTION } from "./cel-roots.js";

/**
 * A cost bound for one CEL evaluation. CEL always terminates, but a custom pack can still ask for work or memory
 * that grows exponentially with the length of the expression (nested macros over lists they build, a list or string
 * doubled at each nesting level, wide wildcard matches). Every evaluation gets a budget of cost units: each
 * iteration of a macro costs one (charged when the macro starts, for every element it may visit), each function
 * call one plus the size of the data it has to walk or build.
 * Running out aborts the evaluation, which the engine reports as a rule error.
 *
 * Sizes: a string costs its length, a list or map its number of entries; functions that compare or print whole
 * values (`==` and `!=` between two collections, `in`, `format`) cost the values' full nested size. Concatenation costs the smaller operand
 * (plus one): appending is cheap, doubling is not, so no list or string can outgrow the inputs plus the budget.
 */
export const EVALUATION_BUDGET = 100_000;

export class BudgetExceeded extends Error {
  constructor(readonly limit: number) {
    super(`it exceeded the evaluation budget of ${limit} cost units`);
  }
}

interface Meter {
  limit: number;
  remaining: number;
}

let meter: Meter | undefined;

/** Runs `evaluate` with a fresh budget; tells whether the budget ran out during it. */
export function metered<T>(limit: number, evaluate: () => T): { result: T; exceeded: boolean } {
  const outer = meter;
  const own: Meter = { limit, remaining: limit };
  meter = own;
  try {
    try {
      return { result: evaluate(), exceeded: own.remaining < 0 };
    } catch (error) {
      if (error instanceof BudgetExceeded) return { result: undefined as T, exceeded: true };
      throw error;
    }
  } finally {
    meter = outer;
  }
}

/** Spends cost units of the running evaluation (none outside one). Throws once the budget is spent. */
export function charge(units: number): void {
  if (!meter) return;
  meter.remaining -= units;
  if (meter.remaining < 0) throw new BudgetExceeded(meter.limit);
}

function remaining(): number {
  return meter ? Math.max(meter.remaining, 0) : Number.POSITIVE_INFINITY;
}

/**
 * The environment's functions, metered: each call is charged once (whatever overload runs) before it runs, and its
 * result's size after. Built over the library's own resolver, so every standard and extension function is covered.
 */
export function meteredEnv(base: CelEnv): CelEnv {
  const groups = new Map<string, FuncGroup | undefined>();
  const funcs = {
    find(name: string) {
      if (!groups.has(name)) groups.set(name, meteredGroup(name, base.funcs.find(name)));
      return groups.get(name);
    },
    [Symbol.iterator]: () => base.funcs[Symbol.iterator](),
  };
  return {
    namespace: base.namespace,
    registry: base.registry,
    variables: base.variables,
    funcs,
  } as unknown as CelEnv;
}

type FuncGroup = NonNullable<ReturnType<CelEnv["funcs"]["find"]>>;

function meteredGroup(name: string, group: FuncGroup | undefined): FuncGroup | undefined {
  if (!group) return undefined;
  // The functions inserted by trailguard return their one argument: answered here, without the library's overload
  // dispatch and value conversion, which would cost more than the field access or the macro they stand beside.
  if (name === ROOT_FUNCTION) return identity(group, () => 0);
  if (name === RANGE_FUNCTION) return identity(group, (range) => 1 + shallowSize(range));
  const cost = costOf(name);
  const resultCharged = name !== "_+_";
  return Object.assign(Object.create(group) as FuncGroup, {
    call(id: number, target: never, args: never[]) {
      if (!meter) return group.call(id, target, args);
      charge(cost(target, args));
      const result = group.call(id, target, args);
      // A function that charged from inside (globMatch) returns an error value; the evaluation still stops here.
      if (meter.remaining < 0) throw new BudgetExceeded(meter.limit);
      if (resultCharged) charge(shallowSize(result));
      return result;
    },
  });
}

type Cost = (target: unknown, args: unknown[]) => number;

/** A group for a function of one argument that returns it, charging `cost` of it to the running evaluation. */
function identity(group: FuncGroup, cost: (argument: unknown) => number): FuncGroup {
  return Object.assign(Object.create(group) as FuncGroup, {
    call(_id: number, target: never, args: never[]) {
      if (target !== undefined || args.length !== 1) return undefined;
      charge(cost(args[0]));
      return args[0];
    },
  });
}

const DEEP = new Set(["@in", "format"]);

function costOf(name: string): Cost {
  // Arguments are read by index: destructuring would go through the array iterator on every call.
  if (name === "_+_") return (_t, args) => 1 + Math.min(shallowSize(args[0]), shallowSize(args[1]));
  if (name === "size") return () => 1;
  if (name === "replace") return (t, args) => 1 + shallowSize(t) * Math.max(1, shallowSize(args[1]));
  if (name === "join")
    return (t, args) => {
      const separator = args[0];
      let total = 1;
      if (isCelList(t)) for (const item of t) total += shallowSize(item) + shallowSize(separator);
      return total;
    };
  // Comparing with a scalar (null, a string) stops at the first level, whatever the other side holds.
  if (name === "_==_" || name === "_!=_")
    return (_t, args) => {
      const a = args[0];
      const b = args[1];
      return isObject(a) && isObject(b) ? 1 + fullSize(a) + fullSize(b) : 1 + scalarSize(a) + scalarSize(b);
    };
  if (DEEP.has(name))
    return (t, args) => {
      let total = 1 + (t === undefined ? 0 : fullSize(t));
      for (let i = 0; i < args.length; i++) total += fullSize(args[i]);
      return total;
    };
  return (t, args) => {
    let total = 1 + (t === undefined ? 0 : shallowSize(t));
    for (let i = 0; i < args.length; i++) total += shallowSize(args[i]);
    return total;
  };
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null;
}

function scalarSize(value: unknown): number {
  return typeof value === "string" ? value.length : 1;
}

function fullSize(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (typeof value !== "object" || value === null) return 1;
  return deepSize(value, remaining() + 1);
}

function shallowSize(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (isCelList(value) || isCelMap(value)) return value.size;
  return 1;
}

/** Full nested size, counting stops at `cap` (the walk itself is bounded by the budget left). */
function deepSize(value: unknown, cap: number): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0 && total < cap) {
    const item = stack.pop();
    total += shallowSize(item);
    if (isCelList(item)) for (const element of item) stack.push(element);
    else if (isCelMap(item)) for (const key of item.keys()) stack.push(item.get(key as never));
  }
  return total;
}

type Expr = NonNullable<ReturnType<typeof parse>["expr"]>;

/**
 * Name of the function inserted around the list (or map) each macro iterates over: it charges one unit per element
 * before the iteration starts, so a macro costs its iterations without a call per iteration.
 */
export const RANGE_FUNCTION = "@trailguard.range";

/** Rewrites the parsed expression so that the iterations of every macro (comprehension) are charged. */
export function meterComprehensions(expr: Expr | undefined): void {
  if (!expr) return;
  const kind = expr.exprKind;
  switch (kind.case) {
    case "comprehensionExpr": {
      const c = kind.value;
      for (const part of [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result])
        meterComprehensions(part);
      if (c.iterRange) c.iterRange = insertedCall(RANGE_FUNCTION, c.iterRange);
      return;
    }
    case "callExpr":
      meterComprehensions(kind.value.target);
      for (const arg of kind.value.args) meterComprehensions(arg);
      return;
    case "selectExpr":
      meterComprehensions(kind.value.operand);
      return;
    case "listExpr":
      for (const element of kind.value.elements) meterComprehensions(element);
      return;
    case "structExpr":
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === "mapKey") meterComprehensions(entry.keyKind.value);
        meterComprehensions(entry.value);
      }
      return;
    default:
      return;
  }
}
