import type {
  Alarm,
  EventDataStore,
  KmsKey,
  LogGroup,
  MetricFilter,
  MetricTransformation,
  Organization,
  SourceLocation,
  Subscription,
  Topic,
} from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import { readAlarmSettings } from "../alarm-settings.js";
import { type JsonNode, member, stringOf } from "../json.js";
import { type Answer, type AnswerSource, whyNot } from "./answers.js";
import { FieldReader, fromAnswer, required } from "./fields.js";
import { advancedSelector } from "./trails.js";

/** The items of a listing command's list, each with a reader on its file. */
function listed(answer: Answer, key: string): { item: JsonNode; reader: FieldReader }[] {
  if (answer.kind !== "json") return [];
  const list = member(answer.root, key);
  if (list?.kind !== "array") return [];
  return list.items.map((item) => ({ item, reader: new FieldReader(answer.file, {}) }));
}

// ---------------------------------------------------------------- account

export function readAccountId(folder: AnswerSource): Maybe<string | null> {
  return fromAnswer(
    folder.answer("get-caller-identity"),
    "accountId",
    {},
    {
      json: (r, root) => required(r.str(member(root, "Account"), null, "Account"), r, "Account"),
    },
  );
}

export function readRegions(folder: AnswerSource): Maybe<string[] | null> {
  return fromAnswer(
    folder.answer("describe-regions"),
    "regions",
    {},
    {
      json: (_r, root) => {
        const out: string[] = [];
        for (const { item } of listed({ kind: "json", file: _r.file, root }, "Regions")) {
          const name = stringOf(member(item, "RegionName"));
          // `describe-regions` without --all-regions lists enabled regions; moto also lists the others, so filter.
          if (name && stringOf(member(item, "OptInStatus")) !== "not-opted-in") out.push(name);
        }
        return out;
      },
    },
  );
}

export function readOrganization(folder: AnswerSource): Maybe<Organization | null> {
  return fromAnswer(
    folder.answer("describe-organization"),
    "organization",
    {},
    {
      json: (r, root): Maybe<Organization | null> => {
        const org = member(root, "Organization");
        if (!org) return null;
        const arn = stringOf(member(org, "Arn"));
        const orgId = required(r.str(member(org, "Id"), "organizationId", "Id"), r, "Id");
        const id = arn ?? `organization:${typeof orgId === "string" ? orgId : "?"}`;
        const locations = r.locations;
        return {
          kind: "organization",
          id,
          origin: { address: id, location: r.loc(org) },
          fieldLocations: locations,
          organizationId: orgId,
          managementAccountId: r.str(
            member(org, "MasterAccountId"),
            "managementAccountId",
            "MasterAccountId",
          ),
          featureSet: r.str(member(org, "FeatureSet"), "featureSet", "FeatureSet"),
          memberAccountIds: fromAnswer(folder.answer("list-accounts"), "memberAccountIds", locations, {
            json: (lr, lroot) => {
              const ids: string[] = [];
              for (const { item } of listed({ kind: "json", file: lr.file, root: lroot }, "Accounts")) {
                const accountId = stringOf(member(item, "Id"));
                if (accountId) ids.push(accountId);
              }
              return ids;
            },
          }),
        };
      },
      notConfigured: { codes: ["AWSOrganizationsNotInUseException"], value: null },
    },
  );
}

// ---------------------------------------------------------------- KMS

