import type {
  AdvancedEventSelector,
  AdvancedFieldSelector,
  DataResource,
  EventSelector,
  InputError,
  ReadWriteType,
  SourceLocation,
  Trail,
} from "../../model/index.js";
import { isKnown, type Maybe, Unknown, unknown } from "../../model/index.js";
import { type JsonNode, member, stringOf } from "../json.js";
import { emptyFieldSelector, FIELD_SELECTOR_OPERATORS, insightsOnManagementEvents } from "../selectors.js";
import { type AnswerSource, whyNot } from "./answers.js";
import { FieldReader, fromAnswer, required } from "./fields.js";

/** A trail and the position of its bucket name, where a bucket of another account is anchored. */
export interface ReadTrail {
  trail: Trail;
  bucketName?: { name: string; location?: SourceLocation };
}

/**
 * Trails from `describe-trails` (with shadow trails: multi-region trails of other regions and the organization's
 * trails), each completed by its `get-trail-status`, `get-event-selectors` and `get-insight-selectors` files.
 */
export function readTrails(folder: AnswerSource, errors: InputError[]): ReadTrail[] {
  const answer = folder.answer("describe-trails");
  if (answer.kind !== "json") {
    const file = answer.kind === "absent" ? answer.expected : answer.file;
    // Without it the trails are not known, and "the account has no trail" would be a guess.
    errors.push({
      code: answer.kind === "absent" ? "export-missing" : "aws-error",
      file: answer.kind === "absent" ? undefined : file,
      message: `${whyNot(answer)}: the account's trails are unknown, so account rules such as trail.enabled cannot be trusted`,
      severity: "error",
    });
    return [];
  }
  const items = member(answer.root, "trailList");
  if (items?.kind !== "array") return [];
  const names = new Map<string, number>();
  for (const item of items.items) {
    const name = stringOf(member(item, "Name"));
    if (name) names.set(name, (names.get(name) ?? 0) + 1);
  }
  // An export names the per-trail files after the trail: a name given to two trails cannot tell them apart.
  const byName: TrailAnswersKey = (name, _arn, r, item) => {
    if (typeof name !== "string")
      return unknown(
        "the trail has no Name in describe-trails, so its other files cannot be found",
        r.loc(item),
      );
    if ((names.get(name) ?? 0) > 1)
      return unknown(
        `${r.file.path} lists several trails named ${name}; files named after it cannot be attributed`,
        r.loc(item),
      );
    return name;
  };
  return items.items.map((item) => mapTrail(folder, new FieldReader(answer.file, {}), item, byName));
}

/** The id under which a trail's own answers (status, selectors) are found, or why they cannot be. */
export type TrailAnswersKey = (
  name: Maybe<string>,
  arn: Maybe<string | null>,
  r: FieldReader,
  item: JsonNode,
) => string | Unknown;

/** One trail of a `describe-trails` answer, completed by its status, event selectors and Insights selectors. */
export function mapTrail(
  folder: AnswerSource,
  r: FieldReader,
  item: JsonNode,
  keyOf: TrailAnswersKey,
): ReadTrail {
  const locations = r.locations;
  const get = (key: string) => member(item, key);
  const name = required(r.str(get("Name"), "name", "Name"), r, "Name");
  const arn = r.str(get("TrailARN"), "arn", "TrailARN");
  const bool = (key: string, field: string) => required(r.bool(get(key), field, key, null), r, key);
  const topicArn = get("SnsTopicARN");
  const id = typeof arn === "string" ? arn : `${folder.dir}#trail:${typeof name === "string" ? name : "?"}`;
  const trail: Trail = {
    kind: "trail",
    id,
    origin: { address: id, location: r.loc(item) },
    fieldLocations: locations,
    name,
    arn,
    accountId: typeof arn === "string" ? (arn.split(":")[4] ?? null) : arn,
    homeRegion: r.str(get("HomeRegion"), "homeRegion", "HomeRegion"),
    isMultiRegionTrail: bool("IsMultiRegionTrail", "isMultiRegionTrail"),
    isOrganizationTrail: bool("IsOrganizationTrail", "isOrganizationTrail"),
    isLogging: unknown("not read yet"),
    includeGlobalServiceEvents: bool("IncludeGlobalServiceEvents", "includeGlobalServiceEvents"),
    logFileValidationEnabled: bool("LogFileValidationEnabled", "logFileValidationEnabled"),
    kmsKeyId: r.str(get("KmsKeyId"), "kmsKeyId", "KmsKeyId"),
    s3BucketName: r.str(get("S3BucketName"), "s3BucketName", "S3BucketName"),
    s3KeyPrefix: r.str(get("S3KeyPrefix"), "s3KeyPrefix", "S3KeyPrefix"),
    // SnsTopicName is deprecated in favour of the ARN; either links to the topic.
    snsTopic: topicArn
      ? r.str(topicArn, "snsTopic", "SnsTopicARN")
      : r.str(get("SnsTopicName"), "snsTopic", "SnsTopicName"),
    cloudWatchLogsLogGroupArn: r.str(
      get("CloudWatchLogsLogGroupArn"),
      "cloudWatchLogsLogGroupArn",
      "CloudWatchLogsLogGroupArn",
    ),
    cloudWatchLogsRoleArn: r.str(
      get("CloudWatchLogsRoleArn"),
      "cloudWatchLogsRoleArn",
      "CloudWatchLogsRoleArn",
    ),
    eventSelectors: null,
    advancedEventSelectors: null,
    insightTypes: [],
    links: {},
  };

  const hasCustomNode = get("HasCustomEventSelectors");
  const hasInsightsNode = get("HasInsightSelectors");
  const hasCustom = r.bool(hasCustomNode, null, "HasCustomEventSelectors", null);
  const hasInsights = r.bool(hasInsightsNode, null, "HasInsightSelectors", null);

  const key = keyOf(name, arn, r, item);
  if (key instanceof Unknown) {
    Object.assign(trail, {
      isLogging: key,
      eventSelectors: key,
      advancedEventSelectors: key,
      insightTypes: key,
    });
  } else {
    trail.isLogging = readStatus(folder, key, locations);
    const selectors = readSelectors(folder, key, arn, locations, hasCustom, r, hasCustomNode);
    trail.eventSelectors = selectors.basic;
    trail.advancedEventSelectors = selectors.advanced;
    trail.insightTypes = readInsights(folder, key, arn, locations, hasInsights, r, hasInsightsNode);
  }

  const bucketNode = get("S3BucketName");
  const bucket = trail.s3BucketName;
  return {
    trail,
    bucketName:
      typeof bucket === "string" && bucketNode ? { name: bucket, location: r.loc(bucketNode) } : undefined,
  };
}

