import { findContradiction, findTautology } from "./analyze.js";
import {
  builtInCatalog,
  type CanonicalEvent,
  type CisVersion,
  inVersion,
  type MonitoringCatalog,
  type MonitoringClass,
  type MonitoringClassId,
} from "./catalog.js";
import { conditionHolds, isBlank, MISSING, matchesEvent, matchesJson, resolve } from "./evaluate.js";
import {
  type Condition,
  type FilterPattern,
  type JsonExpression,
  type ParsedPattern,
  type ParseResult,
  type PatternSyntaxError,
  parseFilterPattern,
  show,
} from "./syntax.js";

export type Verdict =
  /** It matches every event the class asks for. */
  | "covers"
  /** It leaves out at least one of them. */
  | "misses"
  /** It is not a filter pattern CloudWatch Logs accepts. */
  | "invalid"
  /** It matches every event, or most ordinary ones: an alarm on it says nothing about the class. */
  | "matches-everything"
  /** Its conditions can never hold together. */
  | "never-matches"
  /** It cannot be judged (space-delimited patterns, parts fixed only at deploy time). */
  | "unknown";

export interface MissedEvent {
  label: string;
  eventName?: string;
  /** Why the pattern does not match it: the closest alternative and the condition that fails. */
  why: string;
}

export interface Judgment {
  verdict: Verdict;
  /** One sentence that says why. */
  reason: string;
  /** For `misses`: every event of the class left out. */
  missed: MissedEvent[];
  /** Near misses the pattern matches too (allowed: a broader filter still covers the class). */
  alsoMatches: string[];
  /** Remarks on the judgment: ordinary events matched too, how a mix of && and || without parentheses was read. */
  notes: string[];
  /** For `invalid`: where and what. */
  error?: PatternSyntaxError;
}

export interface JudgeOptions {
  /** Judge against what this CIS version asks for (default: the latest). */
  version?: CisVersion;
}

const MAX_CACHED = 4096;

/** A part of a known string fixed only at deploy time (`${Name}`, as the model writes them). */
const PLACEHOLDER = /\$\{[^}]+\}/;

/** A cache that forgets everything when full: metric filters of one scan are few, and repeat. */
function boundedCache<V>() {
  const map = new Map<string, V>();
  return (key: string, make: () => V): V => {
    let value = map.get(key);
    if (value === undefined) {
      if (map.size >= MAX_CACHED) map.clear();
      value = make();
      map.set(key, value);
    }
    return value;
  };
}

const parsedPatterns = boundedCache<ParseResult>();

/** Parses a pattern once; the result is shared, do not change it. */
export function compileFilterPattern(text: string): ParseResult {
  return parsedPatterns(text, () => parseFilterPattern(text));
}

export interface Judge {
  (pattern: string, classId: MonitoringClassId, options?: JudgeOptions): Judgment;
  catalog: MonitoringCatalog;
}

/** A judge over a catalog, caching its judgments (a pattern is parsed and judged once per class and version). */
export function createJudge(catalog: MonitoringCatalog): Judge {
  const judgments = boundedCache<Judgment>();
  const judge = (pattern: string, classId: MonitoringClassId, options: JudgeOptions = {}) =>
    judgments(`${classId}\u0000${options.version ?? ""}\u0000${pattern}`, () => {
      const cls = catalog.classes.get(classId);
      if (!cls) throw new Error(`unknown monitoring class ${classId}`);
      const placeholder = PLACEHOLDER.exec(pattern);
      if (placeholder) {
        return empty("unknown", `the pattern is completed only at deploy time (${placeholder[0]})`);
      }
      const parsed = compileFilterPattern(pattern);
      if (!parsed.ok) {
        return {
          ...empty("invalid", `not a valid filter pattern: ${parsed.error.message}`),
          error: parsed.error,
        };
      }
      return judgeParsed(parsed.parsed, cls, catalog, options.version);
    });
  return Object.assign(judge, { catalog });
}

let builtInJudge: Judge | undefined;

/**
 * Judges a metric filter pattern for a CIS monitoring class, against the canonical events shipped in
 * policies/cis/monitoring-events.yaml.
 */
export function judgeFilter(
  pattern: string,
  classId: MonitoringClassId,
  options: JudgeOptions = {},
): Judgment {
  builtInJudge ??= createJudge(builtInCatalog());
  return builtInJudge(pattern, classId, options);
}

function empty(verdict: Verdict, reason: string): Judgment {
  return { verdict, reason, missed: [], alsoMatches: [], notes: [] };
}