export function readKeys(folder: AnswerSource): KmsKey[] {
  const listing = listed(folder.answer("list-keys"), "Keys");
  const fromList = new Map<string, { item: JsonNode; reader: FieldReader }>();
  for (const entry of listing) {
    const keyId = stringOf(member(entry.item, "KeyId"));
    if (keyId) fromList.set(keyId, entry);
  }
  const ids = new Set([
    ...fromList.keys(),
    ...folder.ids("describe-key"),
    ...folder.ids("get-key-rotation-status"),
  ]);
  const aliasAnswer = folder.answer("list-aliases");
  const aliasesByKey = new Map<string, string[]>();
  for (const { item } of listed(aliasAnswer, "Aliases")) {
    const target = stringOf(member(item, "TargetKeyId"));
    const alias = stringOf(member(item, "AliasName"));
    if (target && alias) aliasesByKey.set(target, [...(aliasesByKey.get(target) ?? []), alias]);
  }

  return [...ids].map((keyId): KmsKey => {
    const locations: Record<string, SourceLocation> = {};
    const listEntry = fromList.get(keyId);
    const describe = folder.answer("describe-key", keyId);
    const meta = describe.kind === "json" ? member(describe.root, "KeyMetadata") : undefined;
    const r = describe.kind === "json" ? new FieldReader(describe.file, locations) : undefined;
    const missing = (field: string) =>
      unknown(
        r ? `${field} is missing from ${r.file.path}` : whyNot(describe),
        describe.kind === "error" ? describe.location : undefined,
      );
    const str = (key: string, field: string): Maybe<string> => {
      if (!r || !meta) return missing(key);
      const v = r.str(member(meta, key), field, key);
      return v === null ? missing(key) : v;
    };
    const arn =
      (meta && stringOf(member(meta, "Arn"))) ?? (listEntry && stringOf(member(listEntry.item, "KeyArn")));
    const id = arn ?? `${folder.dir}#key:${keyId}`;
    const manager = str("KeyManager", "keyManager");
    const spec =
      meta && member(meta, "KeySpec") ? str("KeySpec", "keySpec") : str("CustomerMasterKeySpec", "keySpec");
    if (listEntry && !r) listEntry.reader.record("arn", member(listEntry.item, "KeyArn"));
    return {
      kind: "key",
      id,
      origin: {
        address: id,
        location: meta && r ? r.loc(meta) : listEntry ? listEntry.reader.loc(listEntry.item) : undefined,
      },
      fieldLocations: locations,
      keyId,
      arn: arn ?? missing("Arn"),
      aliases: aliasAnswer.kind === "json" ? (aliasesByKey.get(keyId) ?? []) : unknown(whyNot(aliasAnswer)),
      keyManager:
        manager instanceof Unknown || manager === "CUSTOMER" || manager === "AWS"
          ? manager
          : unknown(`KeyManager ${JSON.stringify(manager)} is neither CUSTOMER nor AWS`),
      keySpec: spec,
      keyState: str("KeyState", "keyState"),
      rotationEnabled: fromAnswer(
        folder.answer("get-key-rotation-status", keyId),
        "rotationEnabled",
        locations,
        {
          json: (kr, root) =>
            required(
              kr.bool(member(root, "KeyRotationEnabled"), "rotationEnabled", "KeyRotationEnabled", null),
              kr,
              "KeyRotationEnabled",
            ),
          // Asymmetric, HMAC and imported keys cannot rotate automatically.
          notConfigured: { codes: ["UnsupportedOperationException"], value: false },
        },
      ),
    };
  });
}

// ---------------------------------------------------------------- CloudWatch Logs and alarms

export function readLogGroups(folder: AnswerSource): LogGroup[] {
  return listed(folder.answer("describe-log-groups"), "logGroups").map(({ item, reader: r }): LogGroup => {
    const name = required(r.str(member(item, "logGroupName"), "name", "logGroupName"), r, "logGroupName");
    const starred = stringOf(member(item, "arn"));
    const arn = stringOf(member(item, "logGroupArn")) ?? starred?.replace(/:\*$/, "");
    r.record("arn", member(item, "logGroupArn") ?? member(item, "arn"));
    const id = arn ?? `${folder.dir}#log-group:${typeof name === "string" ? name : "?"}`;
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
  });
}

