import type { Alarm, LogGroup, Maybe, MetricFilter, MetricTransformation } from "../../model/index.js";
import { Unknown } from "../../model/index.js";
import { readAlarmSettings } from "../alarm-settings.js";
import { type JsonNode, member, stringOf } from "../json.js";
import type { AnswerSource } from "./answers.js";
import { type FieldReader, listed, required } from "./fields.js";

/**
 * CloudWatch Logs groups, their metric filters and the metric alarms, from the items of `describe-log-groups`,
 * `describe-metric-filters` and `describe-alarms` answers. `dir` prefixes the ids of items without an ARN.
 */

export function readLogGroups(folder: AnswerSource): LogGroup[] {
  return listed(folder.answer("describe-log-groups"), "logGroups").map(({ item, reader }) =>
    mapLogGroup(folder.dir, reader, item),
  );
}

export function mapLogGroup(dir: string, r: FieldReader, item: JsonNode): LogGroup {
  const name = required(r.str(member(item, "logGroupName"), "name", "logGroupName"), r, "logGroupName");
  const starred = stringOf(member(item, "arn"));
  const arn = stringOf(member(item, "logGroupArn")) ?? starred?.replace(/:\*$/, "");
  r.record("arn", member(item, "logGroupArn") ?? member(item, "arn"));
  const id = arn ?? `${dir}#log-group:${typeof name === "string" ? name : "?"}`;
  return {
    kind: "log-group",
    id,
    origin: { address: id, location: r.loc(item) },
    fieldLocations: r.locations,
    name,
    arn: arn ?? null,
    // Absent: the events never expire.
    retentionInDays: r.num(member(item, "retentionInDays"), "retentionInDays", "retentionInDays"),
    kmsKeyId: r.str(member(item, "kmsKeyId"), "kmsKeyId", "kmsKeyId"),
  };
}

export function readMetricFilters(folder: AnswerSource, groups: LogGroup[]): MetricFilter[] {
  const groupArns = new Map(groups.map((g) => [g.name, g.arn]));
  return listed(folder.answer("describe-metric-filters"), "metricFilters").map(({ item, reader }) =>
    mapMetricFilter(folder.dir, reader, item, (group) => groupArns.get(group)),
  );
}

/** A metric filter; `groupArnOf` gives the ARN of its log group (by name), under which the filter is addressed. */
export function mapMetricFilter(
  dir: string,
  r: FieldReader,
  item: JsonNode,
  groupArnOf: (groupName: string) => Maybe<string | null> | undefined,
): MetricFilter {
  const name = required(r.str(member(item, "filterName"), "name", "filterName"), r, "filterName");
  const group = required(
    r.str(member(item, "logGroupName"), "logGroupName", "logGroupName"),
    r,
    "logGroupName",
  );
  const groupArn = typeof group === "string" ? groupArnOf(group) : undefined;
  const label = `${typeof group === "string" ? group : "?"}:${typeof name === "string" ? name : "?"}`;
  // Metric filters have no ARN: address them under their log group's.
  const id =
    typeof groupArn === "string" && typeof name === "string"
      ? `${groupArn}:metric-filter:${name}`
      : `${dir}#metric-filter:${label}`;
  const transformations = r.list(
    member(item, "metricTransformations"),
    "metricTransformations",
    "metricTransformations",
  );
  let metricTransformations: Maybe<MetricTransformation[]>;
  if (transformations === null) metricTransformations = [];
  else if (transformations instanceof Unknown) metricTransformations = transformations;
  else
    metricTransformations = transformations.map((t, i) => {
      const at = `metricTransformations[${i}]`;
      return {
        metricName: required(
          r.str(member(t, "metricName"), `${at}.metricName`, "metricName"),
          r,
          "metricName",
        ),
        metricNamespace: required(
          r.str(member(t, "metricNamespace"), `${at}.metricNamespace`, "metricNamespace"),
          r,
          "metricNamespace",
        ),
      };
    });
  const pattern = r.str(member(item, "filterPattern"), "filterPattern", "filterPattern");
  return {
    kind: "metric-filter",
    id,
    origin: { address: id, location: r.loc(item) },
    fieldLocations: r.locations,
    name,
    logGroupName: group,
    // An empty pattern matches every event.
    filterPattern: pattern ?? "",
    metricTransformations,
    links: {},
  };
}

export function readAlarms(folder: AnswerSource): Alarm[] {
  return listed(folder.answer("describe-alarms"), "MetricAlarms").map(({ item, reader }) =>
    mapAlarm(folder.dir, reader, item),
  );
}

export function mapAlarm(dir: string, r: FieldReader, item: JsonNode): Alarm {
  const name = required(r.str(member(item, "AlarmName"), "name", "AlarmName"), r, "AlarmName");
  const arn = stringOf(member(item, "AlarmArn"));
  const id = arn ?? `${dir}#alarm:${typeof name === "string" ? name : "?"}`;
  return {
    kind: "alarm",
    id,
    origin: { address: id, location: r.loc(item) },
    fieldLocations: r.locations,
    name,
    // Metric-math alarms have Metrics instead of one metric.
    metricName: r.str(member(item, "MetricName"), "metricName", "MetricName"),
    namespace: r.str(member(item, "Namespace"), "namespace", "Namespace"),
    ...readAlarmSettings(({ api, model, type }) =>
      type === "number" ? r.num(member(item, api), model, api) : r.str(member(item, api), model, api),
    ),
    actionsEnabled: r.bool(member(item, "ActionsEnabled"), "actionsEnabled", "ActionsEnabled", true),
    alarmActions: r.strList(member(item, "AlarmActions"), "alarmActions", "AlarmActions") ?? [],
  };
}
