import type { Trail } from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import { type FileMapping, placeholder, type ResourceInput } from "./context.js";
import { refsOf, warn } from "./fields.js";
import { readAdvancedSelectors, readEventSelectors } from "./selectors.js";

const TRAIL_PROPERTIES = [
  "AdvancedEventSelectors",
  "CloudWatchLogsLogGroupArn",
  "CloudWatchLogsRoleArn",
  "EnableLogFileValidation",
  "EventSelectors",
  "IncludeGlobalServiceEvents",
  "InsightSelectors",
  "IsLogging",
  "IsMultiRegionTrail",
  "IsOrganizationTrail",
  "KMSKeyId",
  "S3BucketName",
  "S3KeyPrefix",
  "SnsTopicName",
  "Tags",
  "TrailName",
];

export function mapTrail(m: FileMapping, input: ResourceInput): Trail {
  const { decl, props, reader: r } = input;
  const id = decl.logicalId;
  checkPropertyNames(m, input);

  const isLoggingGot = r.get(props, "IsLogging", "isLogging");
  const isLogging = r.bool(
    isLoggingGot,
    "IsLogging",
    unknown("IsLogging is required by CloudFormation and missing", r.loc(isLoggingGot.pos)),
  );

  const bucketGot = r.get(props, "S3BucketName", "s3BucketName");
  const kmsGot = r.get(props, "KMSKeyId", "kmsKeyId");
  const groupGot = r.get(props, "CloudWatchLogsLogGroupArn", "cloudWatchLogsLogGroupArn");
  const topicGot = r.get(props, "SnsTopicName", "snsTopic");

  const trail = input.make<Trail>("trail", {
    name: r.str(r.get(props, "TrailName", "name"), "TrailName", placeholder(id)),
    arn: placeholder(`${id}.Arn`),
    accountId: placeholder("AWS::AccountId"),
    homeRegion: placeholder("AWS::Region"),
    isMultiRegionTrail: r.bool(
      r.get(props, "IsMultiRegionTrail", "isMultiRegionTrail"),
      "IsMultiRegionTrail",
      false,
    ),
    isOrganizationTrail: r.bool(
      r.get(props, "IsOrganizationTrail", "isOrganizationTrail"),
      "IsOrganizationTrail",
      false,
    ),
    isLogging,
    // CreateTrail's documented default is true.
    includeGlobalServiceEvents: r.bool(
      r.get(props, "IncludeGlobalServiceEvents", "includeGlobalServiceEvents"),
      "IncludeGlobalServiceEvents",
      true,
    ),
    logFileValidationEnabled: r.bool(
      r.get(props, "EnableLogFileValidation", "logFileValidationEnabled"),
      "EnableLogFileValidation",
      false,
    ),
    kmsKeyId: r.str(kmsGot, "KMSKeyId"),
    s3BucketName: r.str(bucketGot, "S3BucketName"),
    s3KeyPrefix: r.str(r.get(props, "S3KeyPrefix", "s3KeyPrefix"), "S3KeyPrefix"),
    snsTopic: r.str(topicGot, "SnsTopicName"),
    cloudWatchLogsLogGroupArn: r.str(groupGot, "CloudWatchLogsLogGroupArn"),
    cloudWatchLogsRoleArn: r.str(
      r.get(props, "CloudWatchLogsRoleArn", "cloudWatchLogsRoleArn"),
      "CloudWatchLogsRoleArn",
    ),
    eventSelectors: readEventSelectors(r, r.get(props, "EventSelectors", "eventSelectors"), "eventSelectors"),
    advancedEventSelectors: readAdvancedSelectors(
      r,
      r.get(props, "AdvancedEventSelectors", "advancedEventSelectors"),
      "advancedEventSelectors",
    ),
    insightTypes: readInsightTypes(input),
    links: {},
  });

  m.deferred.push(() => {
    const bucket = m.find(refsOf(bucketGot.node), "bucket");
    if (bucket) trail.links.bucket = bucket.id;
    const group = m.find(refsOf(groupGot.node), "log-group");
    if (group) trail.links.logGroup = group.id;
    const topic = m.find(refsOf(topicGot.node), "topic");
    if (topic) trail.links.topic = topic.id;
    const key = m.keyFor(refsOf(kmsGot.node));
    if (key) trail.links.key = key.id;
  });
  return trail;
}

function readInsightTypes(input: ResourceInput): Maybe<string[]> {
  const { props, reader: r } = input;
  const items = r.list(r.get(props, "InsightSelectors", "insightTypes"), "InsightSelectors");
  if (items === null) return [];
  if (items instanceof Unknown) return items;
  const out: string[] = [];
  for (const [i, item] of items.entries()) {
    const t = r.str(r.get({ node: item, pos: item.pos }, "InsightType", `insightTypes[${i}]`), "InsightType");
    if (t instanceof Unknown) return t;
    if (t !== null) out.push(t);
  }
  return out;
}

/** Properties that are not part of AWS::CloudTrail::Trail are ignored by CloudFormation's schema: say so. */
function checkPropertyNames(m: FileMapping, input: ResourceInput): void {
  const node = input.props.node;
  if (node?.kind !== "map") return;
  for (const e of node.entries) {
    if (TRAIL_PROPERTIES.includes(e.key)) continue;
    const near = TRAIL_PROPERTIES.find((p) => p.toLowerCase() === e.key.toLowerCase());
    const hint = near ? `, did you mean ${near}?` : "";
    warn(
      m.ctx,
      `unknown property ${e.key}${hint} (${input.decl.logicalId}, AWS::CloudTrail::Trail: the value is ignored)`,
      e.keyPos,
    );
  }
}