export function readMetricFilters(folder: AnswerSource, groups: LogGroup[]): MetricFilter[] {
  const groupArns = new Map(groups.map((g) => [g.name, g.arn]));
  return listed(folder.answer("describe-metric-filters"), "metricFilters").map(({ item, reader: r }) => {
    const name = required(r.str(member(item, "filterName"), "name", "filterName"), r, "filterName");
    const group = required(
      r.str(member(item, "logGroupName"), "logGroupName", "logGroupName"),
      r,
      "logGroupName",
    );
    const groupArn = typeof group === "string" ? groupArns.get(group) : undefined;
    const label = `${typeof group === "string" ? group : "?"}:${typeof name === "string" ? name : "?"}`;
    // Metric filters have no ARN: address them under their log group's.
    const id =
      typeof groupArn === "string" && typeof name === "string"
        ? `${groupArn}:metric-filter:${name}`
        : `${folder.dir}#metric-filter:${label}`;
    const transformations = r.list(
      member(item, "metricTransformations"),
      "metricTransformations",
      "metricTransformations",
    );
    let metricTransformations: Maybe<MetricTransformation[]>;
    if (transformations === null) metricTransformations = [];
    else if (transformations instanceof Unknown) metricTransformations = transformations;
    else
      metricTransformations = transformations.map((t, i) => ({
        metricName: required(
          r.str(member(t, "metricName"), `metricTransformations[${i}].metricName`, "metricName"),
          r,
          "metricName",
        ),
        metricNamespace: required(
          r.str(
            member(t, "metricNamespace"),
            `metricTransformations[${i}].metricNamespace`,
            "metricNamespace",
          ),
          r,
          "metricNamespace",
        ),
      }));
    const pattern = r.str(member(item, "filterPattern"), "filterPattern", "filterPattern");
    return {
      kind: "metric-filter" as const,
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
  });
}

export function readAlarms(folder: AnswerSource): Alarm[] {
  return listed(folder.answer("describe-alarms"), "MetricAlarms").map(({ item, reader: r }): Alarm => {
    const name = required(r.str(member(item, "AlarmName"), "name", "AlarmName"), r, "AlarmName");
    const arn = stringOf(member(item, "AlarmArn"));
    const id = arn ?? `${folder.dir}#alarm:${typeof name === "string" ? name : "?"}`;
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
      statistic: r.str(member(item, "Statistic"), "statistic", "Statistic"),
      period: r.num(member(item, "Period"), "period", "Period"),
      evaluationPeriods: r.num(member(item, "EvaluationPeriods"), "evaluationPeriods", "EvaluationPeriods"),
      datapointsToAlarm: r.num(member(item, "DatapointsToAlarm"), "datapointsToAlarm", "DatapointsToAlarm"),
      threshold: r.num(member(item, "Threshold"), "threshold", "Threshold"),
      comparisonOperator: r.str(
        member(item, "ComparisonOperator"),
        "comparisonOperator",
        "ComparisonOperator",
      ),
      treatMissingData: r.str(member(item, "TreatMissingData"), "treatMissingData", "TreatMissingData"),
    };
  });
}

// ---------------------------------------------------------------- SNS

export function readTopics(folder: AnswerSource): Topic[] {
  const arnsByName = new Map<string, { arn: string; location?: SourceLocation }>();
  for (const { item, reader } of listed(folder.answer("list-topics"), "Topics")) {
    const arn = stringOf(member(item, "TopicArn"));
    if (arn) arnsByName.set(arn.slice(arn.lastIndexOf(":") + 1), { arn, location: reader.loc(item) });
  }
  const names = new Set([
    ...arnsByName.keys(),
    ...folder.ids("get-topic-attributes"),
    ...folder.ids("list-subscriptions-by-topic"),
  ]);
  const allSubscriptions = folder.answer("list-subscriptions");
  return [...names].map((name): Topic => {
    const locations: Record<string, SourceLocation> = {};
    const attributes = folder.answer("get-topic-attributes", name);
    const attrs = attributes.kind === "json" ? member(attributes.root, "Attributes") : undefined;
    const listedTopic = arnsByName.get(name);
    const arn = (attributes.kind === "json" && stringOf(member(attrs, "TopicArn"))) || listedTopic?.arn;
    if (attributes.kind === "json")
      new FieldReader(attributes.file, locations).record("arn", member(attrs, "TopicArn"));
    const id = arn ?? `${folder.dir}#topic:${name}`;
    const byTopic = folder.answer("list-subscriptions-by-topic", name);
    let subscriptions: Maybe<Subscription[]>;
    if (byTopic.kind === "json" || byTopic.kind === "error" || allSubscriptions.kind !== "json") {
      subscriptions = fromAnswer(byTopic, "subscriptions", locations, {
        json: (r, root) => readSubscriptions(r, root, undefined),
      });
    } else {
      subscriptions = fromAnswer(allSubscriptions, "subscriptions", locations, {
        json: (r, root) =>
          arn ? readSubscriptions(r, root, arn) : unknown(`the ARN of topic ${name} is not in the export`),
      });
    }
    return {
      kind: "topic",
      id,
      origin: {
        address: id,
        location:
          listedTopic?.location ??
          (attrs && attributes.kind === "json" ? attributes.file.location(attrs) : undefined),
      },
      fieldLocations: locations,
      name,
      arn: arn ?? unknown(whyNot(attributes)),
      subscriptions,
    };
  });
}

