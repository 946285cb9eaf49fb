import { describe, expect, it } from "vitest";
import { type FilterJudge, monitoringChain } from "../../src/engine/monitoring.js";
import {
  type AccountInventory,
  type Alarm,
  isUnknown,
  linkAccount,
  type MetricFilter,
  markCoverage,
  type Topic,
  type Trail,
  unknown,
} from "../../src/model/index.js";
import { isExactCisText, judgeFilter, type MonitoringClassId } from "../../src/patterns/index.js";
import { account, logGroup, trail } from "../support/builders.js";

const judge: FilterJudge = {
  judge: (pattern, classId) => judgeFilter(pattern, classId),
  isExact: (pattern, classId) => isExactCisText(pattern, classId),
};

const ROOT_TEXT =
  '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }';
const GROUP_ARN = "arn:aws:logs:us-east-1:111122223333:log-group:trail-logs:*";
const TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:alarms";

function filter(overrides: Partial<MetricFilter> = {}): MetricFilter {
  const name = (overrides.name as string) ?? "RootUsage";
  return {
    kind: "metric-filter",
    id: `filter:${name}`,
    origin: { address: `filter/${name}` },
    fieldLocations: {},
    name,
    logGroupName: "trail-logs",
    filterPattern: ROOT_TEXT,
    metricTransformations: [{ metricName: "RootUsage", metricNamespace: "CISBenchmark" }],
    links: {},
    ...overrides,
  };
}

function alarm(overrides: Partial<Alarm> = {}): Alarm {
  const name = (overrides.name as string) ?? "root-usage";
  return {
    kind: "alarm",
    id: `alarm:${name}`,
    origin: { address: `alarm/${name}` },
    fieldLocations: {},
    name,
    metricName: "RootUsage",
    namespace: "CISBenchmark",
    actionsEnabled: true,
    alarmActions: [TOPIC_ARN],
    statistic: "Sum",
    period: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: null,
    threshold: 1,
    comparisonOperator: "GreaterThanOrEqualToThreshold",
    treatMissingData: "notBreaching",
    ...overrides,
  };
}