function readStatus(
  folder: AnswerSource,
  name: string,
  locations: Record<string, SourceLocation>,
): Maybe<boolean> {
  return fromAnswer(folder.answer("get-trail-status", name), "isLogging", locations, {
    json: (r, root) =>
      required(r.bool(member(root, "IsLogging"), "isLogging", "IsLogging", null), r, "IsLogging"),
  });
}

/** A per-trail file whose TrailARN is another trail's is not evidence about this one. */
function otherTrail(r: FieldReader, root: JsonNode, arn: Maybe<string | null>): Unknown | undefined {
  const said = stringOf(member(root, "TrailARN"));
  if (said && typeof arn === "string" && said !== arn) {
    return unknown(`${r.file.path} is about ${said}, not ${arn}`, r.loc(root));
  }
  return undefined;
}

function readSelectors(
  folder: AnswerSource,
  name: string,
  arn: Maybe<string | null>,
  locations: Record<string, SourceLocation>,
  hasCustom: Maybe<boolean | null>,
  trailReader: FieldReader,
  hasCustomNode: JsonNode | undefined,
): { basic: Maybe<EventSelector[] | null>; advanced: Maybe<AdvancedEventSelector[] | null> } {
  const answer = folder.answer("get-event-selectors", name);
  if (answer.kind !== "json") {
    // describe-trails alone tells that a trail without custom selectors has the default one (all management events).
    if (hasCustom === false) {
      trailReader.record("eventSelectors", hasCustomNode);
      return { basic: null, advanced: null };
    }
    const why = unknown(whyNot(answer), answer.kind === "error" ? answer.location : undefined);
    return { basic: why, advanced: why };
  }
  const r = new FieldReader(answer.file, locations);
  const root = answer.root;
  const wrong = otherTrail(r, root, arn);
  if (wrong) return { basic: wrong, advanced: wrong };
  const basicNode = member(root, "EventSelectors");
  const advancedNode = member(root, "AdvancedEventSelectors");
  const basicItems = r.list(basicNode, "eventSelectors", "EventSelectors");
  const advancedItems = r.list(advancedNode, "advancedEventSelectors", "AdvancedEventSelectors");
  if (basicItems instanceof Unknown || advancedItems instanceof Unknown) {
    return {
      basic: basicItems instanceof Unknown ? basicItems : null,
      advanced: advancedItems instanceof Unknown ? advancedItems : null,
    };
  }
  const basicCount = basicItems?.length ?? 0;
  const advancedCount = advancedItems?.length ?? 0;
  if (basicCount === 0 && advancedCount === 0) {
    // AWS lists the default selector for a trail without custom ones; an empty answer (as moto gives) with
    // HasCustomEventSelectors false means the same default. With custom selectors, an empty list selects nothing.
    if (hasCustom === false) return { basic: null, advanced: null };
    if (hasCustom === true) return { basic: [], advanced: null };
    return {
      basic: unknown(
        `${r.file.path} lists no selectors and describe-trails does not say whether the trail has custom ones`,
        r.loc(root),
      ),
      advanced: null,
    };
  }
  return {
    basic:
      basicCount > 0 && basicItems
        ? basicItems.map((s, i) => eventSelector(r, s, `eventSelectors[${i}]`))
        : null,
    advanced:
      advancedCount > 0 && advancedItems
        ? advancedItems.map((s, i) => advancedSelector(r, s, `advancedEventSelectors[${i}]`))
        : null,
  };
}