function judgeParsed(
  parsed: ParsedPattern,
  cls: MonitoringClass,
  catalog: MonitoringCatalog,
  version: CisVersion | undefined,
): Judgment {
  const events = cls.events.filter((e) => inVersion(e, version));
  const judgment = judgeReading(parsed.pattern, events, cls, catalog);
  if (!parsed.otherReading || !parsed.mixedAt) return judgment;
  const other = judgeReading(parsed.otherReading, events, cls, catalog);
  const where = `column ${parsed.mixedAt.column}`;
  if (other.verdict === judgment.verdict) {
    judgment.notes.push(
      `mixes && and || without parentheses (${where}); the verdict is the same whether && binds tighter or the operators apply left to right`,
    );
    return judgment;
  }
  // The documentation does not say how such a chain is read: keep the reading that is not a pass.
  const [worse, better, worseReading] =
    judgment.verdict === "covers"
      ? [other, judgment, "left to right"]
      : [judgment, other, "with && binding tighter than ||"];
  worse.notes.push(
    `mixes && and || without parentheses (${where}): read ${worseReading} it ${worse.verdict}, read the other way it ${better.verdict}`,
  );
  return worse;
}

function judgeReading(
  pattern: FilterPattern,
  events: CanonicalEvent[],
  cls: MonitoringClass,
  catalog: MonitoringCatalog,
): Judgment {
  if (pattern.kind === "delimited") {
    return empty(
      "unknown",
      "a space-delimited pattern ([...]) splits the raw event text at spaces; CloudTrail events are JSON, so it is not judged (use a JSON pattern)",
    );
  }
  if (pattern.kind === "all") return empty("matches-everything", "an empty pattern matches every event");
  if (pattern.kind === "json") {
    const contradiction = findContradiction(pattern.expr);
    if (contradiction) return empty("never-matches", contradictionReason(contradiction.conflicts));
    const tautology = findTautology(pattern.expr);
    if (tautology) {
      const fields = tautology.fields.map((f) => `\`${f}\``).join(", ");
      const scope = tautology.always ? "every event" : `every event that has ${fields}`;
      return empty("matches-everything", `it holds for every value of ${fields}, so it matches ${scope}`);
    }
  }
  if (pattern.kind === "terms" && isBlank(pattern)) {
    return empty("matches-everything", "a pattern of blank terms only matches every event");
  }
  const matches = (event: CanonicalEvent) => matchesEvent(pattern, event.record) === true;
  const ordinary = catalog.unrelated.filter(matches);
  if (ordinary.length === catalog.unrelated.length) {
    return empty("matches-everything", everythingReason(pattern, catalog));
  }
  // An alarm on most of the ordinary traffic says nothing about the class, whatever else it matches.
  if (ordinary.length * 2 > catalog.unrelated.length) {
    const labels = ordinary.map((e) => e.label).join(", ");
    return empty(
      "matches-everything",
      `it matches most ordinary events (${ordinary.length} of the ${catalog.unrelated.length} unrelated ones tried: ${labels}), so it is not specific to ${cls.title}`,
    );
  }
  const notes: string[] = [];
  if (ordinary.length > 0)
    notes.push(`it also matches ordinary events: ${ordinary.map((e) => e.label).join(", ")}`);
  if (pattern.kind === "terms" && pattern.terms.some((t) => t.value.startsWith("$."))) {
    notes.push(
      "a term starts with $.: JSON conditions must be inside { }, else they are searched for as text",
    );
  }
  const missed = events.filter((e) => !matches(e)).map((e) => missedEvent(pattern, e));
  const alsoMatches = cls.nearMisses.filter(matches).map((e) => e.label);
  if (missed.length > 0) {
    const names = missed.map((m) => m.eventName ?? m.label);
    const first = missed[0] as MissedEvent;
    return {
      ...empty(
        "misses",
        `misses ${missed.length} of ${events.length} ${cls.title} events (${names.join(", ")}): ${first.why}`,
      ),
      missed,
      alsoMatches,
      notes,
    };
  }
  return { ...empty("covers", `matches every ${cls.title} event (${events.length})`), alsoMatches, notes };
}

function clip(text: string, max = 160): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function contradictionReason(conflicts: Condition[][]): string {
  const shown = conflicts.slice(0, 3).map((c) => c.map((x) => `\`${clip(x.text)}\``).join(" and "));
  const more = conflicts.length > 3 ? ` (and ${conflicts.length - 3} more alternatives like them)` : "";
  return conflicts.length === 1
    ? `its conditions can never hold together: ${shown[0]} exclude one another`
    : `none of its alternatives can ever hold: ${shown.join("; ")} exclude one another${more}`;
}