function topic(overrides: Partial<Topic> = {}): Topic {
  return {
    kind: "topic",
    id: "topic:alarms",
    origin: { address: "topic/alarms" },
    fieldLocations: {},
    name: "alarms",
    arn: TOPIC_ARN,
    subscriptions: [{ protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:111122223333:q", confirmed: true }],
    ...overrides,
  };
}

interface Parts {
  trails?: Trail[];
  filters?: MetricFilter[];
  alarms?: Alarm[];
  topics?: Topic[];
}

function chain(parts: Parts = {}, classId: MonitoringClassId = "root-account-usage", exactText = false) {
  const acct: AccountInventory = account({
    trails: parts.trails ?? [trail({ cloudWatchLogsLogGroupArn: GROUP_ARN })],
    logGroups: [logGroup(), logGroup({ name: "other-logs" })],
    metricFilters: parts.filters ?? [filter()],
    alarms: parts.alarms ?? [alarm()],
    topics: parts.topics ?? [topic()],
  });
  linkAccount(acct);
  return { acct, result: monitoringChain(acct, classId, judge, { exactText }) };
}

function failure(parts: Parts, classId?: MonitoringClassId): string {
  const { result } = chain(parts, classId);
  if (isUnknown(result) || result.holds)
    throw new Error(`expected a broken chain, got ${JSON.stringify(result)}`);
  return result.reason;
}

function undecided(result: ReturnType<typeof chain>["result"]): string {
  if (!isUnknown(result)) throw new Error(`expected unknown, got ${JSON.stringify(result)}`);
  return result.reason;
}

describe("the CIS monitoring chain", () => {
  it("holds when every link holds, and names the chain", () => {
    const { result } = chain();
    expect(result).toMatchObject({ holds: true, exactText: true });
    expect(isUnknown(result) ? "" : result.reason).toBe(
      "trail t → `trail-logs` → filter `RootUsage` on `trail-logs` → alarm `root-usage` → topic `alarms`",
    );
  });

  it("holds with a filter written differently that matches the same events", () => {
    const pattern =
      '{($.eventType!="AwsServiceEvent")&&($.userIdentity.invokedBy NOT EXISTS)&&($.userIdentity.type="Root")}';
    const { result } = chain({ filters: [filter({ filterPattern: pattern })] });
    expect(result).toMatchObject({ holds: true, exactText: false });
  });

  it.each<[string, Parts, RegExp]>([
    ["no trail", { trails: [] }, /^no trail in the account$/],
    [
      "a trail that is not logging",
      { trails: [trail({ isLogging: false, cloudWatchLogsLogGroupArn: GROUP_ARN })] },
      /trail t is not logging/,
    ],
    [
      "a single-region trail",
      { trails: [trail({ isMultiRegionTrail: false, cloudWatchLogsLogGroupArn: GROUP_ARN })] },
      /trail t is not multi-region/,
    ],
    [
      "a trail recording only write management events",
      {
        trails: [
          trail({
            cloudWatchLogsLogGroupArn: GROUP_ARN,
            eventSelectors: [
              {
                readWriteType: "WriteOnly",
                includeManagementEvents: true,
                excludeManagementEventSources: [],
                dataResources: [],
              },
            ],
          }),
        ],
      },
      /does not record both read and write management events/,
    ],
    [
      "a trail excluding an event source",
      {
        trails: [
          trail({
            cloudWatchLogsLogGroupArn: GROUP_ARN,
            eventSelectors: [
              {
                readWriteType: "All",
                includeManagementEvents: true,
                excludeManagementEventSources: ["kms.amazonaws.com"],
                dataResources: [],
              },
            ],
          }),
        ],
      },
      /excludes management events of kms.amazonaws.com/,
    ],
    [
      "a trail not delivering to CloudWatch Logs",
      { trails: [trail()] },
      /trail t does not deliver to CloudWatch Logs/,
    ],
    [
      "the filter on another log group",
      { filters: [filter({ logGroupName: "other-logs" })] },
      /no metric filter on log group `trail-logs`/,
    ],
    [
      "a filter missing an event",
      {
        filters: [
          filter({ filterPattern: '{ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" }' }),
        ],
      },
      /^filter `RootUsage` on `trail-logs` misses event ConsoleLogin by root: `\$\.eventType = "AwsApiCall"` fails/,
    ],
    [
      "a filter matching every event",
      { filters: [filter({ filterPattern: "" })] },
      /filter `RootUsage` on `trail-logs` does not cover the class/,
    ],
    [
      "an alarm on another metric",
      { alarms: [alarm({ metricName: "Other" })] },
      /no alarm on the metric of filter `RootUsage` on `trail-logs` \(CISBenchmark\/RootUsage\)/,
    ],
    [
      "an alarm in another namespace",
      { alarms: [alarm({ namespace: "Custom" })] },
      /no alarm on the metric of filter/,
    ],
    [
      "an extended statistic",
      { alarms: [alarm({ statistic: null })] },
      /alarm `root-usage` uses no simple statistic/,
    ],
    ["no period", { alarms: [alarm({ period: null })] }, /alarm `root-usage` has no evaluation period/],
    [
      "a threshold above one event",
      { alarms: [alarm({ threshold: 1, comparisonOperator: "GreaterThanThreshold" })] },
      /does not fire on one event \(GreaterThanThreshold 1\)/,
    ],
    ["a threshold of 2", { alarms: [alarm({ threshold: 2 })] }, /does not fire on one event/],
    [
      "an alarm on too few events",
      { alarms: [alarm({ comparisonOperator: "LessThanThreshold" })] },
      /does not fire on one event/,
    ],
    ["three breaching periods", { alarms: [alarm({ evaluationPeriods: 3 })] }, /needs 3 breaching periods/],
    [
      "actions disabled",
      { alarms: [alarm({ actionsEnabled: false })] },
      /alarm `root-usage` has its actions disabled/,
    ],
    ["no action", { alarms: [alarm({ alarmActions: [] })] }, /alarm `root-usage` notifies no SNS topic/],
    [
      "only a non-SNS action",
      { alarms: [alarm({ alarmActions: ["arn:aws:automate:us-east-1:ec2:stop"] })] },
      /alarm `root-usage` notifies no SNS topic/,
    ],
    [
      "a topic without subscriptions",
      { topics: [topic({ subscriptions: [] })] },
      /topic `alarms`, notified by alarm `root-usage`, has no subscription/,
    ],
    [
      "an email subscription pending confirmation",
      {
        topics: [
          topic({ subscriptions: [{ protocol: "email", endpoint: "sec@example.com", confirmed: false }] }),
        ],
      },
      /has no confirmed subscription \(1 pending confirmation\)/,
    ],
  ])("fails for %s, naming the broken link", (_name, parts, reason) => {
    expect(failure(parts)).toMatch(reason);
  });

  it("fires on one event when one datapoint of several periods suffices", () => {
    expect(chain({ alarms: [alarm({ evaluationPeriods: 3, datapointsToAlarm: 1 })] }).result).toMatchObject({
      holds: true,
    });
  });

  it("names the nearest candidate: the filter missing the fewest events of the class", () => {
    const unrelated = filter({ name: "Unrelated", filterPattern: '{ $.eventName = "CreateTrail" }' });
    const near = filter({ filterPattern: '{ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" }' });
    expect(failure({ filters: [unrelated, near] })).toMatch(/^filter `RootUsage`/);
    expect(failure({ filters: [near, unrelated] })).toMatch(/^filter `RootUsage`/);
  });

  it("passes when any one of several chains holds", () => {
    const broken = alarm({ name: "broken", actionsEnabled: false });
    expect(chain({ alarms: [broken, alarm()] }).result).toMatchObject({ holds: true });
  });

  it("judges each class against its own events", () => {
    expect(failure({}, "console-auth-failures")).toMatch(/misses event/);
  });

  describe("is unknown, not failed, where a fact is missing", () => {
    it("when the alarms were not collected", () => {
      const { acct } = chain({ alarms: [] });
      markCoverage(acct, "alarms", "not-collected", "DescribeAlarms was denied");
      expect(undecided(monitoringChain(acct, "root-account-usage", judge))).toContain(
        "the account's alarms are not collected: DescribeAlarms was denied",
      );
    });

    it("but holds on what was seen when the seen resources carry the chain", () => {
      const { acct } = chain();
      markCoverage(acct, "alarms", "partial", "one region refused");
      expect(monitoringChain(acct, "root-account-usage", judge)).toMatchObject({ holds: true });
    });

    it("when a subscription's confirmation cannot be seen in infrastructure code", () => {
      const pending = unknown("email subscriptions are confirmed by their receiver after deployment");
      const result = chain({
        topics: [
          topic({ subscriptions: [{ protocol: "email", endpoint: "sec@example.com", confirmed: pending }] }),
        ],
      }).result;
      expect(undecided(result)).toBe(
        "topic `alarms`: email subscriptions are confirmed by their receiver after deployment",
      );
    });

    it("when the alarm notifies a topic outside the inputs", () => {
      const elsewhere = "arn:aws:sns:us-east-1:999988887777:central-alarms";
      expect(undecided(chain({ alarms: [alarm({ alarmActions: [elsewhere] })] }).result)).toContain(
        `notifies ${elsewhere}, which is not among the scanned inputs`,
      );
    });

    it("when the alarm may not be created", () => {
      const maybe = alarm({ existence: unknown("Condition IsProd is not known") });
      expect(undecided(chain({ alarms: [maybe] }).result)).toContain(
        "may not be created (Condition IsProd is not known)",
      );
    });

    it("when a threshold is not known", () => {
      expect(
        undecided(chain({ alarms: [alarm({ threshold: unknown("parameter without default") })] }).result),
      ).toContain("alarm `root-usage`: parameter without default");
    });

    it("when the pattern is fixed only at deploy time", () => {
      const filters = [filter({ filterPattern: '{ $.userIdentity.type = "${RootType}" }' })];
      expect(undecided(chain({ filters }).result)).toMatch(/^filter `RootUsage` on `trail-logs`:/);
    });
  });

  describe("with exact text required", () => {
    it("holds for the official text", () => {
      expect(chain({}, "root-account-usage", true).result).toMatchObject({ holds: true, exactText: true });
    });

    it("fails for an equivalent filter that is not an official text, saying it covers the class", () => {
      const pattern =
        '{ $.eventType != "AwsServiceEvent" && $.userIdentity.invokedBy NOT EXISTS && $.userIdentity.type = "Root" }';
      const { result } = chain({ filters: [filter({ filterPattern: pattern })] }, "root-account-usage", true);
      expect(result).toMatchObject({ holds: false, exactText: false });
      expect(isUnknown(result) ? "" : result.reason).toBe(
        "filter `RootUsage` on `trail-logs` covers the class but is not the exact CIS or Security Hub text",
      );
    });
  });
});
