import type { SourceLocation } from "../../model/index.js";
import type { JsonNode } from "../json.js";

/**
 * The answers of AWS API calls, however they were obtained: a live call through the SDK, or a file of an export
 * folder holding the AWS CLI's output (whose JSON has the API's member names). The mappers of this folder turn
 * answers into the model, so that live scans and exports read the same shapes the same way.
 */

/** Where an answer's JSON came from: a file (its values have positions) or a live call (they have none). */
export interface AnswerDocument {
  /** How messages name it: the file's path, or `the DescribeTrails answer`. */
  readonly path: string;
  /** Where a value (or any span of the text) sits; undefined for a live answer. */
  location(node: { start: number; end: number }): SourceLocation | undefined;
  /** Reports a value of the wrong type: a file holding one is not quite the AWS CLI's output. */
  report?(message: string, at: SourceLocation | undefined): void;
}

/** What the source says about one command (for one resource). */
export type Answer =
  /** The command's output. */
  | { kind: "json"; file: AnswerDocument; root: JsonNode }
  /**
   * The command failed; `code` is the AWS error code (`NoSuchBucketPolicy`, `AccessDenied`), `reason` the message
   * for Unknown values, `file` the file that recorded it.
   */
  | { kind: "error"; code: string; message: string; reason: string; file?: string; location?: SourceLocation }
  /** The command succeeded and printed nothing (how S3 answers "never configured" for versioning and logging). */
  | { kind: "empty"; file: string; location: SourceLocation; reason: string }
  /** Not asked, or no file for it: `expected` is the file that would have told. */
  | { kind: "absent"; reason: string; expected?: string }
  /** An answer is there but cannot be used (unreadable, not JSON, not this command's output); already reported. */
  | { kind: "unusable"; file: string; reason: string };

/**
 * The answers of one account, by command (the AWS CLI's name: `get-trail-status`) and resource id (`""` for
 * account-wide commands).
 */
export interface AnswerSource {
  answer(command: string, id?: string): Answer;
  /** Ids for which there is an answer of this command. */
  ids(command: string): string[];
  /** Prefix of the ids of resources that have no ARN in their answer. */
  readonly dir: string;
}

/** Why a field cannot be told from this answer (for Unknown reasons). */
export function whyNot(answer: Answer): string {
  return answer.kind === "json" ? `${answer.file.path} does not say` : answer.reason;
}

/** Where an answer was recorded, when it was a file. */
export function answerLocation(answer: Answer): SourceLocation | undefined {
  switch (answer.kind) {
    case "json":
      return answer.file.location(answer.root);
    case "error":
    case "empty":
      return answer.location;
    default:
      return undefined;
  }
}

/** A live call's answer document: values without positions. */
export function liveDocument(operation: string): AnswerDocument {
  return { path: `the ${operation} answer`, location: () => undefined };
}

/**
 * An SDK response as the JSON the AWS CLI prints for it: the same member names, dates as ISO 8601 text, no
 * response metadata.
 */
export function nodeOf(value: unknown): JsonNode {
  if (value instanceof Date) return scalar(value.toISOString());
  if (Array.isArray(value)) return { kind: "array", items: value.map(nodeOf), start: 0, end: 0 };
  if (value !== null && typeof value === "object") {
    const members = new Map<string, JsonNode>();
    const entries: { key: string; keyStart: number; value: JsonNode }[] = [];
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || key === "$metadata") continue;
      const node = nodeOf(item);
      members.set(key, node);
      entries.push({ key, keyStart: 0, value: node });
    }
    return { kind: "object", members, entries, start: 0, end: 0 };
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return scalar(value);
  return scalar(null);
}

function scalar(value: string | number | boolean | null): JsonNode {
  return { kind: "scalar", value, start: 0, end: 0 };
}