function everythingReason(pattern: FilterPattern, catalog: MonitoringCatalog): string {
  const samples = `every ordinary event it was tried on (${catalog.unrelated.length}, such as ${catalog.unrelated[0]?.label})`;
  if (pattern.kind === "terms") return `its terms match ${samples}`;
  if (pattern.kind !== "json") return `it matches ${samples}`;
  const alternatives = pattern.expr.type === "or" ? pattern.expr.items : [pattern.expr];
  const broad = alternatives.filter((alt) => catalog.unrelated.every((e) => matchesJson(alt, e.record)));
  if (broad.length === 0) return `it matches ${samples}`;
  const list = broad.map((alt) => `\`${clip(show(alt))}\``).join(", ");
  const joined =
    alternatives.length === 1
      ? ""
      : broad.length === 1
        ? " and is joined with ||"
        : " and are joined with ||";
  return `it matches ${samples}: ${list} ${broad.length === 1 ? "holds" : "hold"} for nearly every event${joined}`;
}

function describe(value: unknown): string {
  if (value === MISSING) return "is absent";
  return `is ${clip(JSON.stringify(value), 80)}`;
}

function missedEvent(pattern: FilterPattern, event: CanonicalEvent): MissedEvent {
  const eventName = typeof event.record.eventName === "string" ? event.record.eventName : undefined;
  const base = { label: event.label, ...(eventName ? { eventName } : {}) };
  if (pattern.kind === "terms") {
    const text = JSON.stringify(event.record);
    const absent = pattern.terms
      .filter((t) => t.mode === "all" && !text.includes(t.value))
      .map((t) => t.text);
    const present = pattern.terms
      .filter((t) => t.mode === "exclude" && text.includes(t.value))
      .map((t) => t.text);
    const why =
      absent.length > 0
        ? `its text lacks ${absent.join(", ")}`
        : present.length > 0
          ? `its text has ${present.join(", ")}`
          : "none of the ? terms appear in it";
    return { ...base, why: `${event.label}: ${why}` };
  }
  if (pattern.kind !== "json") return { ...base, why: `${event.label} is not matched` };
  return { ...base, why: `${event.label}: ${closestFailure(pattern.expr, event)}` };
}

/** The alternative that comes closest to matching the event, and the conditions of it that fail. */
function closestFailure(expr: JsonExpression, event: CanonicalEvent): string {
  const alternatives = alternativesOf(expr);
  if (!alternatives) return "the pattern does not match it";
  let best: { alternative: Condition[]; failing: Condition[] }[] = [];
  for (const alternative of alternatives) {
    const failing = alternative.filter((c) => !conditionHolds(c, resolve(event.record, c.selector)));
    if (best.length === 0 || failing.length < (best[0]?.failing.length ?? 0))
      best = [{ alternative, failing }];
    else if (failing.length === best[0]?.failing.length) best.push({ alternative, failing });
  }
  const closest = best[0];
  if (!closest) return "the pattern does not match it";
  const failingFields = new Set(best.flatMap((b) => b.failing.map((c) => c.selector.text)));
  const first = closest.failing[0];
  if (failingFields.size === 1 && best.length > 1 && first) {
    const value = resolve(event.record, first.selector);
    const shown = value === MISSING ? "absent" : `= ${clip(JSON.stringify(value), 80)}`;
    return `no alternative accepts ${first.selector.text} ${shown}`;
  }
  return closest.failing
    .map(
      (c) => `\`${clip(c.text)}\` fails (${c.selector.text} ${describe(resolve(event.record, c.selector))})`,
    )
    .join(", ");
}

/** The expression as alternatives of conditions joined by &&, or undefined when there would be too many. */
function alternativesOf(expr: JsonExpression): Condition[][] | undefined {
  if (expr.type !== "and" && expr.type !== "or") return [[expr]];
  const parts: Condition[][][] = [];
  for (const item of expr.items) {
    const part = alternativesOf(item);
    if (!part) return undefined;
    parts.push(part);
  }
  if (expr.type === "or") return parts.flat();
  let product: Condition[][] = [[]];
  for (const part of parts) {
    if (product.length * part.length > 4096) return undefined;
    product = product.flatMap((left) => part.map((right) => [...left, ...right]));
  }
  return product;
}
