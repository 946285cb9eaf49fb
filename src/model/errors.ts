/**
 * Input problems: a file that could not be parsed, a resource that could not be read, a pack that is wrong. Never
 * silently dropped. Every problem has a stable `code` from the closed list below (documented in docs/errors.md);
 * callers, reports and tests match codes, messages are for people.
 */
export const INPUT_ERROR_CODES = {
  "file-unreadable": "A file or folder could not be read (missing, permissions, not a regular file).",
  "file-too-large": "A file is larger than --max-file-size and was not read.",
  skipped:
    "A folder met in a scanned folder was not walked into (hidden, or a symbolic link loop); it is listed, not read.",
  "file-not-recognized": "A file named on the command line is not an input trailguard reads.",
  syntax: "A file does not parse (YAML, JSON, HCL); what it declares is not evaluated.",
  "limit-exceeded":
    "A size, depth or count limit was exceeded (nesting, YAML aliases, instances); not evaluated.",
  structure:
    "The file parses but is not well formed for its kind (a resource without Type, a plan without values).",
  unresolved: "A value or reference could not be resolved; the fields that depend on it are unknown.",
  unsupported:
    "A construct trailguard does not evaluate (a transform, an unread module); what it affects is unknown.",
  "suppression-invalid": "An inline suppression names no rule or gives no reason; it is not applied.",
  "export-mismatch":
    "A file of an export folder is not the output of the AWS CLI command its name stands for.",
  "export-missing": "An export folder lacks a file; the resources or fields it would give are not collected.",
  "snapshot-invalid": "A snapshot does not match its schema; it is not evaluated.",
  "aws-error":
    "A live AWS call failed (AccessDenied, throttling past the retries, a timeout, a refused region).",
  "pack-invalid": "A rule pack or framework file does not parse, fails its schema, or holds invalid CEL.",
  "pack-unknown-field": "A rule reads a field, or names evidence, that its scope does not have.",
  "pack-duplicate-rule": "Two packs define the same rule id.",
  "framework-reference":
    "A framework control names a rule that is not loaded, or a rule a control that is not defined.",
  "rule-selection": "A --rules or --skip-rules pattern matches no loaded rule.",
  "config-invalid":
    "The project config file (.trailguard.yml) does not parse or fails its schema; the scan runs without it.",
  "waiver-invalid": "A waiver of the config file lacks a reason, an expiry or a target; it is not applied.",
  "waiver-expired":
    "A waiver or inline suppression is past its expiry date; the findings it covered count again.",
  "waiver-stale": "A waiver matches no failing or unknown finding; it can be removed.",
  "baseline-invalid":
    "A baseline file cannot be read or does not match its format; no finding is treated as existing.",
  "framework-selection": "A --framework id names no loaded framework.",
  "account-unreachable":
    "An account of the organization could not be entered (its role could not be assumed, it is suspended, it timed out); its rules are unknown.",
  "report-invalid":
    "A file given to trailguard merge is not a trailguard JSON report, SARIF log or snapshot; it is left out of the merged report.",
  "reader-failure": "A reader failed on the file (a trailguard bug); the file is reported, the scan goes on.",
} as const;

export type InputErrorCode = keyof typeof INPUT_ERROR_CODES;

export interface InputError {
  code: InputErrorCode;
  file?: string;
  line?: number;
  column?: number;
  message: string;
  /** `error` stops a file from being evaluated and makes the exit code 2; `warning` does not. */
  severity: "error" | "warning";
  /** The account the problem belongs to (account id, or the scanned path for infrastructure code), when known. */
  account?: string;
  /** The AWS region the problem belongs to, when known. */
  region?: string;
}
