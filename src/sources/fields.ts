import type { SourceLocation } from "../model/index.js";
import { type Maybe, Unknown, unknown } from "../model/index.js";

/**
 * The one set of coercion rules of the sources: how a value read from a template, a configuration or an AWS answer
 * becomes a model value (`Maybe<T>`: a value, `null` for known unset, or Unknown with the reason and where). Each
 * source says what its nodes are (`SourceNodes`) and which conversions its format really makes (`Coercion`); the
 * rules, the messages for a value of the wrong type and the record of where each field was read are here alone.
 */

/** What a node is, as far as reading a field is concerned. */
export type Shape = "absent" | "null" | "unknown" | "scalar" | "list" | "mapping";

/**
 * A source's nodes as the reader sees them. `A` is what a read knows besides the node (a Terraform value does not
 * carry its position: the attribute's is passed along); nodes that know where they are ignore it.
 */
export interface SourceNodes<N, A = undefined> {
  shape(node: N | undefined): Shape;
  /** The value of a node of shape `scalar`. */
  scalar(node: N): string | number | boolean;
  /** The items of a node of shape `list`. */
  items(node: N): N[];
  /** The Unknown a node of shape `unknown` stands for. */
  unknownOf(node: N, at: A | undefined): Unknown;
  /** Where a node is; undefined when the source has no positions (a live AWS answer). */
  location(node: N, at: A | undefined): SourceLocation | undefined;
  /** Reports a value of the wrong type, where the source's input deserves a warning. */
  report?(message: string, at: SourceLocation | undefined): void;
}

/** The conversions a source's format makes when a value of one type is given where another is expected. */
export interface Coercion {
  /** `null` means "not set" (Terraform, JSON answers); otherwise it is a value of the wrong type. */
  nullIsAbsent: boolean;
  /** A number or boolean given where a string is expected reads as its text. */
  scalarsAsText: boolean;
  /** Strings read as `true` / `false` where a boolean is expected. */
  trueText: readonly string[];
  falseText: readonly string[];
  /** Letter case is ignored when a string is read as a boolean. */
  foldsBooleanCase: boolean;
  /** Blanks around a string read as a boolean or a number are ignored. */
  trimsText: boolean;
  /** Strings read as a number where a number is expected (when the number is finite). */
  numberText: RegExp;
}

export interface ValueReaderOptions {
  /** Names the resource in messages: `MyTrail (AWS::CloudTrail::Trail)`, `aws_cloudtrail.main`. */
  label?: string;
  /** How messages name a place without a location: `the DescribeTrails answer`. */
  origin?: string;
  /** Where every field read is recorded (shared by the readers of one resource). */
  fieldLocations?: Record<string, SourceLocation>;
}

/**
 * Reads typed values out of one source's nodes. Absent is the fallback given (null unless said otherwise), an
 * unknown node is its Unknown, and a value of the wrong type is Unknown with a message naming the field, what was
 * expected, what was found and where (reported, when the source reports).
 */
export class ValueReader<N, A = undefined> {
  readonly fieldLocations: Record<string, SourceLocation>;
  readonly label: string | undefined;
  readonly origin: string | undefined;

  constructor(
    readonly nodes: SourceNodes<N, A>,
    readonly coercion: Coercion,
    options: ValueReaderOptions = {},
  ) {
    this.fieldLocations = options.fieldLocations ?? {};
    this.label = options.label;
    this.origin = options.origin;
  }

  /** Records where `field` was read; a source without positions records nothing. */
  record(field: string, at: SourceLocation | undefined): void {
    if (at) this.fieldLocations[field] = at;
  }

  /** A string; numbers and booleans are their text where the source converts them. */
  str(node: N | undefined, what: string, fallback: string, at?: A): Maybe<string>;
  str(node: N | undefined, what: string, fallback?: string | null, at?: A): Maybe<string | null>;
  str(node: N | undefined, what: string, fallback: string | null = null, at?: A): Maybe<string | null> {
    const shape = this.nodes.shape(node);
    if (shape !== "scalar") return this.otherwise(shape, node, what, "a string", fallback, at);
    return this.textOf(this.nodes.scalar(node as N)) ?? this.wrong(node as N, at, what, "a string");
  }

  /** A boolean; strings are read as the source converts them. */
  bool<D extends Maybe<boolean | null>>(
    node: N | undefined,
    what: string,
    fallback: D,
    at?: A,
  ): Maybe<boolean> | D {
    const shape = this.nodes.shape(node);
    if (shape !== "scalar") return this.otherwise(shape, node, what, "a boolean", fallback, at);
    const value = this.nodes.scalar(node as N);
    const b = typeof value === "string" ? booleanOfText(this.coercion, value) : value;
    return typeof b === "boolean" ? b : this.wrong(node as N, at, what, "a boolean");
  }

