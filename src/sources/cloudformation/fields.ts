import type { InputError, InputErrorCode, SourceLocation } from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import { type Coercion, DECIMAL, type Shape, type SourceNodes, ValueReader } from "../fields.js";
import { entryOf, type Pos, type RNode, type RScalar, type RSeq, type RUnknown } from "./tree.js";

/** What a mapper needs from the file being read. */
export interface ReadContext {
  file: string;
  errors: InputError[];
  /** One location object per position: many fields point at the same key, and inventories stay in memory. */
  locations?: WeakMap<Pos, SourceLocation>;
  /** The template's nodes as the shared field reader sees them (one for the file). */
  nodes?: SourceNodes<RNode>;
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
  ctx.errors.push(warning(ctx, message, pos, code));
}

function warning(
  ctx: ReadContext,
  message: string,
  at: { line: number; column: number },
  code: InputErrorCode,
): InputError {
  return { code, file: ctx.file, line: at.line, column: at.column, message, severity: "warning" };
}

/** A property looked up in a resolved mapping: its value (absent: undefined) and where to point at it. */
export interface Got {
  node: RNode | undefined;
  /** The key's position, or the enclosing key's when the property is absent. */
  pos: Pos;
}

/**
 * CloudFormation's conversions (its schema validation coerces template values): numbers and booleans are accepted
 * as strings and strings as numbers, booleans as `true`/`false` in any case; a `null` is refused ("'null' values are
 * not allowed in templates"), so it is a value of the wrong type, never "not set".
 */
export const CLOUDFORMATION: Coercion = {
  nullIsAbsent: false,
  scalarsAsText: true,
  trueText: ["true"],
  falseText: ["false"],
  foldsBooleanCase: true,
  trimsText: true,
  numberText: DECIMAL,
};

/** The resolved nodes of one template, for the shared reader. */
class TemplateNodes implements SourceNodes<RNode> {
  constructor(readonly ctx: ReadContext) {}

  shape(node: RNode | undefined): Shape {
    if (!node) return "absent";
    switch (node.kind) {
      case "scalar":
        return node.value === null ? "null" : "scalar";
      case "seq":
        return "list";
      case "map":
        return "mapping";
      default:
        return "unknown";
    }
  }

  scalar(node: RNode): string | number | boolean {
    return (node as RScalar).value as string | number | boolean;
  }

  items(node: RNode): RNode[] {
    return (node as RSeq).items;
  }

  unknownOf(node: RNode): Unknown {
    return unknown((node as RUnknown).reason, location(this.ctx, node.pos));
  }

  location(node: RNode): SourceLocation {
    return location(this.ctx, node.pos);
  }

  report(message: string, at: SourceLocation | undefined): void {
    if (at) this.ctx.errors.push(warning(this.ctx, message, at, "unresolved"));
  }
}

/**
 * Reads the properties of one resource into model values, recording a field location for every field it reads
 * and turning malformed values into Unknown (with a warning) instead of failing.
 */
export class FieldReader {
  readonly fieldLocations: Record<string, SourceLocation>;
  private readonly values: ValueReader<RNode>;

  constructor(
    readonly ctx: ReadContext,
    /** `MyTrail (AWS::CloudTrail::Trail)`, used in messages. */
    readonly label: string,
  ) {
    ctx.nodes ??= new TemplateNodes(ctx);
    this.values = new ValueReader(ctx.nodes, CLOUDFORMATION, { label });
    this.fieldLocations = this.values.fieldLocations;
  }

  loc(pos: Pos): SourceLocation {
    return location(this.ctx, pos);
  }

  record(field: string, pos: Pos): void {
    this.values.record(field, this.loc(pos));
  }

  /** Looks up `key` in `parent` (a resolved mapping) and records `field`'s location. */
  get(parent: Got, key: string, field: string | null): Got {
    const p = parent.node;
    let got: Got;
    if (!p) got = { node: undefined, pos: parent.pos };
    else if (p.kind === "unknown") got = { node: p, pos: parent.pos };
    else if (p.kind !== "map") {
      const wrong = this.values.wrong(p, undefined, `the value that holds ${key}`, "a mapping");
      got = { node: unknownNode(wrong.reason, p.pos), pos: parent.pos };
    } else {
      const e = entryOf(p, key);
      const removed = e ? undefined : p.removed?.find((x) => x.key === key);
      got = e
        ? { node: e.value, pos: e.keyPos }
        : { node: undefined, pos: removed ? removed.keyPos : parent.pos };
    }
    if (field) this.record(field, got.pos);
    return got;
  }

  unknownOf(node: RUnknown): Unknown {
    return unknown(node.reason, this.loc(node.pos));
  }

  /** A string; absent → `fallback` (default null). Numbers and booleans are accepted as their text. */
  str(got: Got, what: string): Maybe<string | null>;
  str(got: Got, what: string, fallback: string): Maybe<string>;
  str(got: Got, what: string, fallback: string | null = null): Maybe<string | null> {
    return this.values.str(got.node, what, fallback);
  }

  /** A boolean: `true`/`false` or the strings `"true"`/`"false"` in any case, as CloudFormation accepts. */
  bool(got: Got, what: string, fallback: boolean | Unknown): Maybe<boolean> {
    return this.values.bool(got.node, what, fallback);
  }

  /** A number; numeric strings are accepted. Absent → null. */
  num(got: Got, what: string): Maybe<number | null> {
    return this.values.num(got.node, what);
  }

  /** A list of strings; a single string is taken as a one-item list when `single` (IAM policy style). */
  strList(got: Got, what: string, single = false): Maybe<string[] | null> {
    return this.values.strList(got.node, what, single);
  }

  /** The items of a list (absent → null); anything else → Unknown. */
  list(got: Got, what: string): RNode[] | null | Unknown {
    return this.values.list(got.node, what);
  }

  /** A mapping's presence: null when absent, Unknown when undecidable or not a mapping. */
  mapping(got: Got, what: string): Got | null | Unknown {
    const node = this.values.mapping(got.node, what);
    return node === null || node instanceof Unknown ? node : got;
  }
}

function unknownNode(reason: string, pos: Pos): RUnknown {
  return { kind: "unknown", reason, pos, refs: [] };
}

export { refsOf } from "./tree.js";
export { Unknown };
