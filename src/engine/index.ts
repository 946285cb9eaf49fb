export { evaluate } from "./evaluate.js";
export type {
  ControlRef,
  Finding,
  FindingResource,
  Rule,
  ScanResult,
  Scope,
  Severity,
  Status,
  UnknownInput,
} from "./finding.js";
export { SEVERITIES } from "./finding.js";
export { type Framework, type LoadedPolicies, type LoadedRule, loadPolicies } from "./packs.js";
