export { INPUT_ERROR_CODES, type InputError, type InputErrorCode } from "./errors.js";
export { isExpired, parseExpiry } from "./expiry.js";
export type {
  ControlRef,
  Finding,
  FindingResource,
  FindingSuppression,
  Rule,
  ScanResult,
  Scope,
  Severity,
  Status,
  UnknownInput,
} from "./finding.js";
export { SEVERITIES } from "./finding.js";
export { findingFingerprint } from "./fingerprint.js";
export type {
  AccountAnchor,
  AccountInventory,
  Coverage,
  CoverageState,
  Inventory,
  ResourceListName,
  ResourceLists,
} from "./inventory.js";
export {
  COMPLETE,
  completeCoverage,
  emptyAccount,
  emptyResourceLists,
  markCoverage,
  RESOURCE_LISTS,
  resourcesOf,
} from "./inventory.js";
export { linkAccount, logGroupNameFromArn } from "./link.js";
export type { ResourceOrigin, SourceLocation } from "./location.js";
export type * from "./resources.js";
export { isKnown, isUnknown, type Maybe, Unknown, unknown } from "./value.js";
