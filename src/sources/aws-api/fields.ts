import type { SourceLocation } from "../../model/index.js";
import { type Maybe, type Unknown, unknown } from "../../model/index.js";
import { type Coercion, type Shape, type SourceNodes, ValueReader } from "../fields.js";
import { type JsonArray, type JsonNode, type JsonScalar, member } from "../json.js";
import { type Answer, type AnswerDocument, whyNot } from "./answers.js";

/**
 * What AWS answers hold: JSON of the API's types. A string where a boolean or number is expected is read only as
 * services really give them (SNS and other attribute maps: `"true"`, `"false"`, integers); nothing else is converted.
 */
export const AWS_ANSWERS: Coercion = {
  nullIsAbsent: true,
  scalarsAsText: false,
  trueText: ["true"],
  falseText: ["false"],
  foldsBooleanCase: false,
  trimsText: false,
  numberText: /^-?\d+$/,
};

/** The JSON of one answer, for the shared reader. */
class AnswerNodes implements SourceNodes<JsonNode> {
  constructor(readonly file: AnswerDocument) {}

  shape(node: JsonNode | undefined): Shape {
    if (!node) return "absent";
    if (node.kind === "array") return "list";
    if (node.kind === "object") return "mapping";
    return node.value === null ? "null" : "scalar";
  }

  scalar(node: JsonNode): string | number | boolean {
    return (node as JsonScalar).value as string | number | boolean;
  }

  items(node: JsonNode): JsonNode[] {
    return (node as JsonArray).items;
  }

  /** JSON has no unknown values: never asked. */
  unknownOf(node: JsonNode): Unknown {
    return unknown(`${this.file.path} holds no value here`, this.location(node));
  }

  location(node: JsonNode): SourceLocation | undefined {
    return this.file.location(node);
  }

  report(message: string, at: SourceLocation | undefined): void {
    this.file.report?.(message, at);
  }
}

/**
 * The one field reader of the AWS answers: reads typed values out of one answer for one resource, recording where
 * each field's value sits (`fieldLocations`) when the answer is a file. Absent members are `null` (known unset)
 * unless a default is given; a value of the wrong type is Unknown, naming where it is.
 */
export class FieldReader {
  private readonly values: ValueReader<JsonNode>;

  constructor(
    readonly file: AnswerDocument,
    readonly locations: Record<string, SourceLocation>,
  ) {
    this.values = new ValueReader(new AnswerNodes(file), AWS_ANSWERS, {
      origin: file.path,
      fieldLocations: locations,
    });
  }

  record(field: string | null, node: JsonNode | undefined): void {
    if (field && node) this.values.record(field, this.file.location(node));
  }

  loc(node: JsonNode): SourceLocation | undefined {
    return this.file.location(node);
  }

  /** Where a value is, for messages: `describe-trails.json line 4`, or `the DescribeTrails answer`. */
  where(node: JsonNode): string {
    const at = this.file.location(node);
    return at ? `${at.file} line ${at.line}` : this.file.path;
  }

  bool<D extends Maybe<boolean | null>>(
    node: JsonNode | undefined,
    field: string | null,
    name: string,
    absent: D,
  ): Maybe<boolean> | D {
    this.record(field, node);
    return this.values.bool(node, name, absent);
  }

  str(node: JsonNode | undefined, field: string | null, name: string): Maybe<string | null> {
    this.record(field, node);
    return this.values.str(node, name);
  }

  num(node: JsonNode | undefined, field: string | null, name: string): Maybe<number | null> {
    this.record(field, node);
    return this.values.num(node, name);
  }

  /** A list of strings (AWS answers give arrays: a string alone is a value of the wrong type). Absent → null. */
  strList(node: JsonNode | undefined, field: string | null, name: string): Maybe<string[] | null> {
    this.record(field, node);
    return this.values.strList(node, name);
  }

  list(node: JsonNode | undefined, field: string | null, name: string): Maybe<JsonNode[] | null> {
    this.record(field, node);
    return this.values.list(node, name);
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