function readSubscriptions(
  r: FieldReader,
  root: JsonNode,
  topicArn: string | undefined,
): Maybe<Subscription[]> {
  const items = r.list(member(root, "Subscriptions"), null, "Subscriptions");
  if (items === null) return [];
  if (items instanceof Unknown) return items;
  const out: Subscription[] = [];
  for (const item of items) {
    if (topicArn && stringOf(member(item, "TopicArn")) !== topicArn) continue;
    const subscriptionArn = stringOf(member(item, "SubscriptionArn"));
    out.push({
      protocol: required(r.str(member(item, "Protocol"), null, "Protocol"), r, "Protocol"),
      endpoint: required(r.str(member(item, "Endpoint"), null, "Endpoint"), r, "Endpoint"),
      // Until confirmed, SNS shows `PendingConfirmation` where the subscription's ARN would be.
      confirmed: subscriptionArn ? subscriptionArn.startsWith("arn:") : unknown("SubscriptionArn is missing"),
    });
  }
  return out;
}

// ---------------------------------------------------------------- CloudTrail Lake

export function readEventDataStores(folder: AnswerSource): EventDataStore[] {
  const listing = new Map<string, { item: JsonNode; reader: FieldReader }>();
  for (const entry of listed(folder.answer("list-event-data-stores"), "EventDataStores")) {
    const name = stringOf(member(entry.item, "Name"));
    if (name) listing.set(name, entry);
  }
  const names = new Set([...listing.keys(), ...folder.ids("get-event-data-store")]);
  return [...names].map((name): EventDataStore => {
    const detail = folder.answer("get-event-data-store", name);
    const fromList = listing.get(name);
    // The full description; the listing lacks the KMS key, so that one is only known from get-event-data-store.
    const source =
      detail.kind === "json"
        ? { item: detail.root, reader: new FieldReader(detail.file, {}) }
        : (fromList ?? { item: undefined, reader: undefined });
    const r = source.reader;
    const node = source.item;
    const noFile = unknown(whyNot(detail));
    const bool = (key: string, field: string) =>
      r && node ? required(r.bool(member(node, key), field, key, null), r, key) : noFile;
    const arn = node ? stringOf(member(node, "EventDataStoreArn")) : undefined;
    const id = arn ?? `${folder.dir}#event-data-store:${name}`;
    const selectors =
      r && node
        ? r.list(member(node, "AdvancedEventSelectors"), "advancedEventSelectors", "AdvancedEventSelectors")
        : noFile;
    const retention =
      r && node ? r.num(member(node, "RetentionPeriod"), "retentionPeriodDays", "RetentionPeriod") : noFile;
    return {
      kind: "event-data-store",
      id,
      origin: { address: id, location: r && node ? r.loc(node) : undefined },
      fieldLocations: r?.locations ?? {},
      name,
      arn: arn ?? noFile,
      status: r && node ? r.str(member(node, "Status"), "status", "Status") : noFile,
      multiRegionEnabled: bool("MultiRegionEnabled", "multiRegionEnabled"),
      organizationEnabled: bool("OrganizationEnabled", "organizationEnabled"),
      retentionPeriodDays: r ? required(retention, r, "RetentionPeriod") : noFile,
      terminationProtectionEnabled: bool("TerminationProtectionEnabled", "terminationProtectionEnabled"),
      kmsKeyId:
        detail.kind === "json" && r && node
          ? r.str(member(node, "KmsKeyId"), "kmsKeyId", "KmsKeyId")
          : noFile,
      advancedEventSelectors:
        selectors === null || selectors instanceof Unknown
          ? selectors
          : r
            ? selectors.map((s, i) => advancedSelector(r, s, `advancedEventSelectors[${i}]`))
            : noFile,
    };
  });
}
