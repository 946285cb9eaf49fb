import { RE2JS } from "@bufbuild/re2";
import { SyntaxError as PeggySyntaxError, parse } from "./generated/filter-pattern-parser.js";

/** Where a piece of the pattern starts (1-based line and column, 0-based offset) and ends (offset). */
export interface Position {
  offset: number;
  line: number;
  column: number;
  end: number;
}

/** `$.a.b[0].c`: names and array indexes. */
export interface Selector {
  path: (string | number)[];
  text: string;
}

export type Literal =
  | { kind: "string"; value: string; quoted: boolean }
  | { kind: "number"; value: number; raw: string }
  | { kind: "regex"; source: string };

export interface Comparison {
  type: "compare";
  selector: Selector;
  op: "=" | "!=" | "<" | "<=" | ">" | ">=";
  value: Literal;
  text: string;
  at: Position;
}

export interface Test {
  type: "test";
  selector: Selector;
  test: "true" | "false" | "null" | "not-exists";
  text: string;
  at: Position;
}

/** A condition on one field: the unit the judge names when it explains a verdict. */
export type Condition = Comparison | Test;

export type JsonExpression =
  | Condition
  | { type: "and"; items: JsonExpression[] }
  | { type: "or"; items: JsonExpression[] };

export interface Term {
  mode: "all" | "any" | "exclude";
  value: string;
  text: string;
}

export type FilterPattern =
  | { kind: "all" }
  | { kind: "json"; expr: JsonExpression }
  | { kind: "terms"; terms: Term[] }
  | { kind: "regex"; regex: string }
  | { kind: "delimited"; text: string };

/**
 * How a chain that mixes `&&` and `||` without parentheses is read. CloudWatch's documentation does not say;
 * `and-first` is the usual precedence, `left-to-right` groups operators in the order they appear.
 */
export type Reading = "and-first" | "left-to-right";

export interface PatternSyntaxError {
  message: string;
  offset: number;
  line: number;
  column: number;
  /** What the parser would have accepted at that point. */
  expected: string[];
  /** What it found instead (`null` at the end of the pattern). */
  found: string | null;
}

export interface ParsedPattern {
  text: string;
  pattern: FilterPattern;
  /** The same pattern read the other way, when it mixes `&&` and `||` without parentheses. */
  otherReading?: FilterPattern;
  /** Where it mixes them (the first such chain). */
  mixedAt?: Position;
}

export type ParseResult = { ok: true; parsed: ParsedPattern } | { ok: false; error: PatternSyntaxError };

// The parser's raw output: chains stay flat, with their operators.
type RawOperand =
  | Condition
  | { type: "group"; expr: RawOperand }
  | { type: "chain"; items: RawOperand[]; ops: ("&&" | "||")[]; at: Position };
type RawPattern = Exclude<FilterPattern, { kind: "json" }> | { kind: "json"; expr: RawOperand };

/** Parses a filter pattern. A syntax error names the position and what was expected there. */
export function parseFilterPattern(text: string): ParseResult {
  let raw: RawPattern;
  try {
    raw = parse(text) as RawPattern;
  } catch (error) {
    if (error instanceof PeggySyntaxError) return { ok: false, error: syntaxError(error) };
    throw error;
  }
  const badRegex = invalidRegex(raw);
  if (badRegex) return { ok: false, error: badRegex };
  if (raw.kind !== "json") return { ok: true, parsed: { text, pattern: raw } };
  const mixedAt = findMixedChain(raw.expr);
  const parsed: ParsedPattern = { text, pattern: { kind: "json", expr: build(raw.expr, "and-first") } };
  if (mixedAt) {
    parsed.mixedAt = mixedAt;
    parsed.otherReading = { kind: "json", expr: build(raw.expr, "left-to-right") };
  }
  return { ok: true, parsed };
}

/** CloudWatch Logs accepts at most this many regular expressions in a JSON pattern. */
const MAX_REGEXES = 2;

/**
 * A `%regex%` CloudWatch Logs refuses (parentheses, characters beyond ASCII, more than two in one pattern) or
 * JavaScript cannot compile, as a syntax error at the condition (or pattern) that holds it.
 */