  /** A number; strings are read as the source converts them. Absent → null. */
  num(node: N | undefined, what: string, at?: A): Maybe<number | null> {
    const shape = this.nodes.shape(node);
    if (shape !== "scalar") return this.otherwise(shape, node, what, "a number", null, at);
    const value = this.nodes.scalar(node as N);
    const n = typeof value === "string" ? numberOfText(this.coercion, value) : value;
    return typeof n === "number" ? n : this.wrong(node as N, at, what, "a number");
  }

  /**
   * A list of strings (items read as `str` reads them); with `single`, a string alone is a list of one (IAM policy
   * style). Absent → null; an unknown item makes the list unknown.
   */
  strList(node: N | undefined, what: string, single = false, at?: A): Maybe<string[] | null> {
    const expected = single ? "a string or a list of strings" : "a list of strings";
    const shape = this.nodes.shape(node);
    if (shape === "scalar" && single) {
      const text = this.textOf(this.nodes.scalar(node as N));
      return text === null ? this.wrong(node as N, at, what, expected) : [text];
    }
    if (shape !== "list") return this.otherwise(shape, node, what, expected, null, at);
    const out: string[] = [];
    for (const item of this.nodes.items(node as N)) {
      const itemShape = this.nodes.shape(item);
      if (itemShape === "unknown") return this.nodes.unknownOf(item, at);
      const text = itemShape === "scalar" ? this.textOf(this.nodes.scalar(item)) : null;
      if (text === null) return this.wrong(item, at, `${what} items`, "strings");
      out.push(text);
    }
    return out;
  }

  /** The items of a list (absent → null); an unknown item makes the list unknown. */
  list(node: N | undefined, what: string, at?: A): Maybe<N[] | null> {
    const shape = this.nodes.shape(node);
    if (shape !== "list") return this.otherwise(shape, node, what, "a list", null, at);
    const items = this.nodes.items(node as N);
    for (const item of items) {
      if (this.nodes.shape(item) === "unknown") return this.nodes.unknownOf(item, at);
    }
    return items;
  }

  /** A mapping's node (absent → null); anything else is Unknown. */
  mapping(node: N | undefined, what: string, at?: A): N | null | Unknown {
    const shape = this.nodes.shape(node);
    return shape === "mapping" ? (node as N) : this.otherwise(shape, node, what, "a mapping", null, at);
  }

  /**
   * A node not of the shape a read wants: absent is the fallback, and so is null where the source means "not set"
   * by it; an unknown node is its Unknown; anything else is a value of the wrong type.
   */
  private otherwise<F>(
    shape: Shape,
    node: N | undefined,
    what: string,
    expected: string,
    fallback: F,
    at: A | undefined,
  ): F | Unknown {
    if (shape === "absent" || (shape === "null" && this.coercion.nullIsAbsent)) return fallback;
    if (shape === "unknown") return this.nodes.unknownOf(node as N, at);
    return this.wrong(node as N, at, what, expected);
  }

  /** A scalar's text where the source reads it as a string, else null. */
  private textOf(value: string | number | boolean): string | null {
    if (typeof value === "string") return value;
    return this.coercion.scalarsAsText ? String(value) : null;
  }

  /** The Unknown (reported, where the source reports) for a value of the wrong type. */
  wrong(node: N, at: A | undefined, what: string, expected: string): Unknown {
    const location = this.nodes.location(node, at);
    const where = location ? `${location.file}:${location.line}` : (this.origin ?? "the input");
    const reason = `${what} must be ${expected}, got ${this.describe(node)} (${where})`;
    const message = this.label ? `${this.label}: ${reason}` : reason;
    this.nodes.report?.(message, location);
    return unknown(message, location);
  }

  /** A node as messages show it: `a list`, `null`, `string "yes"`. */
  describe(node: N): string {
    switch (this.nodes.shape(node)) {
      case "list":
        return "a list";
      case "mapping":
        return "a mapping";
      case "null":
        return "null";
      case "unknown":
        return "an unknown value";
      case "scalar": {
        const value = this.nodes.scalar(node);
        // A long string (a policy document given where a list is expected) is named by its start.
        const text = typeof value === "string" && value.length > SHOWN ? `${value.slice(0, SHOWN)}…` : value;
        return `${typeof value} ${JSON.stringify(text)}`;
      }
      default:
        return "nothing";
    }
  }
}

/** How many characters of a string a message shows. */
const SHOWN = 60;

/** The boolean a string stands for where a boolean is expected, if any. */
export function booleanOfText(c: Coercion, text: string): boolean | undefined {
  const trimmed = c.trimsText ? text.trim() : text;
  const key = c.foldsBooleanCase ? trimmed.toLowerCase() : trimmed;
  if (c.trueText.includes(key)) return true;
  if (c.falseText.includes(key)) return false;
  return undefined;
}

/** The number a string stands for where a number is expected, if any (finite only). */
export function numberOfText(c: Coercion, text: string): number | undefined {
  if (!c.numberText.test(c.trimsText ? text.trim() : text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A decimal number: digits with an optional point, sign and exponent (no hexadecimal, no `Infinity`). Written so
 * that a run of digits can be matched one way only: a long digit string from an input is read in linear time.
 */
export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export { Unknown };
