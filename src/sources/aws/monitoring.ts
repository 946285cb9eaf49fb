import type { MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { MetricFilter as SdkMetricFilter } from "@aws-sdk/client-cloudwatch-logs";
import type { Alarm, Coverage, LogGroup, MetricFilter } from "../../model/index.js";
import { append, logGroupNameFromArn } from "../../model/index.js";
import { liveDocument, nodeOf } from "../aws-api/answers.js";
import { FieldReader } from "../aws-api/fields.js";
import { mapAlarm, mapMetricFilter } from "../aws-api/monitoring.js";
import type { AwsClients } from "./clients.js";
import { type AccountContext, parseArn } from "./context.js";
import { attempt, type ErrorLog, failure } from "./errors.js";

/** What the monitoring chain of the trails' log groups gave, and how much of it could be read. */
export interface Monitoring {
  metricFilters: MetricFilter[];
  alarms: Alarm[];
  /** Coverage of the two lists when not complete. */
  coverage: { metricFilters?: Coverage; alarms?: Coverage };
}

/**
 * The metric filters of the trails' log groups (`DescribeMetricFilters` per group, paginated) and the metric alarms
 * on the metrics they publish (`DescribeAlarms`, paginated, once per region that has such a metric). Only regions of
 * the trails' log groups are asked, so the call count does not grow with the number of enabled regions. A group of
 * another account is not read: its filters are that account's.
 */
export async function collectMonitoring(
  clients: AwsClients,
  account: AccountContext,
  groups: LogGroup[],
  log: ErrorLog,
): Promise<Monitoring> {
  const missing: string[] = [];
  const own = groups.filter((g) => {
    const owner = parseArn(typeof g.arn === "string" ? g.arn : undefined)?.account;
    if (owner && owner !== account.accountId) {
      missing.push(`the metric filters of ${g.id} are in account ${owner}`);
      return false;
    }
    return true;
  });

  const filterAnswers = await Promise.all(
    own.map(async (group) => {
      const name = typeof group.name === "string" ? group.name : logGroupNameFromArn(group.id);
      const region = parseArn(group.id)?.region || clients.homeRegion;
      const { logs } = clients.sdk;
      const listed = await attempt("DescribeMetricFilters", async () => {
        const out: SdkMetricFilter[] = [];
        let nextToken: string | undefined;
        do {
          const page = await clients
            .logs(region)
            .send(new logs.DescribeMetricFiltersCommand({ logGroupName: name ?? undefined, nextToken }));
          append(out, page.metricFilters ?? []);
          nextToken = page.nextToken;
        } while (nextToken);
        return out;
      });
      const failed = failure(listed);
      if (failed) {
        log.warn(
          `CloudWatch Logs group ${name}: ${failed.reason}; its metric filters are not in the inventory`,
        );
        missing.push(failed.reason);
      }
      return { group, region, filters: listed.ok ? listed.value : [] };
    }),
  );

  const metricFilters: MetricFilter[] = [];
  const metricsByRegion = new Map<string, Set<string>>();
  for (const { group, region, filters } of filterAnswers) {
    for (const f of filters) {
      metricFilters.push(metricFilterOf(group, f));
      for (const t of f.metricTransformations ?? []) {
        const metrics = metricsByRegion.get(region) ?? new Set<string>();
        metrics.add(metricKey(t.metricNamespace, t.metricName));
        metricsByRegion.set(region, metrics);
      }
    }
  }

  const alarms: Alarm[] = [];
  const alarmFailures: string[] = [];
  await Promise.all(
    [...metricsByRegion].map(async ([region, metrics]) => {
      const { cloudwatch } = clients.sdk;
      const listed = await attempt("DescribeAlarms", async () => {
        const out: MetricAlarm[] = [];
        let NextToken: string | undefined;
        do {
          const page = await clients
            .cloudwatch(region)
            .send(new cloudwatch.DescribeAlarmsCommand({ AlarmTypes: ["MetricAlarm"], NextToken }));
          append(out, page.MetricAlarms ?? []);
          NextToken = page.NextToken;
        } while (NextToken);
        return out;
      });
      const failed = failure(listed);
      if (failed) {
        log.warn(`CloudWatch (${region}): ${failed.reason}; the alarms on the trails' metrics are not known`);
        alarmFailures.push(`${region}: ${failed.reason}`);
        return;
      }
      if (!listed.ok) return;
      for (const alarm of listed.value) if (watches(alarm, metrics)) alarms.push(alarmOf(alarm));
    }),
  );

  const coverage: Monitoring["coverage"] = {};
  if (missing.length > 0) {
    coverage.metricFilters = {
      state: metricFilters.length > 0 || own.length > missing.length ? "partial" : "not-collected",
      reason: missing.join("; "),
    };
  }
  if (alarmFailures.length > 0) {
    coverage.alarms = {
      state: alarmFailures.length < metricsByRegion.size ? "partial" : "not-collected",
      reason: alarmFailures.join("; "),
    };
  } else if (coverage.metricFilters) {
    // The alarms asked for are those on the metrics of the filters read: as incomplete as those.
    coverage.alarms = {
      state: "partial",
      reason: `alarms are read for the metric filters listed (${missing.join("; ")})`,
    };
  }
  return { metricFilters, alarms, coverage };
}

function metricKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace ?? ""}\u0000${name ?? ""}`;
}

/** An alarm on one of the metrics, directly or as a metric of its metric math. */
function watches(alarm: MetricAlarm, metrics: Set<string>): boolean {
  if (alarm.MetricName && metrics.has(metricKey(alarm.Namespace, alarm.MetricName))) return true;
  return (alarm.Metrics ?? []).some((m) => {
    const metric = m.MetricStat?.Metric;
    return !!metric && metrics.has(metricKey(metric.Namespace, metric.MetricName));
  });
}

/** A filter of one of the trails' log groups, mapped as an export's is, and linked to its group. */
function metricFilterOf(group: LogGroup, f: SdkMetricFilter): MetricFilter {
  const reader = new FieldReader(liveDocument("DescribeMetricFilters"), {});
  const filter = mapMetricFilter(
    "",
    reader,
    nodeOf({ logGroupName: typeof group.name === "string" ? group.name : undefined, ...f }),
    () => group.id,
  );
  filter.links = { logGroup: group.id };
  return filter;
}

function alarmOf(alarm: MetricAlarm): Alarm {
  return mapAlarm("", new FieldReader(liveDocument("DescribeAlarms"), {}), nodeOf(alarm));
}
