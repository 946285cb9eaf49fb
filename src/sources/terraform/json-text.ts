/**
 * JSON with the position of every value, for Terraform's JSON syntax (`.tf.json`, `.tfvars.json`) whose locations
 * point at lines, and for syntax errors that name the line. Standard JSON (RFC 8259) only.
 */
export type JsonNode =
  | { kind: "object"; entries: { key: string; keyOffset: number; value: JsonNode }[]; offset: number }
  | { kind: "array"; items: JsonNode[]; offset: number }
  | { kind: "string"; value: string; offset: number }
  | { kind: "number"; value: number; offset: number }
  | { kind: "boolean"; value: boolean; offset: number }
  | { kind: "null"; offset: number };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Nesting deeper than this is refused (a clear error, not a stack overflow). */
const MAX_DEPTH = 512;

export function parseJsonText(text: string): JsonNode {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i >= text.length ? `unexpected end of input, ${what}` : what, i);
  };
  const space = () => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    let out = "";
    let chunk = i;
    for (;;) {
      if (i >= text.length) {
        i = start;
        fail("a string is not closed");
      }
      const c = text[i];
      if (c === '"') break;
      if (c === "\\") {
        out += text.slice(chunk, i);
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
        } else if (e === "u" && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(Number.parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail("invalid escape in a string");
        chunk = i;
        continue;
      }
      if ((c?.charCodeAt(0) ?? 0) < 32) fail("a control character inside a string");
      i++;
    }
    out += text.slice(chunk, i);
    i++;
    return out;
  };
  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    space();
    const offset = i;
    const c = text[i];
    if (c === "{") {
      i++;
      const entries: { key: string; keyOffset: number; value: JsonNode }[] = [];
      space();
      if (text[i] === "}") {
        i++;
        return { kind: "object", entries, offset };
      }
      for (;;) {
        space();
        if (text[i] !== '"') fail("expected a property name in double quotes");
        const keyOffset = i;
        const key = string();
        space();
        if (text[i] !== ":") fail("expected ':' after a property name");
        i++;
        entries.push({ key, keyOffset, value: value(depth + 1) });
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "}") {
          i++;
          return { kind: "object", entries, offset };
        }
        fail("expected ',' or '}' in an object");
      }
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      space();
      if (text[i] === "]") {
        i++;
        return { kind: "array", items, offset };
      }
      for (;;) {
        items.push(value(depth + 1));
        space();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] === "]") {
          i++;
          return { kind: "array", items, offset };
        }
        fail("expected ',' or ']' in an array");
      }
    }
    if (c === '"') return { kind: "string", value: string(), offset };
    const word = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      text.slice(i, i + 400),
    );
    if (!word) return fail("unexpected character");
    i += word[0].length;
    if (word[0] === "true" || word[0] === "false")
      return { kind: "boolean", value: word[0] === "true", offset };
    if (word[0] === "null") return { kind: "null", offset };
    return { kind: "number", value: Number(word[0]), offset };
  };
  const root = value(0);
  space();
  if (i < text.length) fail("unexpected text after the JSON value");
  return root;
}

/** Offset → 1-based line and column. */
export function lineIndex(text: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  };
}
