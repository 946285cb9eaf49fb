/**
 * A strict JSON parser (RFC 8259) that keeps where each value and each object key starts, so that a resource read
 * from a snapshot can point at its line. Values are plain JavaScript values; positions are 1-based.
 */
export interface Pos {
  line: number;
  column: number;
}

export type JsonNode =
  | { kind: "object"; pos: Pos; entries: { key: string; keyPos: Pos; value: JsonNode }[] }
  | { kind: "array"; pos: Pos; items: JsonNode[] }
  | { kind: "scalar"; pos: Pos; value: string | number | boolean | null };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: Pos,
  ) {
    super(`${message} (line ${pos.line}, column ${pos.column})`);
  }
}

export function parseJson(text: string): JsonNode {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = 0;
  const pos = (): Pos => ({ line, column: i - lineStart + 1 });
  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, pos());
  };

  const skip = () => {
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) {
        i++;
        line++;
        lineStart = i;
      } else if (c === 0x20 || c === 0x09 || c === 0x0d) i++;
      else return;
    }
  };

  const string = (): string => {
    // text[i] is the opening quote.
    let out = "";
    let start = ++i;
    for (;;) {
      const c = text.charCodeAt(i);
      if (Number.isNaN(c)) fail("unterminated string");
      if (c === 0x22) {
        out += text.slice(start, i++);
        return out;
      }
      if (c < 0x20) fail("control character in a string");
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        const simple: Record<string, string> = {
          '"': '"',
          "\\": "\\",
          "/": "/",
          b: "\b",
          f: "\f",
          n: "\n",
          r: "\r",
          t: "\t",
        };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === "u") {
          const hex = text.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
          out += String.fromCharCode(Number.parseInt(hex, 16));
          i += 6;
        } else fail("bad escape");
        start = i;
      } else i++;
    }
  };

  const value = (): JsonNode => {
    skip();
    const at = pos();
    const c = text[i];
    if (c === "{") {
      i++;
      const entries: { key: string; keyPos: Pos; value: JsonNode }[] = [];
      skip();
      if (text[i] === "}") {
        i++;
        return { kind: "object", pos: at, entries };
      }
      for (;;) {
        skip();
        if (text[i] !== '"') fail("expected a string key");
        const keyPos = pos();
        const key = string();
        skip();
        if (text[i] !== ":") fail("expected ':'");
        i++;
        entries.push({ key, keyPos, value: value() });
        skip();
        if (text[i] === ",") i++;
        else if (text[i] === "}") {
          i++;
          return { kind: "object", pos: at, entries };
        } else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      skip();
      if (text[i] === "]") {
        i++;
        return { kind: "array", pos: at, items };
      }
      for (;;) {
        items.push(value());
        skip();
        if (text[i] === ",") i++;
        else if (text[i] === "]") {
          i++;
          return { kind: "array", pos: at, items };
        } else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return { kind: "scalar", pos: at, value: string() };
    for (const [word, v] of [
      ["true", true],
      ["false", false],
      ["null", null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return { kind: "scalar", pos: at, value: v };
      }
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 64));
    if (number) {
      i += number[0].length;
      return { kind: "scalar", pos: at, value: Number(number[0]) };
    }
    return fail(c === undefined ? "unexpected end of input" : `unexpected character ${JSON.stringify(c)}`);
  };

  const root = value();
  skip();
  if (i < text.length) fail("unexpected text after the JSON value");
  return root;
}

/** The plain value of a node. */
export function plain(node: JsonNode): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "array") return node.items.map(plain);
  const out: Record<string, unknown> = {};
  for (const e of node.entries) out[e.key] = plain(e.value);
  return out;
}
