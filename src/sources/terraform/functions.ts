import { append, Unknown, unknown } from "../../model/index.js";
import { booleanOfText, numberOfText } from "../fields.js";
import {
  encodedWithUnknowns,
  firstUnknown,
  fromPlain,
  isEncodedJson,
  isList,
  isObj,
  type Obj,
  Rejected,
  TERRAFORM,
  typeName,
  type Val,
} from "./values.js";

/**
 * The pure Terraform functions trailguard evaluates. Each gets evaluated arguments; an Unknown argument gives an
 * Unknown result (the caller words the reason). Functions not listed here make the expression Unknown.
 */
type Fn = (args: Val[]) => Val;

const str = (v: Val): string | undefined =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;

/** Terraform rejects the call (see `Rejected`). */
const fail = (message: string): Unknown => new Rejected(message);
/** Terraform accepts the call, but trailguard does not compute it. */
const notEvaluated = (message: string): Unknown => unknown(message);

function needStrings(args: Val[], name: string): string[] | Unknown {
  const out: string[] = [];
  for (const a of args) {
    if (a instanceof Unknown) return a;
    const s = str(a);
    if (s === undefined) return fail(`${name}() expects strings, got ${typeName(a)}`);
    out.push(s);
  }
  return out;
}

function flatten(v: Val[]): Val[] {
  const out: Val[] = [];
  for (const item of v) {
    if (Array.isArray(item)) append(out, flatten(item));
    else out.push(item);
  }
  return out;
}

