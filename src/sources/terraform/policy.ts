import type { PolicyDocument, SourceLocation } from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import { normalizePolicy } from "../policy.js";
import type { Obj, Val } from "./values.js";

/**
 * A bucket policy as Terraform gives it (a JSON string from `jsonencode`, `aws_iam_policy_document` or a heredoc)
 * → normalized statements. `statementLocations` says where each statement was written, when known.
 */
export function readPolicy(
  value: Val | undefined,
  at: SourceLocation,
  statementLocations: SourceLocation[] | undefined,
): Maybe<PolicyDocument | null> {
  if (value === undefined || value === null || value === "") return null;
  if (value instanceof Unknown) return value;
  // An object is a policy `jsonencode` could not write as text because part of it is unknown (`isEncodedJson`).
  let doc: unknown = value;
  if (typeof value === "string") {
    try {
      doc = JSON.parse(value);
    } catch (err) {
      return unknown(`the policy is a string that is not JSON: ${(err as Error).message}`, at);
    }
  }
  return normalizePolicy(doc, at, (i) => statementLocations?.[i] ?? at);
}

export type { Obj };
