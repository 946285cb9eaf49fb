import type { SourceLocation } from "../model/index.js";
import { LineIndex } from "./line-index.js";

/**
 * The strict JSON parser (RFC 8259) of the sources that read JSON files (exports, snapshots, Terraform's JSON syntax
 * and plans): it keeps where every value and every property name sits, so that findings and syntax errors point at
 * the line of the file that holds the evidence. Anything but JSON (YAML, comments, trailing commas) is an error, and
 * so is nesting deeper than the limit (which would otherwise exhaust the stack).
 */

export type JsonNode = JsonObject | JsonArray | JsonScalar;

interface Span {
  /** Offsets into the text: first character, one past the last. */
  start: number;
  end: number;
}

export interface JsonObject extends Span {
  kind: "object";
  /** Lookup by name; of a name given twice, the last value. */
  members: Map<string, JsonNode>;
  /** Every property in the order written, names given twice included. */
  entries: JsonEntry[];
}

export interface JsonEntry {
  key: string;
  /** Offset of the property name's opening quote. */
  keyStart: number;
  value: JsonNode;
}

export interface JsonArray extends Span {
  kind: "array";
  items: JsonNode[];
}

export interface JsonScalar extends Span {
  kind: "scalar";
  value: string | number | boolean | null;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** More nesting than this is not AWS CLI output or a snapshot. */
export const DEFAULT_MAX_DEPTH = 128;

export interface JsonParseOptions {
  /** Nesting allowed; deeper is a syntax error. */
  maxDepth?: number;
}

/** A parsed file: its tree and the means to turn offsets into 1-based lines and columns. */
export class LocatedJson {
  readonly lines: LineIndex;

  constructor(
    readonly path: string,
    readonly text: string,
    readonly root: JsonNode,
  ) {
    this.lines = new LineIndex(text);
  }

  /** Parses `text`; throws JsonSyntaxError with the offset of the problem. */
  static parse(path: string, text: string, options: JsonParseOptions = {}): LocatedJson {
    return new LocatedJson(path, text, new Parser(text, options.maxDepth ?? DEFAULT_MAX_DEPTH).document());
  }

  location(node: Span): SourceLocation {
    const a = this.position(node.start);
    const b = this.position(Math.max(node.start, node.end));
    return { file: this.path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  position(offset: number): { line: number; column: number } {
    return this.lines.position(offset);
  }
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

class Parser {
  private i = 0;

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    // A byte-order mark is not content (PowerShell's `>` writes one).
    if (text.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  document(): JsonNode {
    this.space();
    const root = this.value(0);
    this.space();
    if (this.i < this.text.length) this.fail(`unexpected ${this.describeHere()} after the JSON value`);
    return root;
  }

  private value(depth: number): JsonNode {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
    const c = this.text[this.i];
    if (c === "{") return this.object(depth);
    if (c === "[") return this.array(depth);
    const start = this.i;
    if (c === '"') return { kind: "scalar", value: this.string(), start, end: this.i };
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.number();
    for (const [word, value] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return { kind: "scalar", value, start, end: this.i };
      }
    }
    return this.fail(`expected a JSON value, found ${this.describeHere()}`);
  }

  private object(depth: number): JsonObject {
    const start = this.i++;
    const members = new Map<string, JsonNode>();
    const entries: JsonEntry[] = [];
    this.space();
    if (this.text[this.i] === "}") {
      this.i++;
      return { kind: "object", members, entries, start, end: this.i };
    }
    for (;;) {
      this.space();
      if (this.text[this.i] !== '"') this.fail(`expected a property name, found ${this.describeHere()}`);
      const keyStart = this.i;
      const key = this.string();
      this.space();
      if (this.text[this.i] !== ":")
        this.fail(`expected ':' after a property name, found ${this.describeHere()}`);
      this.i++;
      this.space();
      const value = this.value(depth + 1);
      members.set(key, value);
      entries.push({ key, keyStart, value });
      this.space();
      const c = this.text[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "}") {
        this.i++;
        return { kind: "object", members, entries, start, end: this.i };
      }
      this.fail(`expected ',' or '}' in an object, found ${this.describeHere()}`);
    }
  }

  private array(depth: number): JsonArray {
    const start = this.i++;
    const items: JsonNode[] = [];
    this.space();
    if (this.text[this.i] === "]") {
      this.i++;
      return { kind: "array", items, start, end: this.i };
    }
    for (;;) {
      this.space();
      items.push(this.value(depth + 1));
      this.space();
      const c = this.text[this.i];
      if (c === ",") {
        this.i++;
        continue;
      }
      if (c === "]") {
        this.i++;
        return { kind: "array", items, start, end: this.i };
      }
      this.fail(`expected ',' or ']' in a list, found ${this.describeHere()}`);
    }
  }

  private string(): string {
    this.i++; // opening quote
    let out = "";
    let chunk = this.i;
    for (;;) {
      const c = this.text[this.i];
      if (c === undefined) this.fail("unterminated string");
      if (c === '"') {
        out += this.text.slice(chunk, this.i);
        this.i++;
        return out;
      }
      if (c === "\\") {
        out += this.text.slice(chunk, this.i);
        const e = this.text[this.i + 1];
        if (e === "u") {
          const hex = this.text.slice(this.i + 2, this.i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("invalid \\u escape");
          out += String.fromCharCode(Number.parseInt(hex, 16));
          this.i += 6;
        } else if (e !== undefined && e in ESCAPES) {
          out += ESCAPES[e];
          this.i += 2;
        } else {
          this.fail(`invalid escape \\${e ?? ""}`);
        }
        chunk = this.i;
        continue;
      }
      if (c < " ") this.fail("control character in a string");
      this.i++;
    }
  }

  private number(): JsonScalar {
    const start = this.i;
    const match = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 64));
    if (!match) this.fail("invalid number");
    this.i += match[0].length;
    return { kind: "scalar", value: Number(match[0]), start, end: this.i };
  }

  private space(): void {
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c !== " " && c !== "\n" && c !== "\r" && c !== "\t") return;
      this.i++;
    }
  }

  private describeHere(): string {
    const c = this.text[this.i];
    return c === undefined ? "the end of the file" : JSON.stringify(c);
  }

  private fail(message: string): never {
    throw new JsonSyntaxError(message, Math.min(this.i, this.text.length));
  }
}

// ---------------------------------------------------------------- reading values

export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  return node?.kind === "object" ? node.members.get(key) : undefined;
}

/** Follows a path of member names. */
export function path(node: JsonNode | undefined, ...keys: string[]): JsonNode | undefined {
  let at = node;
  for (const key of keys) at = member(at, key);
  return at;
}

export function stringOf(node: JsonNode | undefined): string | undefined {
  return node?.kind === "scalar" && typeof node.value === "string" ? node.value : undefined;
}

export function itemsOf(node: JsonNode | undefined): JsonNode[] | undefined {
  return node?.kind === "array" ? node.items : undefined;
}

export function isNull(node: JsonNode | undefined): boolean {
  return node === undefined || (node.kind === "scalar" && node.value === null);
}

/** The plain value of a node (of a name given twice, the last value, as `JSON.parse` gives). */
export function plainOf(node: JsonNode): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "array") return node.items.map(plainOf);
  const out: Record<string, unknown> = {};
  // Defined, not assigned: a member named `__proto__` stays a member, as in JSON.parse.
  for (const [key, value] of node.members)
    Object.defineProperty(out, key, {
      value: plainOf(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}
