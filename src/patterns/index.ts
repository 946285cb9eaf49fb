// CloudWatch Logs filter patterns: parsing, evaluation against CloudTrail events, and judging a metric filter
// for a CIS monitoring event class. Depends on nothing else in trailguard; load it lazily (`await import`) where a
// rule needs it.
export { findContradiction, findTautology } from "./analyze.js";
export {
  builtInCatalog,
  builtInCatalogFile,
  type CanonicalEvent,
  CatalogError,
  CIS_VERSIONS,
  type CisVersion,
  type CloudTrailRecord,
  loadMonitoringCatalog,
  MONITORING_CLASSES,
  type MonitoringCatalog,
  type MonitoringClass,
  type MonitoringClassId,
  type OfficialText,
} from "./catalog.js";
export { matchesEvent } from "./evaluate.js";
export { exactCisText, isExactCisText, normalizeWhitespace } from "./exact.js";
export {
  compileFilterPattern,
  createJudge,
  type Judge,
  type JudgeOptions,
  type Judgment,
  judgeFilter,
  type MissedEvent,
  type Verdict,
} from "./judge.js";
export type {
  Condition,
  FilterPattern,
  JsonExpression,
  Literal,
  ParsedPattern,
  ParseResult,
  PatternSyntaxError,
  Position,
  Selector,
  Term,
} from "./syntax.js";
export { parseFilterPattern } from "./syntax.js";
