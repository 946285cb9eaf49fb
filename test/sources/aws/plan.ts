import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CloudWatchClient, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutMetricFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { collectLive } from "../../../src/sources/aws/index.js";
import listRegions from "../../fixtures/aws/list-regions-17.json" with { type: "json" };
import type { CountingProxy, Interceptor } from "./proxy.js";

/**
 * The call plan measured at the endpoint: an account with T trails (one multi-region, the others single-region, all
 * writing to one bucket) seen through a counting proxy, with R enabled regions. Used by the call-count test and by
 * bench/live-calls.mjs.
 */
const CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing", sessionToken: "testing" };

/** Regions as AWS lists them (ListRegions), us-east-1 first so that R = 1 is the home region alone. */
export const AWS_REGIONS: string[] = [
  "us-east-1",
  ...listRegions.Regions.map((r) => r.RegionName).filter((n) => n !== "us-east-1"),
];

export async function buildTrails(motoEndpoint: string, trails: number): Promise<void> {
  await fetch(`${motoEndpoint}/moto-api/reset`, { method: "POST" });
  const config = {
    endpoint: motoEndpoint,
    region: "us-east-1",
    credentials: CREDENTIALS,
    forcePathStyle: true,
  };
  const s3 = new S3Client(config);
  const ct = new CloudTrailClient(config);
  const logs = new CloudWatchLogsClient(config);
  const cw = new CloudWatchClient(config);
  const sns = new SNSClient(config);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: "plan-trail-logs" }));
    // The multi-region trail delivers to a log group with a CIS-style metric filter, alarmed to a topic: the
    // monitoring chain (DescribeMetricFilters, DescribeAlarms, ListSubscriptionsByTopic) is part of the plan.
    await logs.send(new CreateLogGroupCommand({ logGroupName: "plan-trail" }));
    await logs.send(
      new PutMetricFilterCommand({
        logGroupName: "plan-trail",
        filterName: "root-usage",
        filterPattern: '{ $.userIdentity.type = "Root" }',
        metricTransformations: [
          { metricName: "RootUsage", metricNamespace: "CISBenchmark", metricValue: "1" },
        ],
      }),
    );
    const topic = await sns.send(new CreateTopicCommand({ Name: "plan-alerts" }));
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: "root-usage",
        MetricName: "RootUsage",
        Namespace: "CISBenchmark",
        Statistic: "Sum",
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        AlarmActions: topic.TopicArn ? [topic.TopicArn] : [],
      }),
    );
    for (let i = 1; i <= trails; i++) {
      const Name = `plan-trail-${i}`;
      await ct.send(
        new CreateTrailCommand({
          Name,
          S3BucketName: "plan-trail-logs",
          IsMultiRegionTrail: i === 1,
          ...(i === 1
            ? {
                CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:plan-trail:*`,
                CloudWatchLogsRoleArn: "arn:aws:iam::123456789012:role/plan-trail-logs",
              }
            : {}),
        }),
      );
      await ct.send(new StartLoggingCommand({ Name }));
    }
  } finally {
    s3.destroy();
    ct.destroy();
    logs.destroy();
    cw.destroy();
    sns.destroy();
  }
}

export interface PlanCount {
  trails: number;
  regions: number;
  /** HTTP requests that reached the endpoint. */
  total: number;
  byOperation: Record<string, number>;
  /** Requests of region discovery (ListRegions, or DescribeRegions where it is refused). */
  discovery: number;
  /** ListEventDataStores: one per listed region, as the API has no account-wide listing. */
  lake: number;
}

/**
 * What moto does not answer as AWS does: Account ListRegions (moto: HTTP 404), here with the first `regions` of
 * AWS_REGIONS enabled, and ListEventDataStores (moto: HTTP 500), here with an empty list.
 */
export function awsAnswers(regions: number): Interceptor {
  const enabled = AWS_REGIONS.slice(0, regions);
  return (r) => {
    if (r.service === "account" && /listRegions/i.test(r.operation)) {
      return {
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({
          Regions: enabled.map((RegionName) => ({ RegionName, RegionOptStatus: "ENABLED_BY_DEFAULT" })),
        }),
      };
    }
    if (r.operation === "ListEventDataStores")
      return { status: 200, body: JSON.stringify({ EventDataStores: [] }) };
    return undefined;
  };
}

/**
 * Collects the account through the proxy, which answers what moto does not do as AWS does: Account ListRegions
 * (moto: HTTP 404) with R regions, and ListEventDataStores (moto: HTTP 500) with an empty list.
 */
export async function countPlan(
  proxy: CountingProxy,
  trails: number,
  regions: number,
  lake: "home" | "all" | false = "home",
): Promise<PlanCount> {
  proxy.reset();
  proxy.intercept = awsAnswers(regions);
  const result = await collectLive({
    endpoint: proxy.endpoint,
    credentials: CREDENTIALS,
    region: "us-east-1",
    version: "plan",
    lake,
  });
  const errors = result.errors.filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`collection failed: ${errors.map((e) => e.message).join("; ")}`);
  const byOperation: Record<string, number> = {};
  for (const r of proxy.requests) {
    const key = `${r.service}:${r.operation}`;
    byOperation[key] = (byOperation[key] ?? 0) + 1;
  }
  const count = (pred: (key: string) => boolean) =>
    Object.entries(byOperation)
      .filter(([k]) => pred(k))
      .reduce((n, [, v]) => n + v, 0);
  return {
    trails,
    regions,
    total: proxy.requests.length,
    byOperation,
    discovery: count((k) => /^account:|DescribeRegions$/i.test(k)),
    lake: count((k) => k.endsWith(":ListEventDataStores")),
  };
}
