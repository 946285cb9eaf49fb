import { RE2JS } from "@bufbuild/re2";
import { matchesWildcard, type Wildcard, wildcard } from "../model/wildcard.js";
import type { Condition, FilterPattern, JsonExpression, Literal, Selector } from "./syntax.js";

/** A selector that names nothing in the event. */
export const MISSING: unique symbol = Symbol("missing");
export type FieldValue = unknown;

/** The value a selector names in a parsed JSON event, or MISSING. */
export function resolve(event: unknown, selector: Selector): FieldValue {
  let value: unknown = event;
  for (const step of selector.path) {
    if (typeof step === "number") {
      if (!Array.isArray(value) || step >= value.length) return MISSING;
      value = value[step];
    } else {
      if (
        value === null ||
        typeof value !== "object" ||
        Array.isArray(value) ||
        !Object.hasOwn(value, step)
      ) {
        return MISSING;
      }
      value = (value as Record<string, unknown>)[step];
    }
  }
  return value;
}

/**
 * Whether a condition holds for a field's value. A comparison needs the field to exist: `$.x != "a"` does not
 * match an event without `x` (only `NOT EXISTS` does). `=` and `!=` compare scalars as text, `*` standing for any
 * run of characters; a number literal also equals the same number. `<`, `<=`, `>`, `>=` need a number.
 */
export function conditionHolds(condition: Condition, value: FieldValue): boolean {
  if (condition.type === "test") {
    switch (condition.test) {
      case "not-exists":
        return value === MISSING;
      case "null":
        return value === null;
      case "true":
        return value === true;
      case "false":
        return value === false;
    }
  }
  if (value === MISSING) return false;
  switch (condition.op) {
    case "=":
      return equals(condition.value, value);
    case "!=":
      return !equals(condition.value, value);
    default:
      return (
        typeof value === "number" &&
        condition.value.kind === "number" &&
        order(condition.op, value, condition.value.value)
      );
  }
}

function order(op: "<" | "<=" | ">" | ">=", a: number, b: number): boolean {
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
  }
}

function equals(literal: Literal, value: unknown): boolean {
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return false;
  switch (literal.kind) {
    case "number":
      return typeof value === "number" ? value === literal.value : String(value) === literal.raw;
    case "regex":
      return regexFor(literal.source).test(String(value));
    case "string":
      return matchesWildcard(globFor(literal.value), String(value));
  }
}

const globs = new Map<string, Wildcard>();
const regexes = new Map<string, { test(text: string): boolean }>();

/** `*` matches any run of characters (none too); everything else matches itself; the whole value must match. */
function globFor(glob: string): Wildcard {
  let pattern = globs.get(glob);
  if (!pattern) {
    pattern = wildcard(glob);
    globs.set(glob, pattern);
  }
  return pattern;
}

/**
 * A `%regex%` searches the value (it need not match all of it). RE2 matches in time linear in the text: a pattern
 * from an input cannot make the scan backtrack for minutes, as JavaScript's regular expressions can (`.*.*.*…x`).
 */
function regexFor(source: string): { test(text: string): boolean } {
  let re = regexes.get(source);
  if (!re) {
    const compiled = RE2JS.compile(source);
    re = { test: (text) => compiled.test(text) };
    regexes.set(source, re);
  }
  return re;
}

/** Terms of blanks only: the customary "match every event" pattern (`" "`). */
export function isBlank(pattern: Extract<FilterPattern, { kind: "terms" }>): boolean {
  return pattern.terms.every((t) => t.mode !== "exclude" && t.value.trim() === "");
}

export function matchesJson(expr: JsonExpression, event: unknown): boolean {
  switch (expr.type) {
    case "and":
      return expr.items.every((item) => matchesJson(item, event));
    case "or":
      return expr.items.some((item) => matchesJson(item, event));
    default:
      return conditionHolds(expr, resolve(event, expr.selector));
  }
}

/**
 * Whether a pattern matches an event: a parsed JSON event, with its raw text for term and regex patterns (the
 * compact JSON of the event when not given, as CloudTrail writes it to CloudWatch Logs). `undefined` when this
 * cannot be told: space-delimited patterns are not evaluated.
 */
export function matchesEvent(pattern: FilterPattern, event: unknown, raw?: string): boolean | undefined {
  switch (pattern.kind) {
    case "all":
      return true;
    case "json":
      return (
        event !== null &&
        typeof event === "object" &&
        !Array.isArray(event) &&
        matchesJson(pattern.expr, event)
      );
    case "regex":
      return regexFor(pattern.regex).test(raw ?? JSON.stringify(event));
    case "terms": {
      const text = raw ?? JSON.stringify(event);
      if (isBlank(pattern)) return true;
      const all = pattern.terms.filter((t) => t.mode === "all");
      const any = pattern.terms.filter((t) => t.mode === "any");
      return (
        all.every((t) => text.includes(t.value)) &&
        (any.length === 0 || any.some((t) => text.includes(t.value))) &&
        pattern.terms.every((t) => t.mode !== "exclude" || !text.includes(t.value))
      );
    }
    case "delimited":
      return undefined;
  }
}
