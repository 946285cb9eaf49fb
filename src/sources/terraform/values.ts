import type { SourceLocation } from "../../model/index.js";
import { Unknown, unknown } from "../../model/index.js";
import { type Coercion, DECIMAL } from "../fields.js";

/** A statically evaluated HCL value. `Unknown` anywhere means that part could not be decided. */
export type Val = string | number | boolean | null | Val[] | Obj | Unknown;
export interface Obj {
  [key: string]: Val;
}

/**
 * Terraform's conversions (cty's, to the type of the provider's schema): numbers and booleans become their text
 * where a string is expected; a string becomes a number when it is a decimal number, and a boolean when it is
 * exactly `true`, `false`, `1` or `0`; `null` is the same as leaving the argument out.
 */
export const TERRAFORM: Coercion = {
  nullIsAbsent: true,
  scalarsAsText: true,
  trueText: ["true", "1"],
  falseText: ["false", "0"],
  foldsBooleanCase: false,
  trimsText: false,
  numberText: DECIMAL,
};

/**
 * An expression Terraform itself would reject (a missing attribute or key, an index past the end, a function given
 * the wrong value): still unknown to the rules, but `try()` and `can()` move past it, unlike a value not yet known.
 */
export class Rejected extends Unknown {}

export function isObj(v: Val | undefined): v is Obj {
  return v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Unknown);
}

export function isList(v: Val | undefined): v is Val[] {
  return Array.isArray(v);
}

/** The first Unknown inside a value (depth first), if any. */
export function firstUnknown(v: Val | undefined): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) {
    for (const item of v) {
      const u = firstUnknown(item);
      if (u) return u;
    }
  } else if (isObj(v)) {
    for (const item of Object.values(v)) {
      const u = firstUnknown(item);
      if (u) return u;
    }
  }
  return undefined;
}

export function typeName(v: Val): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (v instanceof Unknown) return "an unknown value";
  if (typeof v === "object") return "an object";
  return `a ${typeof v}`;
}

/** A deploy-time value certain to exist: `${aws_s3_bucket.logs.arn}` (see src/model/value.ts). */
export function placeholder(text: string): string {
  return `\${${text}}`;
}

/**
 * A sensitive value (`sensitive = true`, `sensitive()`, a plan's `sensitive_values`) as the model may hold it, like
 * a CloudFormation `NoEcho` parameter: each string becomes a placeholder named after where it comes from (set, its
 * text never read), lists and objects keep their shape, and a number or boolean is unknown. Nothing of the secret
 * can then reach a finding, a report or a message.
 */
export function redact(v: Val, label: string, at?: SourceLocation): Val {
  if (v === null) return null;
  if (typeof v === "string") return placeholder(label);
  if (Array.isArray(v)) return v.map((item, i) => redact(item, `${label}[${i}]`, at));
  if (v instanceof Unknown) {
    const reason = `${label} is sensitive and not known here`;
    return v instanceof Rejected ? new Rejected(reason, at) : unknown(reason, at);
  }
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, item] of Object.entries(v)) out[k] = redact(item, `${label}.${k}`, at);
    return out;
  }
  return unknown(`${label} is sensitive: trailguard does not read its value`, at);
}

export function hasPlaceholder(s: string): boolean {
  return s.includes("${");
}

const ENCODED = Symbol("json-encoded");

/**
 * `jsonencode()` of an object with unknown parts. Its text cannot be written, so the object itself stands for it,
 * marked as encoded: a policy keeps its known statements and fields, and only those holding an unknown are unknown.
 */
export function encodedWithUnknowns(v: Obj): Obj {
  const copy: Obj = { ...v };
  Object.defineProperty(copy, ENCODED, { value: true, enumerable: false });
  return copy;
}

/** Whether a value is JSON text whose known parts are kept as data (see `encodedWithUnknowns`). */
export function isEncodedJson(v: Val | undefined): v is Obj {
  return isObj(v) && (v as { [ENCODED]?: boolean })[ENCODED] === true;
}

/** A value as plain JSON data (for `jsonencode`), or the Unknown that prevents it. */
export function toPlain(v: Val): unknown {
  const u = firstUnknown(v);
  if (u) return u;
  return v;
}

export function fromPlain(value: unknown): Val {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(fromPlain);
  if (typeof value === "object") {
    const out: Obj = {};
    for (const [k, item] of Object.entries(value as Record<string, unknown>)) out[k] = fromPlain(item);
    return out;
  }
  return null;
}

/** Where a policy statement was written, keyed by the JSON text that carries it (see `Evaluator.policyLocations`). */
export type StatementLocations = SourceLocation[];
