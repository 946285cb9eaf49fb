export { append } from "./append.js";
export {
  type AttachableBucketField,
  attachAcrossScan,
  attachPending,
  type PendingAttachment,
} from "./attach.js";
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
  ResourceLists,
} from "./inventory.js";
export {
  COMPLETE,
  completeCoverage,
  emptyAccount,
  emptyResourceLists,
  markCoverage,
  resourcesOf,
} from "./inventory.js";
export {
  ACCOUNT_FIELDS,
  BOOKKEEPING_FIELDS,
  COMMON_FIELDS,
  type Fields,
  type FieldType,
  KIND,
  KIND_OF_LIST,
  KINDS,
  type KindSpec,
  LISTED_KINDS,
  RESOURCE_LISTS,
  type ResourceListName,
  viewFields,
} from "./kinds.js";
export { fieldAt, linkAccount, linksOf, logGroupNameFromArn, resourcesOfKind } from "./link.js";
export type { ResourceOrigin, SourceLocation } from "./location.js";
export { compactLocations } from "./location.js";
export { coverByOrganizationTrails, organizationTrailsOf, unreadableAccount } from "./organization.js";
export { type MatchKind, RELATIONS, type Relation } from "./relations.js";
export type * from "./resources.js";
export { grantsCloudTrail, trailUsage, type Usage } from "./usage.js";
export { isKnown, isUnknown, type Maybe, Unknown, unknown } from "./value.js";
