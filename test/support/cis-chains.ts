import { CloudWatchClient, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  PutMetricFilterCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { CreateTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { builtInCatalog, MONITORING_CLASSES, type MonitoringClassId } from "../../src/patterns/index.js";
import type { MotoEndpoint } from "./moto.js";

/**
 * The 15 CIS monitoring chains on a trail's log group, built with the AWS SDK: 33 requests, where the aws CLI would
 * start a Python process for each (about a second of CPU apiece on a busy machine). Two chains are broken on
 * purpose; every other one holds.
 */
export const CIS_CHAINS = {
  /** The topic every holding chain's alarm notifies, with an email subscription (confirmed at once on moto). */
  alertTopic: "security-alerts",
  subscriber: "security@example.com",
  /** This class's alarm notifies `silentTopic`, which has no subscription. */
  unsubscribedClass: "cloudtrail-config-changes" as MonitoringClassId,
  /** This class's filter (and its alarm) sit on `otherLogGroup`, which no trail delivers to. */
  wrongGroupClass: "vpc-changes" as MonitoringClassId,
  otherLogGroup: "/aws/cloudtrail/staging",
  namespace: "CISBenchmark",
} as const;

/** `root-account-usage` → `RootAccountUsage`: filter, metric and alarm names. */
export const chainName = (id: MonitoringClassId) =>
  id
    .split("-")
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join("");

/** The text the latest CIS version prints for the class (one without a known defect). */
function cisPattern(id: MonitoringClassId): string {
  const texts = builtInCatalog().classes.get(id)?.texts ?? [];
  const text =
    texts.find((t) => t.versions.includes("5.0") && !t.defect && !t.securityHub) ??
    texts.find((t) => t.securityHub);
  if (!text) throw new Error(`the catalog prints no pattern for ${id}`);
  return text.pattern;
}

/**
 * Puts the chains on `logGroup` (which must exist); `silentTopicArn` is an existing topic without subscriptions.
 */
export async function buildCisChains(
  moto: MotoEndpoint,
  region: string,
  logGroup: string,
  silentTopicArn: string,
): Promise<void> {
  const config = {
    endpoint: moto.endpoint,
    region,
    credentials: {
      accessKeyId: moto.env.AWS_ACCESS_KEY_ID ?? "testing",
      secretAccessKey: moto.env.AWS_SECRET_ACCESS_KEY ?? "testing",
    },
  };
  const logs = new CloudWatchLogsClient(config);
  const cloudwatch = new CloudWatchClient(config);
  const sns = new SNSClient(config);
  try {
    await logs.send(new CreateLogGroupCommand({ logGroupName: CIS_CHAINS.otherLogGroup }));
    const topic = await sns.send(new CreateTopicCommand({ Name: CIS_CHAINS.alertTopic }));
    if (!topic.TopicArn) throw new Error("CreateTopic gave no TopicArn");
    await sns.send(
      new SubscribeCommand({ TopicArn: topic.TopicArn, Protocol: "email", Endpoint: CIS_CHAINS.subscriber }),
    );
    for (const id of MONITORING_CLASSES) {
      const name = chainName(id);
      await logs.send(
        new PutMetricFilterCommand({
          logGroupName: id === CIS_CHAINS.wrongGroupClass ? CIS_CHAINS.otherLogGroup : logGroup,
          filterName: name,
          filterPattern: cisPattern(id),
          metricTransformations: [
            { metricName: name, metricNamespace: CIS_CHAINS.namespace, metricValue: "1" },
          ],
        }),
      );
      await cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: `cis-${id}`,
          MetricName: name,
          Namespace: CIS_CHAINS.namespace,
          Statistic: "Sum",
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          TreatMissingData: "notBreaching",
          AlarmActions: [id === CIS_CHAINS.unsubscribedClass ? silentTopicArn : topic.TopicArn],
        }),
      );
    }
  } finally {
    logs.destroy();
    cloudwatch.destroy();
    sns.destroy();
  }
}
