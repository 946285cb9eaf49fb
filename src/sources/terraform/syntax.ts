import type { Attribute, Block, Body, Expr, Pos, SplatStep } from "./ast.js";

/**
 * A parsed file's text, as its syntax nodes refer to it: each node keeps the offsets of its span and gives its
 * position and source text only when asked. A large module has hundreds of thousands of nodes; a position object
 * and a text string each would be most of its memory.
 */
export class SourceText {
  private lineStarts: Int32Array | undefined;

  constructor(
    readonly text: string,
    /** The scan-root-relative path of the file the text is read as (what locations show). */
    readonly path: string,
    /** Where a position of this text is shown: a text read inside another file is placed there. */
    readonly place?: (p: Pos) => Pos,
  ) {}

  /** 1-based lines and columns (in UTF-16 units, as tree-sitter counts them for a JavaScript string). */
  pos(start: number, end: number): Pos {
    const [line, column] = this.point(start);
    const [endLine, endColumn] = this.point(end);
    const p = { line, column, endLine, endColumn };
    return this.place ? this.place(p) : p;
  }

  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }

  private point(offset: number): [number, number] {
    const starts = this.lines();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return [low + 1, offset - (starts[low] as number) + 1];
  }

  private lines(): Int32Array {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    for (let i = this.text.indexOf("\n"); i >= 0; i = this.text.indexOf("\n", i + 1)) starts.push(i + 1);
    this.lineStarts = Int32Array.from(starts);
    return this.lineStarts;
  }
}

/**
 * A node of the reader's syntax tree: the span of its text, read on demand. What is the same for all nodes of a
 * kind or a file (the kind, the file's path) is read through the prototype and the source, not stored per node.
 */
abstract class Spanned {
  abstract readonly source: SourceText;
  abstract readonly start: number;
  abstract readonly end: number;

  get pos(): Pos {
    return this.source.pos(this.start, this.end);
  }

  get text(): string {
    return this.source.slice(this.start, this.end);
  }
}

/** A node that keeps its file and span itself. */
abstract class OwnSpan extends Spanned {
  constructor(
    readonly source: SourceText,
    readonly start: number,
    readonly end: number,
  ) {
    super();
  }
}

/** An expression of this tree: it knows its source text and span. */
export type SpannedExpr = Expr & Spanned;

type Of<K extends Expr["kind"]> = Extract<Expr, { kind: K }>;

/** An attribute reads its file from its expression: there are a few for every block. */
export class AttributeNode extends Spanned implements Attribute {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly name: string,
    readonly expr: SpannedExpr,
  ) {
    super();
  }

  get source(): SourceText {
    return this.expr.source;
  }

  get file(): string {
    return this.source.path;
  }
}

/** A block is its own body: a module has a block for every few lines, and a body object each would be 40 bytes. */
export class BlockNode extends OwnSpan implements Block, Body {
  readonly attributes: Attribute[];
  readonly blocks: Block[];

  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly type: string,
    readonly labels: string[],
    body: Body,
  ) {
    super(source, start, end);
    this.attributes = body.attributes;
    this.blocks = body.blocks;
  }

  get body(): Body {
    return this;
  }

  get file(): string {
    return this.source.path;
  }
}

export class LiteralNode extends OwnSpan implements Of<"literal"> {
  get kind(): "literal" {
    return "literal";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly value: string | number | boolean | null,
  ) {
    super(source, start, end);
  }
}

export class TemplateNode extends OwnSpan implements Of<"template"> {
  get kind(): "template" {
    return "template";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly parts: (string | Expr)[],
  ) {
    super(source, start, end);
  }
}

export class TupleNode extends OwnSpan implements Of<"tuple"> {
  get kind(): "tuple" {
    return "tuple";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly items: Expr[],
  ) {
    super(source, start, end);
  }
}

export class ObjectNode extends OwnSpan implements Of<"object"> {
  get kind(): "object" {
    return "object";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly entries: { key: Expr; value: Expr }[],
  ) {
    super(source, start, end);
  }
}

export class VariableNode extends OwnSpan implements Of<"variable"> {
  get kind(): "variable" {
    return "variable";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly name: string,
  ) {
    super(source, start, end);
  }
}

/**
 * A postfix operator applied to what precedes it. Its position starts where its target's does, its text where the
 * expression written around it does (before an opening parenthesis, for `(a).b`).
 */
abstract class Postfix extends Spanned {
  abstract readonly target: SpannedExpr;

  constructor(
    readonly end: number,
    readonly textStart: number,
  ) {
    super();
  }

  /** The file and the start of a chain of postfix operators are its first term's: not kept by each operator. */
  get source(): SourceText {
    return this.target.source;
  }

  get start(): number {
    return this.target.start;
  }

  override get text(): string {
    return this.source.slice(this.textStart, this.end);
  }
}

export class GetAttrNode extends Postfix implements Of<"getattr"> {
  get kind(): "getattr" {
    return "getattr";
  }
  constructor(
    end: number,
    textStart: number,
    readonly target: SpannedExpr,
    readonly name: string,
  ) {
    super(end, textStart);
  }
}

export class IndexNode extends Postfix implements Of<"index"> {
  get kind(): "index" {
    return "index";
  }
  constructor(
    end: number,
    textStart: number,
    readonly target: SpannedExpr,
    readonly index: Expr,
  ) {
    super(end, textStart);
  }
}

export class SplatNode extends Postfix implements Of<"splat"> {
  get kind(): "splat" {
    return "splat";
  }
  constructor(
    end: number,
    textStart: number,
    readonly target: SpannedExpr,
    readonly steps: SplatStep[],
  ) {
    super(end, textStart);
  }
}

export class CallNode extends OwnSpan implements Of<"call"> {
  get kind(): "call" {
    return "call";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly name: string,
    readonly args: Expr[],
    readonly expand: boolean,
  ) {
    super(source, start, end);
  }
}

export class ConditionalNode extends OwnSpan implements Of<"conditional"> {
  get kind(): "conditional" {
    return "conditional";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly cond: Expr,
    readonly ifTrue: Expr,
    readonly ifFalse: Expr,
  ) {
    super(source, start, end);
  }
}

export class BinaryNode extends OwnSpan implements Of<"binary"> {
  get kind(): "binary" {
    return "binary";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly op: string,
    readonly left: Expr,
    readonly right: Expr,
  ) {
    super(source, start, end);
  }
}

export class UnaryNode extends OwnSpan implements Of<"unary"> {
  get kind(): "unary" {
    return "unary";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly op: string,
    readonly operand: Expr,
  ) {
    super(source, start, end);
  }
}

export class ForNode extends OwnSpan implements Of<"for"> {
  get kind(): "for" {
    return "for";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly keyVar: string | null,
    readonly valueVar: string,
    readonly collection: Expr,
    readonly key: Expr | null,
    readonly value: Expr,
    readonly cond: Expr | null,
    readonly grouping: boolean,
  ) {
    super(source, start, end);
  }
}

export class UnsupportedNode extends OwnSpan implements Of<"unsupported"> {
  get kind(): "unsupported" {
    return "unsupported";
  }
  constructor(
    source: SourceText,
    start: number,
    end: number,
    readonly what: string,
  ) {
    super(source, start, end);
  }
}

/** Where an expression's position starts: its span's start for a node of this tree, else `otherwise`. */
export function spanStart(expr: Expr, otherwise: number): number {
  return expr instanceof Spanned ? expr.start : otherwise;
}