const READ_WRITE_TYPES = new Set(["All", "ReadOnly", "WriteOnly"]);

function eventSelector(r: FieldReader, node: JsonNode, path: string): EventSelector {
  r.record(path, node);
  const rw = r.str(member(node, "ReadWriteType"), `${path}.readWriteType`, "ReadWriteType");
  let readWriteType: Maybe<ReadWriteType>;
  if (rw === null) readWriteType = "All";
  else if (typeof rw !== "string") readWriteType = rw;
  else if (READ_WRITE_TYPES.has(rw)) readWriteType = rw as ReadWriteType;
  else
    readWriteType = unknown(
      `ReadWriteType ${JSON.stringify(rw)} is not All, ReadOnly or WriteOnly`,
      r.loc(node),
    );
  const excluded = r.strList(
    member(node, "ExcludeManagementEventSources"),
    `${path}.excludeManagementEventSources`,
    "ExcludeManagementEventSources",
  );
  const resources = r.list(member(node, "DataResources"), `${path}.dataResources`, "DataResources");
  let dataResources: Maybe<DataResource[]>;
  if (resources === null) dataResources = [];
  else if (resources instanceof Unknown) dataResources = resources;
  else
    dataResources = resources.map((d, i): DataResource => {
      const type = r.str(member(d, "Type"), `${path}.dataResources[${i}].type`, "Type");
      const values = r.strList(member(d, "Values"), `${path}.dataResources[${i}].values`, "Values");
      return { type: required(type, r, "DataResources Type"), values: values ?? [] };
    });
  return {
    readWriteType,
    includeManagementEvents: r.bool(
      member(node, "IncludeManagementEvents"),
      `${path}.includeManagementEvents`,
      "IncludeManagementEvents",
      true,
    ),
    excludeManagementEventSources: excluded ?? [],
    dataResources,
  };
}

/** An advanced event selector (of a trail or an event data store). */
export function advancedSelector(r: FieldReader, node: JsonNode, path: string): AdvancedEventSelector {
  r.record(path, node);
  const name = r.str(member(node, "Name"), `${path}.name`, "Name");
  const items = r.list(member(node, "FieldSelectors"), `${path}.fieldSelectors`, "FieldSelectors");
  if (items === null || items instanceof Unknown) {
    return {
      name,
      fieldSelectors: items ?? unknown(`FieldSelectors missing in ${r.file.path}`, r.loc(node)),
    };
  }
  const fields: AdvancedFieldSelector[] = [];
  for (const [i, item] of items.entries()) {
    const field = required(
      r.str(member(item, "Field"), `${path}.fieldSelectors[${i}].field`, "Field"),
      r,
      "Field",
    );
    if (!isKnown(field)) return { name, fieldSelectors: field };
    const selector = emptyFieldSelector(field);
    for (const { api, model } of FIELD_SELECTOR_OPERATORS) {
      const values = r.strList(member(item, api), `${path}.fieldSelectors[${i}].${model}`, api);
      if (values instanceof Unknown) return { name, fieldSelectors: values };
      selector[model] = values;
    }
    fields.push(selector);
  }
  return { name, fieldSelectors: fields };
}

function readInsights(
  folder: AnswerSource,
  name: string,
  arn: Maybe<string | null>,
  locations: Record<string, SourceLocation>,
  hasInsights: Maybe<boolean | null>,
  trailReader: FieldReader,
  hasInsightsNode: JsonNode | undefined,
): Maybe<string[]> {
  const answer = folder.answer("get-insight-selectors", name);
  if (answer.kind === "absent" || answer.kind === "unusable") {
    if (hasInsights === false) {
      trailReader.record("insightTypes", hasInsightsNode);
      return [];
    }
    return unknown(whyNot(answer));
  }
  return fromAnswer(answer, "insightTypes", locations, {
    json: (r, root) => {
      const wrong = otherTrail(r, root, arn);
      if (wrong) return wrong;
      const items = r.list(member(root, "InsightSelectors"), "insightTypes", "InsightSelectors");
      if (items === null) return [];
      if (items instanceof Unknown) return items;
      const types: string[] = [];
      for (const item of items) {
        const type = r.str(member(item, "InsightType"), null, "InsightType");
        if (type instanceof Unknown) return type;
        const categories = r.strList(member(item, "EventCategories"), null, "EventCategories");
        if (categories instanceof Unknown) return categories;
        if (type && insightsOnManagementEvents(categories)) types.push(type);
      }
      return types;
    },
    // AWS answers get-insight-selectors for a trail without Insights with this error.
    notConfigured: { codes: ["InsightNotEnabledException"], value: [] },
  });
}
