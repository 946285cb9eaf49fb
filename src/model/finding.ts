import type { SourceLocation } from "./location.js";
import type { ResourceKind } from "./resources.js";

export type Severity = "critical" | "high" | "medium" | "low" | "info";
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

/**
 * `unknown`: the result depends on an input that could not be read. `error`: the rule itself could not be evaluated
 * (a wrong pack: a function applied to the wrong type, a non-boolean result); never folded into `unknown`.
 */
export type Status = "pass" | "fail" | "unknown" | "not-applicable" | "error";

export type Scope = "account" | ResourceKind;

/** A rule as loaded from a pack (after schema validation). */
export interface Rule {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  scope: Scope;
  when?: string;
  assert: string;
  /** CEL returning a string, evaluated when the rule fails: what is wrong, added to the fail message. */
  explain?: string;
  /** Fields whose source location is the evidence of a finding (first one present wins). */
  evidence: string[];
  remediation: string;
  controls: ControlRef[];
  helpUri?: string;
  pack: string;
}

export interface ControlRef {
  framework: string;
  control: string;
  /** `framework:control`, as written in packs. */
  ref: string;
  title?: string;
  frameworkTitle?: string;
}

export interface UnknownInput {
  /** Path of the undetermined input as rules see it: `trail.kmsKeyId`, `bucket.policy`. */
  path: string;
  reason: string;
}

export interface FindingResource {
  kind: Scope;
  id: string;
  /** Logical address (ARN, `file#LogicalId`, Terraform address). */
  address: string;
  name?: string;
}

export interface Finding {
  ruleId: string;
  status: Status;
  severity: Severity;
  /** The account the finding belongs to: its id when known, else the scanned path (infrastructure code). */
  account: string;
  /** The AWS region of the resource, when known. */
  region?: string;
  resource: FindingResource;
  /** Human message: what failed, or which inputs were unknown. */
  message: string;
  unknowns: UnknownInput[];
  /** Where the evidence is: the offending field, else the resource, else the account's anchor. */
  location?: SourceLocation;
  suppression?: { reason: string; location?: SourceLocation };
}

export interface ScanResult {
  rules: Rule[];
  findings: Finding[];
}