function format(spec: string, args: Val[]): Val {
  let i = 0;
  let bad: Unknown | undefined;
  const text = spec.replace(/%(%|[-+ #0-9.]*[sdvqtfx])/g, (m, verb: string) => {
    if (verb === "%") return "%";
    const arg = args[i++];
    if (arg === undefined) {
      bad ??= fail(`format(): not enough arguments for ${m}`);
      return "";
    }
    const letter = verb[verb.length - 1];
    if (letter === "q") return JSON.stringify(str(arg) ?? "");
    if (letter === "d" && typeof arg === "number") return String(Math.trunc(arg));
    if (letter === "v" && (isObj(arg) || isList(arg))) return JSON.stringify(arg);
    const s = str(arg);
    if (s === undefined || verb.length > 1) {
      bad ??= notEvaluated(`format(): verb ${m} with ${typeName(arg)} is not evaluated`);
      return "";
    }
    return s;
  });
  return bad ?? text;
}

function equal(a: Val, b: Val): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const FUNCTIONS: Record<string, Fn> = {
  concat: (args) => {
    const out: Val[] = [];
    for (const a of args) {
      if (!Array.isArray(a)) return fail(`concat() expects lists, got ${typeName(a)}`);
      for (const item of a) out.push(item);
    }
    return out;
  },
  format: ([spec, ...rest]) =>
    typeof spec === "string" ? format(spec, rest) : fail("format() needs a string"),
  join: ([sep, ...lists]) => {
    if (typeof sep !== "string") return fail("join() needs a separator string");
    const items: Val[] = [];
    for (const l of lists) {
      if (!Array.isArray(l)) return fail(`join() expects lists, got ${typeName(l)}`);
      append(items, l);
    }
    const strings = needStrings(items, "join");
    return strings instanceof Unknown ? strings : strings.join(sep);
  },
  // The argument of a sensitive value is already redacted: nonsensitive() cannot reveal it.
  nonsensitive: ([v]) => v ?? null,
  lower: ([s]) => (typeof s === "string" ? s.toLowerCase() : fail("lower() needs a string")),
  upper: ([s]) => (typeof s === "string" ? s.toUpperCase() : fail("upper() needs a string")),
  trimspace: ([s]) => (typeof s === "string" ? s.trim() : fail("trimspace() needs a string")),
  tostring: ([v]) => {
    if (v === null) return null;
    return (v === undefined ? undefined : str(v)) ?? fail(`tostring() cannot convert ${typeName(v ?? null)}`);
  },
  tonumber: ([v]) => {
    if (v === null || typeof v === "number") return v ?? null;
    const n = typeof v === "string" ? numberOfText(TERRAFORM, v) : undefined;
    return n ?? fail(`tonumber() cannot convert ${JSON.stringify(v)}`);
  },
  tobool: ([v]) => {
    if (v === null || typeof v === "boolean") return v ?? null;
    const b = typeof v === "string" ? booleanOfText(TERRAFORM, v) : undefined;
    return b ?? fail(`tobool() cannot convert ${JSON.stringify(v)}`);
  },
  tolist: ([v]) =>
    Array.isArray(v) ? v : fail(`tolist() expects a list or set, got ${typeName(v ?? null)}`),
  toset: ([v]) => {
    if (!Array.isArray(v)) return fail(`toset() expects a list, got ${typeName(v ?? null)}`);
    const seen = new Set<string>();
    const out: Val[] = [];
    for (const item of v) {
      const key = JSON.stringify(item);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
    return out;
  },
  tomap: ([v]) => (isObj(v) ? v : fail(`tomap() expects an object, got ${typeName(v ?? null)}`)),
  merge: (args) => {
    const out: Obj = {};
    for (const a of args) {
      if (a === null) continue;
      if (!isObj(a)) return fail(`merge() expects objects, got ${typeName(a)}`);
      Object.assign(out, a);
    }
    return out;
  },
  lookup: ([m, key, fallback]) => {
    if (!isObj(m) || typeof key !== "string") return fail("lookup() needs an object and a key");
    if (key in m) return m[key] ?? null;
    return fallback === undefined ? fail(`lookup(): key ${JSON.stringify(key)} is absent`) : fallback;
  },
  length: ([v]) => {
    if (typeof v === "string") return [...v].length;
    if (Array.isArray(v)) return v.length;
    if (isObj(v)) return Object.keys(v).length;
    return fail(`length() of ${typeName(v ?? null)}`);
  },
  element: ([l, i]) => {
    if (!Array.isArray(l) || typeof i !== "number" || l.length === 0)
      return fail("element() needs a list and an index");
    return l[Math.trunc(i) % l.length] ?? null;
  },
  coalesce: (args) => {
    for (const a of args) if (a !== null && a !== "") return a;
    return fail("coalesce(): every argument is null or empty");
  },
  compact: ([l]) =>
    Array.isArray(l) ? l.filter((v) => v !== null && v !== "") : fail("compact() needs a list"),
  distinct: ([l]) => (Array.isArray(l) ? (FUNCTIONS.toset?.([l]) ?? null) : fail("distinct() needs a list")),
  flatten: ([l]) => (Array.isArray(l) ? flatten(l) : fail("flatten() needs a list")),
  keys: ([m]) => (isObj(m) ? Object.keys(m).sort() : fail("keys() needs an object")),
  values: ([m]) =>
    isObj(m)
      ? Object.keys(m)
          .sort()
          .map((k) => m[k] ?? null)
      : fail("values() needs an object"),
  contains: ([l, v]) =>
    Array.isArray(l) ? l.some((x) => equal(x, v ?? null)) : fail("contains() needs a list"),
  split: ([sep, s]) =>
    typeof sep === "string" && typeof s === "string" ? s.split(sep) : fail("split() needs two strings"),
  replace: ([s, find, repl]) => {
    if (typeof s !== "string" || typeof find !== "string" || typeof repl !== "string")
      return fail("replace() needs strings");
    if (find.startsWith("/") && find.endsWith("/") && find.length > 1)
      return notEvaluated("replace() with a regular expression is not evaluated");
    return s.split(find).join(repl);
  },
  zipmap: ([ks, vs]) => {
    if (!Array.isArray(ks) || !Array.isArray(vs)) return fail("zipmap() needs two lists");
    const out: Obj = {};
    for (const [i, k] of ks.entries()) {
      if (typeof k !== "string") return fail("zipmap() keys must be strings");
      out[k] = vs[i] ?? null;
    }
    return out;
  },
  jsondecode: ([s]) => {
    if (isEncodedJson(s)) return { ...s };
    if (typeof s !== "string") return fail("jsondecode() needs a string");
    try {
      return fromPlain(JSON.parse(s));
    } catch (err) {
      return fail(`jsondecode(): ${(err as Error).message}`);
    }
  },
  jsonencode: ([v]) => {
    const u = firstUnknown(v);
    if (u) return isObj(v) ? encodedWithUnknowns(v) : u;
    return JSON.stringify(v ?? null);
  },
  list: (args) => args,
  min: (args) =>
    args.every((a) => typeof a === "number") ? Math.min(...(args as number[])) : fail("min() needs numbers"),
  max: (args) =>
    args.every((a) => typeof a === "number") ? Math.max(...(args as number[])) : fail("max() needs numbers"),
};
