import type {
  AccountInventory,
  Alarm,
  LogGroup,
  MetricFilter,
  Resource,
  ResourceListName,
  Topic,
  Trail,
} from "../model/index.js";
import { isUnknown, linksOf, type Maybe, type Unknown, unknown } from "../model/index.js";
import type { MonitoringClassId } from "../patterns/index.js";
import { managementCoverage } from "./selectors.js";

/**
 * The CIS monitoring chain of one event class in one account: a logging, multi-region trail recording read and
 * write management events delivers to a log group → a metric filter on that group matches every event of the class
 * → an alarm on the filter's metric fires on one event and has its actions enabled → it notifies an SNS topic →
 * the topic has a confirmed subscription. Pure: the filter judgment comes from the patterns module, handed in so
 * that it loads only when a rule needs it.
 */
export type ChainResult =
  | { holds: true; reason: string; exactText: boolean }
  | { holds: false; reason: string; exactText: boolean | null }
  | Unknown;

export interface ChainOptions {
  /**
   * Also require the covering filter to be, up to whitespace, a text CIS or Security Hub prints (for auditors who
   * compare texts); the semantic verdict is still named in the reason.
   */
  exactText?: boolean;
}

/** What the chain needs of the patterns module. */
export interface FilterJudge {
  judge(
    pattern: string,
    classId: MonitoringClassId,
  ): { verdict: string; reason: string; missed: { why: string }[] };
  isExact(pattern: string, classId: MonitoringClassId): boolean;
}

/** The lists the chain reads: one that is not complete can hide the link that is missing. */
const CHAIN_LISTS: readonly ResourceListName[] = ["trails", "logGroups", "metricFilters", "alarms", "topics"];

/** Statistics under which one event (metric value 1 in a period with no other data) reaches 1. */
const ONE_EVENT_STATISTICS = new Set(["Sum", "SampleCount", "Maximum", "Average", "Minimum"]);

/**
 * How far a candidate chain got before it broke: the finding names the broken link of the candidate that got
 * furthest (the nearest one to passing).
 */
enum Stage {
  Trail = 0,
  Delivery = 1,
  Filter = 2,
  Alarm = 3,
  AlarmSettings = 4,
  Action = 5,
  Subscription = 6,
}

class Walk {
  holds: string | undefined;
  /** Whether the filter of the chain that holds (or, failing that, of a covering one) is an official text. */
  exactText: boolean | null = null;
  private best: { stage: Stage; reason: string; closeness: number } | undefined;
  readonly unknowns: string[] = [];

  constructor(readonly requireExact: boolean) {}

  /** `closeness` orders candidates of one stage: a filter missing fewer events of the class is nearer. */
  broken(stage: Stage, reason: string, closeness = 0): void {
    const best = this.best;
    if (!best || stage > best.stage || (stage === best.stage && closeness > best.closeness)) {
      this.best = { stage, reason, closeness };
    }
  }

  undecided(reason: string): void {
    if (!this.unknowns.includes(reason)) this.unknowns.push(reason);
  }

  result(account: AccountInventory): ChainResult {
    if (this.holds) return { holds: true, reason: this.holds, exactText: this.exactText === true };
    // A link that could not be read, or a list not seen whole, may hold the chain that was not found.
    for (const list of CHAIN_LISTS) {
      const coverage = account.coverage[list];
      if (coverage.state !== "complete") {
        const how = coverage.state === "partial" ? "only partly collected" : "not collected";
        this.undecided(`the account's ${list} are ${how}${coverage.reason ? `: ${coverage.reason}` : ""}`);
      }
    }
    if (this.unknowns.length > 0) return unknown(this.unknowns.slice(0, 3).join("; "));
    return {
      holds: false,
      reason: this.best?.reason ?? "no trail in the account",
      exactText: this.exactText,
    };
  }
}

