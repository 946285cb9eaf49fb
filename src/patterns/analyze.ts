import { conditionHolds, type FieldValue, MISSING } from "./evaluate.js";
import type { Condition, JsonExpression } from "./syntax.js";

/**
 * Structural analysis of JSON patterns: can the conditions of a pattern ever hold together, and can they ever all
 * fail? The expression is put in disjunctive normal form (bounded in size); each conjunction is decided field by
 * field by trying the values that can make a difference for its conditions. Where that is not certain (wildcards
 * inside a value, regular expressions, selectors nested in one another) the analysis says nothing.
 */

/** A condition, or its negation. */
interface Atom {
  condition: Condition;
  negated: boolean;
}

const MAX_CONJUNCTIONS = 4096;

/**
 * Fields every CloudTrail record has, with a string value. A pattern is judged against CloudTrail events, so
 * `$.eventName NOT EXISTS` never holds and `$.eventName = *` always does.
 */
const CLOUDTRAIL_STRING_FIELDS = new Set(
  ["eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "eventID", "eventType"].map((f) =>
    JSON.stringify([f]),
  ),
);

export interface Contradiction {
  /** For each alternative of the pattern, conditions of it that can never hold together. */
  conflicts: Condition[][];
}

export interface Tautology {
  /** The fields whose every value satisfies the pattern. */
  fields: string[];
  /** Whether they are fields every CloudTrail event has (so the pattern matches every event). */
  always: boolean;
}

/** The conditions that exclude one another in every alternative, or undefined when some event may match. */
export function findContradiction(expr: JsonExpression): Contradiction | undefined {
  const conjunctions = dnf(expr, false);
  if (!conjunctions) return undefined;
  const conflicts: Condition[][] = [];
  for (const conjunction of conjunctions) {
    const conflict = unsatisfiable(conjunction, "exists-or-not");
    if (!conflict) return undefined;
    conflicts.push(conflict.map((a) => a.condition));
  }
  return { conflicts: dedupe(conflicts) };
}

/**
 * Whether the pattern holds for every event in which the fields it compares exist (a comparison cannot hold for a
 * missing field, so "every event" is meant this way: it never tells one value from another).
 */
export function findTautology(expr: JsonExpression): Tautology | undefined {
  const conjunctions = dnf(expr, true);
  if (!conjunctions) return undefined;
  const fields = new Map<string, string>();
  for (const conjunction of conjunctions) {
    const conflict = unsatisfiable(conjunction, "exists");
    if (!conflict) return undefined;
    for (const { condition } of conflict)
      fields.set(condition.selector.text, JSON.stringify(condition.selector.path));
  }
  const always = [...fields.values()].every((key) => CLOUDTRAIL_STRING_FIELDS.has(key));
  return { fields: [...fields.keys()], always };
}

