import { type Condition, type JsonExpression, parseFilterPattern } from "../../src/patterns/index.js";

/** Ways to write the same JSON pattern differently. */
export interface Style {
  /** Spaces around operators and inside braces. */
  spacing: "none" | "wide";
  /** Quote every string value, or leave simple ones bare. */
  quotes: "all" | "bare";
  /** Write the items of every && and || in reverse order. */
  reverse: boolean;
}

export function parseJson(pattern: string): JsonExpression {
  const result = parseFilterPattern(pattern);
  if (!result.ok) throw new Error(result.error.message);
  if (result.parsed.pattern.kind !== "json") throw new Error("not a JSON pattern");
  return result.parsed.pattern.expr;
}

/** The pattern written in another style (same meaning, && read before ||). */
export function rewrite(pattern: string, style: Style): string {
  const pad = style.spacing === "wide" ? " " : "";
  return `{${pad}${print(parseJson(pattern), style)}${pad}}`;
}

export function print(expr: JsonExpression, style: Style): string {
  if (expr.type === "and" || expr.type === "or") {
    const op =
      style.spacing === "wide"
        ? expr.type === "and"
          ? "   &&   "
          : "  ||  "
        : expr.type === "and"
          ? "&&"
          : "||";
    const items = style.reverse ? [...expr.items].reverse() : expr.items;
    return items.map((item) => `(${print(item, style)})`).join(op);
  }
  return printCondition(expr, style);
}

function printCondition(c: Condition, style: Style): string {
  const sp = style.spacing === "wide" ? "  " : "";
  if (c.type === "test") {
    const test = { true: "IS TRUE", false: "IS FALSE", null: "IS NULL", "not-exists": "NOT EXISTS" }[c.test];
    return `${c.selector.text} ${test}`;
  }
  const v = c.value;
  const value =
    v.kind === "number"
      ? v.raw
      : v.kind === "regex"
        ? `%${v.source}%`
        : style.quotes === "bare" && /^[A-Za-z_*][A-Za-z0-9_.*:@/-]*$/.test(v.value)
          ? v.value
          : `"${v.value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  return `${c.selector.text}${sp}${c.op}${sp}${value}`;
}

/** The pattern without the conditions `drop` selects (an alternative left empty disappears). */
export function without(pattern: string, drop: (c: Condition) => boolean): string {
  const prune = (expr: JsonExpression): JsonExpression | undefined => {
    if (expr.type !== "and" && expr.type !== "or") return drop(expr) ? undefined : expr;
    const items = expr.items.map(prune).filter((e): e is JsonExpression => e !== undefined);
    if (items.length === 0) return undefined;
    return items.length === 1 ? items[0] : { type: expr.type, items };
  };
  const pruned = prune(parseJson(pattern));
  if (!pruned) throw new Error("nothing left");
  return `{ ${print(pruned, { spacing: "wide", quotes: "all", reverse: false })} }`;
}