export function monitoringChain(
  account: AccountInventory,
  classId: MonitoringClassId,
  judge: FilterJudge,
  options: ChainOptions = {},
): ChainResult {
  const walk = new Walk(options.exactText === true);
  const index = new ChainIndex(account);
  for (const trail of account.trails) {
    if (walk.holds) break;
    walkTrail(trail, index, classId, judge, walk);
  }
  return walk.result(account);
}

function walkTrail(
  trail: Trail,
  index: ChainIndex,
  classId: MonitoringClassId,
  judge: FilterJudge,
  walk: Walk,
) {
  const name = label(trail);
  if (!certain(trail, walk)) return;
  const problem = trailProblem(trail);
  if (isUnknown(problem)) return walk.undecided(`trail ${name}: ${problem.reason}`);
  if (problem) return walk.broken(Stage.Trail, `trail ${name} ${problem}`);

  const groupId = linksOf(trail)?.logGroup;
  const reference = trail.cloudWatchLogsLogGroupArn;
  if (typeof groupId !== "string") {
    if (isUnknown(reference)) return walk.undecided(`trail ${name}'s log group: ${reference.reason}`);
    if (reference === null || reference === "")
      return walk.broken(Stage.Delivery, `trail ${name} does not deliver to CloudWatch Logs`);
    return walk.undecided(`trail ${name}'s log group ${reference} is not among the scanned inputs`);
  }
  const group = index.byId.get(groupId) as LogGroup | undefined;
  if (!group || !certain(group, walk)) return;
  const groupName = label(group);

  const filters = index.filtersOn(group.id);
  if (filters.length === 0) {
    walk.broken(
      Stage.Filter,
      `no metric filter on log group \`${groupName}\`, which trail ${name} delivers to`,
    );
  }
  for (const filter of index.filtersMaybeOn(group.id)) {
    walk.undecided(`the log group of metric filter ${label(filter)} is not known`);
  }
  for (const filter of filters) {
    if (walk.holds) return;
    walkFilter(filter, groupName, index, classId, judge, walk, `trail ${name} → \`${groupName}\``);
  }
}

function walkFilter(
  filter: MetricFilter,
  groupName: string,
  index: ChainIndex,
  classId: MonitoringClassId,
  judge: FilterJudge,
  walk: Walk,
  path: string,
) {
  if (!certain(filter, walk)) return;
  const name = `filter \`${label(filter)}\` on \`${groupName}\``;
  const pattern = filter.filterPattern;
  if (isUnknown(pattern)) return walk.undecided(`${name}: the pattern is not known (${pattern.reason})`);
  const judgment = judge.judge(pattern, classId);
  if (judgment.verdict === "unknown") return walk.undecided(`${name}: ${judgment.reason}`);
  if (judgment.verdict !== "covers") {
    const first = judgment.missed[0];
    // A filter that misses some events is nearer than one that matches everything, never or nothing of it.
    return walk.broken(
      Stage.Filter,
      first ? `${name} misses event ${first.why}` : `${name} does not cover the class: ${judgment.reason}`,
      first ? -judgment.missed.length : -Number.MAX_SAFE_INTEGER,
    );
  }
  const exact = judge.isExact(pattern, classId);
  if (walk.requireExact && !exact) {
    walk.exactText ??= false;
    return walk.broken(
      Stage.Filter,
      `${name} covers the class but is not the exact CIS or Security Hub text`,
    );
  }
  const alarms = index.alarmsOn(filter.id);
  if (alarms.length === 0) {
    const metrics = metricNames(filter);
    walk.broken(Stage.Alarm, `no alarm on the metric of ${name}${metrics ? ` (${metrics})` : ""}`);
  }
  for (const alarm of index.alarmsMaybeOn()) {
    walk.undecided(`the metric of alarm ${label(alarm)} is not known`);
  }
  for (const alarm of alarms) {
    if (walk.holds) return;
    walkAlarm(alarm, index, walk, `${path} → ${name}`);
    if (walk.holds) walk.exactText = exact;
  }
  if (!walk.holds && walk.exactText !== true) walk.exactText = exact;
}

