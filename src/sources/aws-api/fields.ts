import type { SourceLocation } from "../../model/index.js";
import { type Maybe, type Unknown, unknown } from "../../model/index.js";
import { isNull, type JsonNode, member } from "../json.js";
import { type Answer, type AnswerDocument, whyNot } from "./answers.js";

/**
 * The one field reader of the AWS answers: reads typed values out of one answer for one resource, recording where
 * each field's value sits (`fieldLocations`) when the answer is a file. Absent members are `null` (known unset)
 * unless a default is given; a value of the wrong type is Unknown, naming where it is.
 */
export class FieldReader {
  constructor(
    readonly file: AnswerDocument,
    readonly locations: Record<string, SourceLocation>,
  ) {}

  record(field: string | null, node: JsonNode | undefined): void {
    const at = field && node ? this.file.location(node) : undefined;
    if (field && at) this.locations[field] = at;
  }

  loc(node: JsonNode): SourceLocation | undefined {
    return this.file.location(node);
  }

  /** Where a value is, for messages: `describe-trails.json line 4`, or `the DescribeTrails answer`. */
  where(node: JsonNode): string {
    const at = this.file.location(node);
    return at ? `${at.file} line ${at.line}` : this.file.path;
  }

  private wrong(node: JsonNode, name: string, expected: string): Unknown {
    return unknown(`${name} in ${this.where(node)} is not ${expected}`, this.file.location(node));
  }

  bool<D extends Maybe<boolean | null>>(
    node: JsonNode | undefined,
    field: string | null,
    name: string,
    absent: D,
  ): Maybe<boolean> | D {
    this.record(field, node);
    if (isNull(node) || !node) return absent;
    if (node.kind === "scalar" && typeof node.value === "boolean") return node.value;
    // SNS and some other services give booleans as strings.
    if (node.kind === "scalar" && (node.value === "true" || node.value === "false"))
      return node.value === "true";
    return this.wrong(node, name, "true or false");
  }

  str(node: JsonNode | undefined, field: string | null, name: string): Maybe<string | null> {
    this.record(field, node);
    if (isNull(node) || !node) return null;
    if (node.kind === "scalar" && typeof node.value === "string") return node.value;
    return this.wrong(node, name, "a string");
  }

  num(node: JsonNode | undefined, field: string | null, name: string): Maybe<number | null> {
    this.record(field, node);
    if (isNull(node) || !node) return null;
    if (node.kind === "scalar" && typeof node.value === "number") return node.value;
    if (node.kind === "scalar" && typeof node.value === "string" && /^-?\d+$/.test(node.value)) {
      return Number(node.value);
    }
    return this.wrong(node, name, "a number");
  }

  /** A list of strings (a single string counts as a list of one, as in IAM policies). Absent → null. */
  strList(node: JsonNode | undefined, field: string | null, name: string): Maybe<string[] | null> {
    this.record(field, node);
    if (isNull(node) || !node) return null;
    if (node.kind === "scalar" && typeof node.value === "string") return [node.value];
    if (node.kind !== "array") return this.wrong(node, name, "a list of strings");
    const out: string[] = [];
    for (const item of node.items) {
      if (item.kind !== "scalar" || typeof item.value !== "string") return this.wrong(item, name, "a string");
      out.push(item.value);
    }
    return out;
  }

  list(node: JsonNode | undefined, field: string | null, name: string): Maybe<JsonNode[] | null> {
    this.record(field, node);
    if (isNull(node) || !node) return null;
    if (node.kind !== "array") return this.wrong(node, name, "a list");
    return node.items;
  }
}

/** Requires a value that AWS always returns: absent is Unknown, naming the file. */
export function required<T>(value: Maybe<T | null>, reader: FieldReader, name: string): Maybe<T> {
  if (value !== null) return value;
  const at = reader.file.location({ start: 0, end: 0 });
  return unknown(`${name} is missing from ${reader.file.path}`, at && { file: at.file, line: 1, column: 1 });
}

export interface Outcomes<T> {
  /** The command's output. */
  json(reader: FieldReader, root: JsonNode): Maybe<T>;
  /** Error codes by which AWS says "not configured", and the value that means. */
  notConfigured?: { codes: string[]; value: T };
  /** The value when the command printed nothing. */
  empty?: T;
}

/**
 * A field answered by one command: its output, its "not configured" error, or Unknown naming the file that would
 * have told. `field` is recorded as pointing at the evidence.
 */
export function fromAnswer<T>(
  answer: Answer,
  field: string,
  locations: Record<string, SourceLocation>,
  outcomes: Outcomes<T>,
): Maybe<T> {
  switch (answer.kind) {
    case "json": {
      const reader = new FieldReader(answer.file, locations);
      reader.record(field, answer.root);
      return outcomes.json(reader, answer.root);
    }
    case "error":
      if (outcomes.notConfigured?.codes.includes(answer.code)) {
        if (answer.location) locations[field] = answer.location;
        return outcomes.notConfigured.value;
      }
      return unknown(whyNot(answer), answer.location);
    case "empty":
      if (outcomes.empty !== undefined) {
        locations[field] = answer.location;
        return outcomes.empty;
      }
      return unknown(whyNot(answer), answer.location);
    default:
      return unknown(whyNot(answer));
  }
}

/** The items of a listing command's list, each with a reader on its file. */
export function listed(answer: Answer, key: string): { item: JsonNode; reader: FieldReader }[] {
  if (answer.kind !== "json") return [];
  const list = member(answer.root, key);
  if (list?.kind !== "array") return [];
  return list.items.map((item) => ({ item, reader: new FieldReader(answer.file, {}) }));
}
