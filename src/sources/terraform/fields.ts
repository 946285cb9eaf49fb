import type { SourceLocation } from "../../model/index.js";
import { type Maybe, Unknown } from "../../model/index.js";
import { type Shape, type SourceNodes, ValueReader } from "../fields.js";
import type { Body } from "./ast.js";
import { attribute } from "./ast.js";
import { type Evaluator, loc, type Scope } from "./evaluate.js";
import { TERRAFORM, type Val } from "./values.js";

/** An attribute as read: its value, where it was written, and the resource addresses it refers to. */
export interface Got {
  value: Val | undefined;
  loc: SourceLocation;
  refs: string[];
}

/**
 * A resource's configuration, or one of its nested blocks, as the mappers see it: the same for `.tf` files (an
 * evaluated HCL body) and plans (`planned_values`).
 */
export interface Src {
  loc: SourceLocation;
  get(name: string): Got;
  has(name: string): boolean;
  blocks(type: string): Src[] | Unknown;
  /**
   * The arguments and block types written in the configuration, in order, where known (not in a plan); `writtenAt`
   * locates the one at an index. Apart, because a location is made only for a name that is reported.
   */
  written?(): string[];
  writtenAt?(index: number): SourceLocation;
}

/** A resource's Src that records the names the mapper asks for: what it reads is what the type is known to accept. */
export class ReadNames implements Src {
  readonly names = new Set<string>();
  constructor(readonly inner: Src) {}

  get loc(): SourceLocation {
    return this.inner.loc;
  }

  get(name: string): Got {
    this.names.add(name);
    return this.inner.get(name);
  }

  has(name: string): boolean {
    this.names.add(name);
    return this.inner.has(name);
  }

  blocks(type: string): Src[] | Unknown {
    this.names.add(type);
    return this.inner.blocks(type);
  }
}

/** A block of a `.tf` file evaluated in its instance's scope. */
export class HclSrc implements Src {
  constructor(
    readonly ev: Evaluator,
    readonly body: Body,
    readonly scope: Scope,
    readonly file: string,
    /** The block's location: the instances of a resource share their block's. */
    readonly loc: SourceLocation,
  ) {}

  has(name: string): boolean {
    return (
      attribute(this.body, name) !== undefined ||
      this.body.blocks.some((b) => b.type === name || (b.type === "dynamic" && b.labels[0] === name))
    );
  }

  get(name: string): Got {
    const a = attribute(this.body, name);
    if (!a) return { value: undefined, loc: this.loc, refs: [] };
    const { value, refs } = this.ev.withRefs(() => this.ev.eval(a.expr, this.scope, a.file));
    return { value, loc: loc(a.file, a.pos), refs };
  }

  written(): string[] {
    const { attributes, blocks } = this.body;
    const names: string[] = [];
    for (const a of attributes) names.push(a.name);
    for (const b of blocks) names.push(b.type === "dynamic" ? (b.labels[0] ?? "dynamic") : b.type);
    return names;
  }

  writtenAt(index: number): SourceLocation {
    const { attributes, blocks } = this.body;
    const item = index < attributes.length ? attributes[index] : blocks[index - attributes.length];
    return item ? loc(item.file, item.pos) : this.loc;
  }

  blocks(type: string): Src[] | Unknown {
    const found = this.ev.blocks(this.body, type, this.scope, this.file);
    if (found instanceof Unknown) return found;
    return found.map((b) => new HclSrc(this.ev, b.body, b.scope, b.file, loc(b.file, b.pos)));
  }
}

/** Evaluated values, for the shared reader: they carry no position, so a read passes its attribute's. */
class ConfigNodes implements SourceNodes<Val, SourceLocation> {
  constructor(readonly report: (message: string, at: SourceLocation) => void) {}

  shape(v: Val | undefined): Shape {
    if (typeof v !== "object") return v === undefined ? "absent" : "scalar";
    if (v === null) return "null";
    if (v instanceof Unknown) return "unknown";
    return Array.isArray(v) ? "list" : "mapping";
  }

  scalar(v: Val): string | number | boolean {
    return v as string | number | boolean;
  }

  items(v: Val): Val[] {
    return v as Val[];
  }

  unknownOf(v: Val): Unknown {
    return v as Unknown;
  }

  location(_v: Val, at: SourceLocation | undefined): SourceLocation | undefined {
    return at;
  }
}

/**
 * Reads a resource's attributes into model values, recording a location for every field and turning values of the
 * wrong type into Unknown with a warning (never a guess).
 */
export class Fields {
  readonly fieldLocations: Record<string, SourceLocation>;
  private readonly values: ValueReader<Val, SourceLocation>;

  constructor(
    /** `aws_cloudtrail.main`, used in messages. */
    readonly label: string,
    warn: (message: string, at: SourceLocation) => void,
  ) {
    this.values = new ValueReader(new ConfigNodes(warn), TERRAFORM, { label });
    this.fieldLocations = this.values.fieldLocations;
  }

  record(field: string, at: SourceLocation): void {
    this.values.record(field, at);
  }

  get(src: Src, name: string, field: string | null): Got {
    const got = src.get(name);
    if (field) this.record(field, got.loc);
    return got;
  }

  str(got: Got, name: string): Maybe<string | null>;
  str(got: Got, name: string, fallback: string): Maybe<string>;
  str(got: Got, name: string, fallback: string | null = null): Maybe<string | null> {
    return this.values.str(got.value, name, fallback, got.loc);
  }

  /** A boolean; Terraform converts the strings `"true"` / `"false"`. Absent or null → fallback. */
  bool(got: Got, name: string, fallback: boolean | Unknown): Maybe<boolean> {
    return this.values.bool(got.value, name, fallback, got.loc);
  }

  num(got: Got, name: string): Maybe<number | null> {
    return this.values.num(got.value, name, got.loc);
  }

  strList(got: Got, name: string): Maybe<string[] | null> {
    return this.values.strList(got.value, name, false, got.loc);
  }

  /** Nested blocks; Unknown (with its location) when a dynamic block cannot be expanded. */
  blocks(src: Src, type: string, field: string | null): Src[] | Unknown {
    const found = src.blocks(type);
    if (field)
      this.record(field, found instanceof Unknown || found.length === 0 ? src.loc : (found[0] as Src).loc);
    return found;
  }
}