function dedupe(conflicts: Condition[][]): Condition[][] {
  const seen = new Set<string>();
  return conflicts.filter((c) => {
    const key = c.map((x) => x.text).join("\u0000");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The expression (or its negation) as a list of conjunctions of atoms; undefined when too large. */
function dnf(expr: JsonExpression, negated: boolean): Atom[][] | undefined {
  if (expr.type !== "and" && expr.type !== "or") return [[{ condition: expr, negated }]];
  const parts: Atom[][][] = [];
  for (const item of expr.items) {
    const part = dnf(item, negated);
    if (!part) return undefined;
    parts.push(part);
  }
  const conjunctive = (expr.type === "and") !== negated;
  if (!conjunctive) {
    const all = parts.flat();
    return all.length > MAX_CONJUNCTIONS ? undefined : all;
  }
  let product: Atom[][] = [[]];
  for (const part of parts) {
    if (product.length * part.length > MAX_CONJUNCTIONS) return undefined;
    product = product.flatMap((left) => part.map((right) => [...left, ...right]));
  }
  return product;
}

type Mode = "exists-or-not" | "exists";

/** The atoms on one field that exclude one another, or undefined when the conjunction may hold (or is unsure). */
function unsatisfiable(conjunction: Atom[], mode: Mode): Atom[] | undefined {
  const byField = new Map<string, Atom[]>();
  for (const atom of conjunction) {
    const key = JSON.stringify(atom.condition.selector.path);
    byField.set(key, [...(byField.get(key) ?? []), atom]);
  }
  const keys = [...byField.keys()];
  for (const [key, atoms] of byField) {
    const path = atoms[0]?.condition.selector.path ?? [];
    // A field nested in another one compared in the same conjunction: their values are not independent.
    if (keys.some((other) => other !== key && nested(path, JSON.parse(other)))) continue;
    const candidates = candidateValues(key, atoms, mode);
    if (!candidates) continue;
    if (candidates.some((value) => atoms.every((atom) => holds(atom, value)))) continue;
    return smallestConflict(atoms, candidates);
  }
  return undefined;
}

function nested(a: (string | number)[], b: (string | number)[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.every((step, i) => long[i] === step);
}

function holds(atom: Atom, value: FieldValue): boolean {
  return conditionHolds(atom.condition, value) !== atom.negated;
}

function smallestConflict(atoms: Atom[], candidates: FieldValue[]): Atom[] {
  const fails = (set: Atom[]) => !candidates.some((value) => set.every((atom) => holds(atom, value)));
  for (const atom of atoms) if (fails([atom])) return [atom];
  for (let i = 0; i < atoms.length; i++) {
    for (let j = i + 1; j < atoms.length; j++) {
      const pair = [atoms[i] as Atom, atoms[j] as Atom];
      if (fails(pair)) return pair;
    }
  }
  return atoms;
}

const FRESH = "\u0001";

/**
 * Values of one field that decide the satisfiability of its atoms: if none of them satisfies every atom, no value
 * does. Undefined when no such finite set is known (regular expressions, wildcards inside a value).
 */
function candidateValues(key: string, atoms: Atom[], mode: Mode): FieldValue[] | undefined {
  const strings = new Set<string>(["", FRESH]);
  const numbers = new Set<number>([0]);
  const positiveGlobs: string[] = [];
  for (const { condition, negated } of atoms) {
    if (condition.type !== "compare") continue;
    const literal = condition.value;
    if (literal.kind === "regex") return undefined;
    if (literal.kind === "number") {
      numbers.add(literal.value);
      strings.add(literal.raw);
      continue;
    }
    const glob = literal.value;
    if (glob.slice(1, -1).includes("*")) return undefined;
    strings.add(glob.replaceAll("*", ""));
    strings.add(glob.replaceAll("*", FRESH));
    if (condition.op === "=" && !negated) positiveGlobs.push(glob);
  }
  for (const s of joinedWitnesses(positiveGlobs)) strings.add(s);
  const sorted = [...numbers].sort((a, b) => a - b);
  const numeric = new Set<number>();
  sorted.forEach((n, i) => {
    for (const v of [n - 1, n - 0.5, n, n + 0.5, n + 1]) numeric.add(v);
    const next = sorted[i + 1];
    if (next !== undefined) numeric.add((n + next) / 2);
  });
  if (CLOUDTRAIL_STRING_FIELDS.has(key)) return [...strings];
  const values: FieldValue[] = [...strings, ...numeric, true, false, null, {}];
  if (mode === "exists-or-not") values.push(MISSING);
  return values;
}

/**
 * Strings meant to satisfy several `prefix*`, `*suffix`, `*infix*` and exact globs at once: the longest prefix,
 * then every infix, then the longest suffix (with a fresh character between, or not).
 */
function joinedWitnesses(globs: string[]): string[] {
  if (globs.length < 2) return [];
  const prefixes = globs.filter((g) => g.endsWith("*") && !g.startsWith("*")).map((g) => g.slice(0, -1));
  const suffixes = globs.filter((g) => g.startsWith("*") && !g.endsWith("*")).map((g) => g.slice(1));
  const infixes = globs
    .filter((g) => g.length > 1 && g.startsWith("*") && g.endsWith("*"))
    .map((g) => g.slice(1, -1));
  const longest = (list: string[]) => list.reduce((a, b) => (b.length > a.length ? b : a), "");
  const prefix = longest(prefixes);
  const suffix = longest(suffixes);
  const middle = infixes.join("");
  return [prefix + middle + suffix, prefix + FRESH + middle + FRESH + suffix];
}
