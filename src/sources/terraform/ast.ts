/**
 * The parts of an HCL file trailguard reads, converted from tree-sitter's concrete syntax tree (the tree lives in
 * WebAssembly memory and is freed right after conversion). Positions are 1-based. A parsed node reads its `pos` and
 * `text` from the file's text when asked (syntax.ts), so a copy is made by naming its fields, never by a spread.
 */

export interface Pos {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface HclFile {
  /** Scan-root-relative path: what locations show. */
  path: string;
  body: Body;
  /** Source lines, kept only when the file has a `trailguard:ignore` comment. */
  lines: string[];
}

export interface Body {
  attributes: Attribute[];
  blocks: Block[];
}

export interface Attribute {
  name: string;
  expr: Expr;
  pos: Pos;
  file: string;
}

export interface Block {
  type: string;
  labels: string[];
  body: Body;
  pos: Pos;
  file: string;
}

export type Expr =
  | { kind: "literal"; value: string | number | boolean | null; pos: Pos; text: string }
  | { kind: "template"; parts: (string | Expr)[]; pos: Pos; text: string }
  | { kind: "tuple"; items: Expr[]; pos: Pos; text: string }
  | { kind: "object"; entries: { key: Expr; value: Expr }[]; pos: Pos; text: string }
  | { kind: "variable"; name: string; pos: Pos; text: string }
  | { kind: "getattr"; target: Expr; name: string; pos: Pos; text: string }
  | { kind: "index"; target: Expr; index: Expr; pos: Pos; text: string }
  | { kind: "splat"; target: Expr; steps: SplatStep[]; pos: Pos; text: string }
  | { kind: "call"; name: string; args: Expr[]; expand: boolean; pos: Pos; text: string }
  | { kind: "conditional"; cond: Expr; ifTrue: Expr; ifFalse: Expr; pos: Pos; text: string }
  | { kind: "binary"; op: string; left: Expr; right: Expr; pos: Pos; text: string }
  | { kind: "unary"; op: string; operand: Expr; pos: Pos; text: string }
  | {
      kind: "for";
      keyVar: string | null;
      valueVar: string;
      collection: Expr;
      /** Object form: `{for k, v in x : key => value}`. */
      key: Expr | null;
      value: Expr;
      cond: Expr | null;
      grouping: boolean;
      pos: Pos;
      text: string;
    }
  | { kind: "unsupported"; what: string; pos: Pos; text: string };

export type SplatStep = { kind: "attr"; name: string } | { kind: "index"; index: Expr };

export function attribute(body: Body, name: string): Attribute | undefined {
  for (const a of body.attributes) if (a.name === name) return a;
  return undefined;
}

export function blocksOf(body: Body, type: string): Block[] {
  return body.blocks.filter((b) => b.type === type);
}

/** An expression's source text, shortened for messages. */
export function shortText(expr: { text: string }): string {
  const one = expr.text.replace(/\s+/g, " ").trim();
  return one.length > 80 ? `${one.slice(0, 77)}...` : one;
}
