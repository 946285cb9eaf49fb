import type { InputError, InputErrorCode, SourceLocation } from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import { describe, type Pos, type RNode, type RUnknown } from "./tree.js";

/** What a mapper needs from the file being read. */
export interface ReadContext {
  file: string;
  errors: InputError[];
  /** One location object per position: many fields point at the same key, and inventories stay in memory. */
  locations?: WeakMap<Pos, SourceLocation>;
}

export function location(ctx: ReadContext, pos: Pos): SourceLocation {
  ctx.locations ??= new WeakMap();
  let loc = ctx.locations.get(pos);
  if (!loc) {
    loc = {
      file: ctx.file,
      line: pos.line,
      column: pos.column,
      endLine: pos.endLine,
      endColumn: pos.endColumn,
    };
    ctx.locations.set(pos, loc);
  }
  return loc;
}

export function warn(ctx: ReadContext, message: string, pos: Pos, code: InputErrorCode = "unresolved"): void {
  ctx.errors.push({ code, file: ctx.file, line: pos.line, column: pos.column, message, severity: "warning" });
}

/** A property looked up in a resolved mapping: its value (absent: undefined) and where to point at it. */
export interface Got {
  node: RNode | undefined;
  /** The key's position, or the enclosing key's when the property is absent. */
  pos: Pos;
}

/**
 * Reads the properties of one resource into model values, recording a field location for every field it reads
 * and turning malformed values into Unknown (with a warning) instead of failing.
 */
export class FieldReader {
  readonly fieldLocations: Record<string, SourceLocation> = {};

  constructor(
    readonly ctx: ReadContext,
    /** `MyTrail (AWS::CloudTrail::Trail)`, used in messages. */
    readonly label: string,
  ) {}

  loc(pos: Pos): SourceLocation {
    return location(this.ctx, pos);
  }

  record(field: string, pos: Pos): void {
    this.fieldLocations[field] = this.loc(pos);
  }

  /** Looks up `key` in `parent` (a resolved mapping) and records `field`'s location. */
  get(parent: Got, key: string, field: string | null): Got {
    const p = parent.node;
    let got: Got;
    if (!p) got = { node: undefined, pos: parent.pos };
    else if (p.kind === "unknown") got = { node: p, pos: parent.pos };
    else if (p.kind !== "map") {
      const reason = `${this.label}: expected ${key} inside a mapping, got ${describe(p)} (line ${p.pos.line})`;
      warn(this.ctx, reason, p.pos);
      got = { node: unknownNode(reason, p.pos), pos: parent.pos };
    } else {
      const e = p.entries.find((x) => x.key === key);
      const removed = e ? undefined : p.removed?.find((x) => x.key === key);
      got = e
        ? { node: e.value, pos: e.keyPos }
        : { node: undefined, pos: removed ? removed.keyPos : parent.pos };
    }
    if (field) this.record(field, got.pos);
    return got;
  }

  private bad(what: string, expected: string, node: RNode): Unknown {
    const reason = `${what} must be ${expected}, got ${describe(node)} (line ${node.pos.line})`;
    warn(this.ctx, `${this.label}: ${reason}`, node.pos);
    return unknown(reason, this.loc(node.pos));
  }

  unknownOf(node: RUnknown): Unknown {
    return unknown(node.reason, this.loc(node.pos));
  }

  /** A string; absent → `fallback` (default null). Numbers and booleans are accepted as their text. */
  str(got: Got, what: string): Maybe<string | null>;
  str(got: Got, what: string, fallback: string): Maybe<string>;
  str(got: Got, what: string, fallback: string | null = null): Maybe<string | null> {
    const n = got.node;
    if (!n) return fallback;
    if (n.kind === "unknown") return this.unknownOf(n);
    if (n.kind === "scalar") {
      if (n.value === null) return fallback;
      return String(n.value);
    }
    return this.bad(what, "a string", n);
  }

  /** A boolean: `true`/`false` or the strings `"true"`/`"false"` in any case, as CloudFormation accepts. */
  bool(got: Got, what: string, fallback: boolean): Maybe<boolean>;
  bool(got: Got, what: string, fallback: Unknown): Maybe<boolean>;
  bool(got: Got, what: string, fallback: boolean | Unknown): Maybe<boolean> {
    const n = got.node;
    if (!n) return fallback;
    if (n.kind === "unknown") return this.unknownOf(n);
    if (n.kind === "scalar") {
      if (typeof n.value === "boolean") return n.value;
      if (typeof n.value === "string" && /^(true|false)$/i.test(n.value.trim())) {
        return n.value.trim().toLowerCase() === "true";
      }
    }
    return this.bad(what, "a boolean", n);
  }

  /** A number; numeric strings are accepted. Absent → null. */
  num(got: Got, what: string): Maybe<number | null> {
    const n = got.node;
    if (!n) return null;
    if (n.kind === "unknown") return this.unknownOf(n);
    if (n.kind === "scalar") {
      if (typeof n.value === "number") return n.value;
      if (typeof n.value === "string" && n.value.trim() !== "" && Number.isFinite(Number(n.value))) {
        return Number(n.value);
      }
      if (n.value === null) return null;
    }
    return this.bad(what, "a number", n);
  }

  /** A list of strings; a single string is taken as a one-item list when `single` (IAM policy style). */
  strList(got: Got, what: string, single = false): Maybe<string[] | null> {
    const n = got.node;
    if (!n) return null;
    if (n.kind === "unknown") return this.unknownOf(n);
    if (n.kind === "scalar" && single && n.value !== null) return [String(n.value)];
    if (n.kind !== "seq")
      return this.bad(what, single ? "a string or a list of strings" : "a list of strings", n);
    const out: string[] = [];
    for (const item of n.items) {
      if (item.kind === "unknown") return unknown(`${what}: ${item.reason}`, this.loc(item.pos));
      if (item.kind !== "scalar" || item.value === null) return this.bad(`${what} items`, "strings", item);
      out.push(String(item.value));
    }
    return out;
  }

  /** The items of a list (absent → null); anything else → Unknown. */
  list(got: Got, what: string): RNode[] | null | Unknown {
    const n = got.node;
    if (!n) return null;
    if (n.kind === "unknown") return this.unknownOf(n);
    if (n.kind !== "seq") return this.bad(what, "a list", n);
    for (const item of n.items) {
      if (item.kind === "unknown") return unknown(`${what}: ${item.reason}`, this.loc(item.pos));
    }
    return n.items;
  }

  /** A mapping's presence: null when absent, Unknown when undecidable or not a mapping. */
  mapping(got: Got, what: string): Got | null | Unknown {
    const n = got.node;
    if (!n) return null;
    if (n.kind === "unknown") return this.unknownOf(n);
    if (n.kind !== "map") return this.bad(what, "a mapping", n);
    return got;
  }
}

function unknownNode(reason: string, pos: Pos): RUnknown {
  return { kind: "unknown", reason, pos, refs: [] };
}

/** The logical ids a resolved value refers to (through Ref / GetAtt / Sub). */
export function refsOf(node: RNode | undefined): string[] {
  if (!node) return [];
  if (node.kind === "scalar" || node.kind === "unknown") return node.refs;
  return [];
}

export { Unknown };