function walkAlarm(alarm: Alarm, index: ChainIndex, walk: Walk, path: string) {
  if (!certain(alarm, walk)) return;
  const name = `alarm \`${label(alarm)}\``;
  const problem = alarmProblem(alarm);
  if (isUnknown(problem)) return walk.undecided(`${name}: ${problem.reason}`);
  if (problem) return walk.broken(Stage.AlarmSettings, `${name} ${problem}`);

  const actions = alarm.alarmActions;
  if (isUnknown(actions)) return walk.undecided(`${name}: its actions are not known (${actions.reason})`);
  const topicIds = (linksOf(alarm)?.topics as string[] | undefined) ?? [];
  // An SNS action the link step could not resolve names a topic outside the inputs (another account, another
  // stack): what it would do is not known. Sources link by reference, so only surplus actions are suspects.
  const sns = actions.filter(isSnsAction);
  const unlinked =
    sns.length > topicIds.length ? sns.filter((a) => !topicIds.some((id) => topicMatches(index, id, a))) : [];
  for (const action of unlinked)
    walk.undecided(`${name} notifies ${action}, which is not among the scanned inputs`);
  if (topicIds.length === 0 && unlinked.length === 0) {
    return walk.broken(Stage.Action, `${name} notifies no SNS topic`);
  }
  for (const id of topicIds) {
    if (walk.holds) return;
    const topic = index.byId.get(id) as Topic | undefined;
    if (!topic || !certain(topic, walk)) continue;
    const subscribed = confirmedSubscription(topic);
    const topicName = `topic \`${label(topic)}\``;
    if (isUnknown(subscribed)) walk.undecided(`${topicName}: ${subscribed.reason}`);
    else if (subscribed === true) walk.holds = `${path} → ${name} → ${topicName}`;
    else walk.broken(Stage.Subscription, `${topicName}, notified by ${name}, ${subscribed}`);
  }
}

/** Why the trail does not record what the chain needs (a string), nothing (undefined), or what is not known. */
function trailProblem(trail: Trail): Maybe<string | undefined> {
  if (isUnknown(trail.isLogging)) return trail.isLogging;
  if (trail.isLogging !== true) return "is not logging";
  if (isUnknown(trail.isMultiRegionTrail)) return trail.isMultiRegionTrail;
  if (trail.isMultiRegionTrail !== true) return "is not multi-region";
  const events = managementCoverage(trail);
  if (isUnknown(events)) return events;
  if (!events.read || !events.write) return "does not record both read and write management events";
  if (events.excludedSources.length > 0) {
    return `excludes management events of ${events.excludedSources.join(", ")}`;
  }
  return undefined;
}

/** Why the alarm would not fire on one event of its metric, nothing when it would, or what is not known. */
function alarmProblem(alarm: Alarm): Maybe<string | undefined> {
  const { actionsEnabled, statistic, period, evaluationPeriods, datapointsToAlarm, threshold } = alarm;
  const operator = alarm.comparisonOperator;
  for (const value of [
    actionsEnabled,
    statistic,
    period,
    evaluationPeriods,
    datapointsToAlarm,
    threshold,
    operator,
  ]) {
    if (isUnknown(value)) return value;
    if (value === undefined) return unknown("the alarm's settings are not recorded");
  }
  if (actionsEnabled !== true) return "has its actions disabled";
  if (typeof statistic !== "string" || !ONE_EVENT_STATISTICS.has(statistic)) {
    return `uses ${statistic ? `statistic ${statistic}` : "no simple statistic"}, which one event does not decide`;
  }
  if (typeof period !== "number" || period <= 0) return "has no evaluation period";
  const needed = datapointsToAlarm ?? evaluationPeriods;
  if (typeof needed !== "number") return "has no evaluation periods";
  if (needed > 1) return `needs ${needed} breaching periods, so one event does not fire it`;
  if (typeof threshold !== "number") return "has no threshold";
  const fires =
    operator === "GreaterThanOrEqualToThreshold"
      ? 1 >= threshold
      : operator === "GreaterThanThreshold"
        ? 1 > threshold
        : false;
  if (!fires) return `does not fire on one event (${operator ?? "no comparison"} ${threshold})`;
  return undefined;
}

