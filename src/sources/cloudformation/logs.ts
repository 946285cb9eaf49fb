import type { Alarm, LogGroup, MetricFilter, MetricTransformation } from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import { readAlarmSettings } from "../alarm-settings.js";
import { type FileMapping, placeholder, type ResourceInput } from "./context.js";
import { refsOf } from "./fields.js";

export function mapLogGroup(_m: FileMapping, input: ResourceInput): LogGroup {
  const { decl, props, reader: r } = input;
  const id = decl.logicalId;
  return input.make<LogGroup>("log-group", {
    name: r.str(r.get(props, "LogGroupName", "name"), "LogGroupName", placeholder(id)),
    arn: placeholder(`${id}.Arn`),
    // Absent: the events never expire.
    retentionInDays: r.num(r.get(props, "RetentionInDays", "retentionInDays"), "RetentionInDays"),
    kmsKeyId: r.str(r.get(props, "KmsKeyId", "kmsKeyId"), "KmsKeyId"),
  });
}

export function mapMetricFilter(m: FileMapping, input: ResourceInput): MetricFilter {
  const { decl, props, reader: r } = input;
  const groupGot = r.get(props, "LogGroupName", "logGroupName");
  const group = r.str(groupGot, "LogGroupName");
  const pattern = r.str(r.get(props, "FilterPattern", "filterPattern"), "FilterPattern");
  const filter = input.make<MetricFilter>("metric-filter", {
    name: r.str(r.get(props, "FilterName", "name"), "FilterName", placeholder(decl.logicalId)),
    logGroupName:
      group === null ? unknown("LogGroupName is required and missing", r.loc(groupGot.pos)) : group,
    // An empty pattern matches every event.
    filterPattern: pattern ?? "",
    metricTransformations: readTransformations(input),
    links: {},
  });
  m.deferred.push(() => {
    const lg = m.find(refsOf(groupGot.node), "log-group");
    if (lg) filter.links.logGroup = lg.id;
  });
  return filter;
}

function readTransformations(input: ResourceInput): Maybe<MetricTransformation[]> {
  const { props, reader: r } = input;
  const items = r.list(
    r.get(props, "MetricTransformations", "metricTransformations"),
    "MetricTransformations",
  );
  if (items === null) return [];
  if (items instanceof Unknown) return items;
  return items.map((item, i) => {
    const t = { node: item, pos: item.pos };
    const name = r.str(r.get(t, "MetricName", `metricTransformations[${i}].metricName`), "MetricName");
    const ns = r.str(
      r.get(t, "MetricNamespace", `metricTransformations[${i}].metricNamespace`),
      "MetricNamespace",
    );
    return {
      metricName: name === null ? unknown("MetricName is required and missing", r.loc(item.pos)) : name,
      metricNamespace: ns === null ? unknown("MetricNamespace is required and missing", r.loc(item.pos)) : ns,
    };
  });
}

export function mapAlarm(m: FileMapping, input: ResourceInput): Alarm {
  const { decl, props, reader: r } = input;
  const actionsGot = r.get(props, "AlarmActions", "alarmActions");
  const alarm = input.make<Alarm>("alarm", {
    name: r.str(r.get(props, "AlarmName", "name"), "AlarmName", placeholder(decl.logicalId)),
    metricName: r.str(r.get(props, "MetricName", "metricName"), "MetricName"),
    namespace: r.str(r.get(props, "Namespace", "namespace"), "Namespace"),
    ...readAlarmSettings(({ api, model, type }) =>
      type === "number" ? r.num(r.get(props, api, model), api) : r.str(r.get(props, api, model), api),
    ),
    actionsEnabled: r.bool(r.get(props, "ActionsEnabled", "actionsEnabled"), "ActionsEnabled", true),
    alarmActions: r.strList(actionsGot, "AlarmActions") ?? [],
    statistic: r.str(r.get(props, "Statistic", "statistic"), "Statistic"),
    period: r.num(r.get(props, "Period", "period"), "Period"),
    evaluationPeriods: r.num(r.get(props, "EvaluationPeriods", "evaluationPeriods"), "EvaluationPeriods"),
    datapointsToAlarm: r.num(r.get(props, "DatapointsToAlarm", "datapointsToAlarm"), "DatapointsToAlarm"),
    threshold: r.num(r.get(props, "Threshold", "threshold"), "Threshold"),
    comparisonOperator: r.str(r.get(props, "ComparisonOperator", "comparisonOperator"), "ComparisonOperator"),
    treatMissingData: r.str(r.get(props, "TreatMissingData", "treatMissingData"), "TreatMissingData"),
  });
  // `!Ref Topic` is the topic's ARN, which a template only knows as a reference: link it here.
  m.deferred.push(() => {
    const node = actionsGot.node;
    const items = node?.kind === "seq" ? node.items : [node];
    const topics = items.flatMap(refsOf).flatMap((ref) => {
      const topic = m.find([ref], "topic");
      return topic ? [topic.id] : [];
    });
    if (topics.length > 0) alarm.links = { ...alarm.links, topics: [...new Set(topics)] };
  });
  return alarm;
}