function invalidRegex(raw: RawPattern): PatternSyntaxError | undefined {
  const check = (source: string, at: Position, count: number) => {
    const { offset, line, column } = at;
    const fail = (why: string) => ({
      message: `invalid regular expression %${source}% at column ${column}: ${why}`,
      offset,
      line,
      column,
      expected: ["regular expression"],
      found: source,
    });
    if (count > MAX_REGEXES)
      return fail(`a filter pattern may hold at most ${MAX_REGEXES} regular expressions`);
    if (/[()]/.test(source)) return fail("( and ) are not supported");
    if (/[^\x20-\x7e]/.test(source)) return fail("only ASCII characters are supported");
    try {
      RE2JS.compile(source);
      return undefined;
    } catch (error) {
      return fail((error as Error).message);
    }
  };
  if (raw.kind === "regex") {
    const at = (raw as { at?: Position }).at ?? { offset: 0, line: 1, column: 1, end: 0 };
    return check(raw.regex, at, 1);
  }
  if (raw.kind !== "json") return undefined;
  let count = 0;
  const visit = (node: RawOperand): PatternSyntaxError | undefined => {
    if (node.type === "group") return visit(node.expr);
    if (node.type === "chain") {
      for (const item of node.items) {
        const found = visit(item);
        if (found) return found;
      }
      return undefined;
    }
    if (node.type !== "compare" || node.value.kind !== "regex") return undefined;
    count += 1;
    return check(node.value.source, node.at, count);
  };
  return visit(raw.expr);
}

function syntaxError(error: PeggySyntaxError): PatternSyntaxError {
  const { offset, line, column } = error.location.start;
  const expected = [
    ...new Set((error.expected ?? []).map((e) => e.description ?? e.text ?? e.type).filter(Boolean)),
  ];
  const found = error.found;
  const where =
    found === null ? "at the end of the pattern" : `at column ${column}, found ${JSON.stringify(found)}`;
  // An error the grammar raises itself says what is wrong; peggy's own ones list what would have been accepted.
  const message = error.expected
    ? `expected ${expected.join(", ")} ${where}`
    : `${error.message} at column ${column}`;
  return { message, offset, line, column, expected, found };
}

function build(node: RawOperand, reading: Reading): JsonExpression {
  if (node.type === "group") return build(node.expr, reading);
  if (node.type !== "chain") return node;
  const items = node.items.map((item) => build(item, reading));
  if (reading === "left-to-right") {
    let result = items[0] as JsonExpression;
    node.ops.forEach((op, i) => {
      result = combine(op === "&&" ? "and" : "or", [result, items[i + 1] as JsonExpression]);
    });
    return result;
  }
  // and-first: split the chain at `||` into runs joined by `&&`.
  const runs: JsonExpression[][] = [[items[0] as JsonExpression]];
  node.ops.forEach((op, i) => {
    const next = items[i + 1] as JsonExpression;
    if (op === "||") runs.push([next]);
    else runs[runs.length - 1]?.push(next);
  });
  return combine(
    "or",
    runs.map((run) => combine("and", run)),
  );
}

/** Builds an and/or node, flattening nested nodes of the same kind. */
function combine(type: "and" | "or", items: JsonExpression[]): JsonExpression {
  if (items.length === 1) return items[0] as JsonExpression;
  return { type, items: items.flatMap((item) => (item.type === type ? item.items : [item])) };
}

function findMixedChain(node: RawOperand): Position | undefined {
  if (node.type === "group") return findMixedChain(node.expr);
  if (node.type !== "chain") return undefined;
  if (new Set(node.ops).size > 1) return node.at;
  for (const item of node.items) {
    const found = findMixedChain(item);
    if (found) return found;
  }
  return undefined;
}

/** Every condition of a JSON expression, in the order written. */
export function conditionsOf(expr: JsonExpression): Condition[] {
  return expr.type === "and" || expr.type === "or" ? expr.items.flatMap(conditionsOf) : [expr];
}

/** The pattern text of an expression, parenthesised where needed, for explanations. */
export function show(expr: JsonExpression): string {
  if (expr.type === "and" || expr.type === "or") {
    const op = expr.type === "and" ? " && " : " || ";
    return expr.items
      .map((item) => (item.type === "or" || item.type === "and" ? `(${show(item)})` : show(item)))
      .join(op);
  }
  return expr.text;
}