/** True when a subscription is confirmed; else why not (a string), or what is not known. */
function confirmedSubscription(topic: Topic): Maybe<true | string> {
  const subscriptions = topic.subscriptions;
  if (isUnknown(subscriptions)) return subscriptions;
  let undecided: Unknown | undefined;
  let pending = 0;
  for (const s of subscriptions) {
    if (s.confirmed === true) return true;
    if (isUnknown(s.confirmed)) undecided ??= s.confirmed;
    else pending++;
  }
  if (undecided) return undecided;
  if (pending > 0) return `has no confirmed subscription (${pending} pending confirmation)`;
  return "has no subscription";
}

/** A resource that may not be created cannot carry the chain; it makes the result unknown instead. */
function certain(resource: Resource, walk: Walk): boolean {
  if (!resource.existence) return true;
  walk.undecided(`${resource.origin.address} may not be created (${resource.existence.reason})`);
  return false;
}

function isSnsAction(action: string): boolean {
  return /^arn:[^:]+:sns:/.test(action) || action.includes("${");
}

function topicMatches(index: ChainIndex, id: string, action: string): boolean {
  const topic = index.byId.get(id) as Topic | undefined;
  if (!topic) return false;
  return topic.arn === action || (!action.includes("${") && action.endsWith(`:${String(topic.name)}`));
}

function label(resource: Resource): string {
  const name = "name" in resource ? resource.name : undefined;
  return typeof name === "string" && !name.includes("${") ? name : resource.origin.address;
}

function metricNames(filter: MetricFilter): string {
  const t = filter.metricTransformations;
  if (isUnknown(t)) return "";
  return t
    .map(
      (m) =>
        `${typeof m.metricNamespace === "string" ? m.metricNamespace : "?"}/${typeof m.metricName === "string" ? m.metricName : "?"}`,
    )
    .join(", ");
}

/** The account's chain resources by id, and who points at whom, built once per account. */
class ChainIndex {
  readonly byId = new Map<string, Resource>();
  private readonly filtersByGroup = new Map<string, MetricFilter[]>();
  private readonly alarmsByFilter = new Map<string, Alarm[]>();

  constructor(private readonly account: AccountInventory) {
    for (const list of CHAIN_LISTS) for (const r of account[list] as Resource[]) this.byId.set(r.id, r);
    for (const filter of account.metricFilters) {
      const group = linksOf(filter)?.logGroup;
      if (typeof group === "string") push(this.filtersByGroup, group, filter);
    }
    for (const alarm of account.alarms) {
      const filters = linksOf(alarm)?.metricFilters;
      if (Array.isArray(filters)) for (const id of filters) push(this.alarmsByFilter, id, alarm);
    }
  }

  filtersOn(groupId: string): MetricFilter[] {
    return this.filtersByGroup.get(groupId) ?? [];
  }

  /** Filters whose log group cannot be told: any of them may be on this group. */
  filtersMaybeOn(_groupId: string): MetricFilter[] {
    return this.account.metricFilters.filter((f) => !linksOf(f)?.logGroup && isUnknown(f.logGroupName));
  }

  alarmsOn(filterId: string): Alarm[] {
    return this.alarmsByFilter.get(filterId) ?? [];
  }

  /** Alarms whose metric cannot be told: any of them may watch a filter's metric. */
  alarmsMaybeOn(): Alarm[] {
    return this.account.alarms.filter(
      (a) => !linksOf(a)?.metricFilters && (isUnknown(a.metricName) || isUnknown(a.namespace)),
    );
  }
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
