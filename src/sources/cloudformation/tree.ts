/** The located document tree the CloudFormation reader works on, before and after intrinsic evaluation. */

/** A 1-based span in the template text. */
export interface Pos {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

// ---------------------------------------------------------------- parsed (short forms already in long form)

export type LNode = LScalar | LMap | LSeq | LBad;

export interface LScalar {
  kind: "scalar";
  value: string | number | boolean | null;
  pos: Pos;
}

export interface LEntry {
  key: string;
  /** Position of the key (start) up to the end of the value. */
  keyPos: Pos;
  value: LNode;
}

export interface LMap {
  kind: "map";
  entries: LEntry[];
  pos: Pos;
}

export interface LSeq {
  kind: "seq";
  items: LNode[];
  pos: Pos;
}

/** A node the parser could not make sense of (an unknown tag): evaluates to Unknown. */
export interface LBad {
  kind: "bad";
  reason: string;
  pos: Pos;
}

// ---------------------------------------------------------------- resolved (intrinsics evaluated)

export type RNode = RScalar | RMap | RSeq | RUnknown;

export interface RScalar {
  kind: "scalar";
  value: string | number | boolean | null;
  pos: Pos;
  /**
   * Logical ids of template resources this value was derived from by Ref / GetAtt / Sub. Absent on a literal of the
   * template: a parsed scalar is its own resolved value (see `refsOf`).
   */
  refs?: string[];
  /** True when the string contains a deploy-time placeholder such as `${AWS::AccountId}`. */
  deploy?: boolean;
}

export interface REntry {
  key: string;
  keyPos: Pos;
  value: RNode;
}

export interface RMap {
  kind: "map";
  entries: REntry[];
  pos: Pos;
  /** Keys whose value resolved to `AWS::NoValue`: absent, but a finding about them points at their line. */
  removed?: RemovedEntry[];
}

export interface RemovedEntry {
  key: string;
  keyPos: Pos;
}

export interface RSeq {
  kind: "seq";
  items: RNode[];
  pos: Pos;
}

export interface RUnknown {
  kind: "unknown";
  reason: string;
  pos: Pos;
  refs: string[];
}

/** Most values refer to no resource: they share one (frozen) empty list. */
export const NO_REFS = Object.freeze([]) as unknown as string[];

/** The logical ids a resolved value refers to (through Ref / GetAtt / Sub). */
export function refsOf(node: RNode | undefined): string[] {
  if (node?.kind === "scalar" || node?.kind === "unknown") return node.refs ?? NO_REFS;
  return NO_REFS;
}

export function entryOf<E extends { key: string }>(map: { entries: E[] }, key: string): E | undefined {
  // CloudFormation keys are unique (the parser rejects duplicates), so the first match is the only one.
  for (const e of map.entries) if (e.key === key) return e;
  return undefined;
}

export function describe(node: LNode | RNode): string {
  switch (node.kind) {
    case "map":
      return "a mapping";
    case "seq":
      return "a list";
    case "scalar":
      return node.value === null ? "null" : `${typeof node.value} ${JSON.stringify(node.value)}`;
    default:
      return "an unknown value";
  }
}
