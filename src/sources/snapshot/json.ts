import { LocatedJson, type JsonNode as LocatedNode, JsonSyntaxError as LocatedSyntaxError } from "../json.js";
import { LineIndex } from "../line-index.js";

/**
 * A snapshot's JSON as the snapshot reader walks it: the sources' one JSON parser (src/sources/json.ts), with each
 * value's and each property name's offset turned into a 1-based line and column.
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
  let parsed: LocatedJson;
  try {
    parsed = LocatedJson.parse("", text);
  } catch (error) {
    if (error instanceof LocatedSyntaxError)
      throw new JsonSyntaxError(error.message, new LineIndex(text).position(error.offset));
    throw error;
  }
  const pos = (offset: number): Pos => parsed.position(offset);
  const root = parsed.root;
  const convert = (node: LocatedNode): JsonNode => {
    if (node.kind === "scalar") return { kind: "scalar", pos: pos(node.start), value: node.value };
    if (node.kind === "array") return { kind: "array", pos: pos(node.start), items: node.items.map(convert) };
    return {
      kind: "object",
      pos: pos(node.start),
      // Of a name given twice, the last value counts (as for JSON.parse).
      entries: node.entries
        .filter((e) => node.members.get(e.key) === e.value)
        .map((e) => ({ key: e.key, keyPos: pos(e.keyStart), value: convert(e.value) })),
    };
  };
  return convert(root);
}

/** The plain value of a node. */
export function plain(node: JsonNode): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "array") return node.items.map(plain);
  const out: Record<string, unknown> = {};
  for (const e of node.entries) out[e.key] = plain(e.value);
  return out;
}
