import type { ResourceListName } from "../../model/index.js";
import { type JsonNode, member, path, stringOf } from "../json.js";

/**
 * The AWS CLI commands an export folder may hold, and how their output files are named and recognized
 * (docs/exports.md). A file is `<command>.json`, or `<command>.<id>.json` for a command about one trail, bucket,
 * key, topic or event data store; a failed command is recorded as `<command>[.<id>].error.txt`.
 */
export interface CommandSpec {
  /** The file name stem, which is the command's name unless `command` says otherwise: `get-bucket-policy`. */
  name: string;
  service: string;
  /** The AWS CLI command, when the file stem differs from it (two services with commands of one name). */
  command?: string;
  /** For a command that lists every resource of a kind in the account: the account's list it fills. */
  lists?: ResourceListName;
  /** What the `<id>` part of the file name is, for per-resource commands. */
  per?: "trail" | "bucket" | "key" | "topic" | "event-data-store";
  /** Whether the JSON is this command's output. */
  shape(root: JsonNode): boolean;
  /** What the output looks like, for the error when a file's content is not what its name promises. */
  expected: string;
  /**
   * For output that says what it is about: the id to file it under when the file has another name (`trails.json`
   * holding `describe-trails` output). Undefined for output that cannot be told apart or attributed by content.
   */
  identify?(root: JsonNode): string | undefined;
}

const has =
  (...keys: string[]) =>
  (root: JsonNode) =>
    root.kind === "object" && keys.some((k) => root.members.has(k));
const hasArray = (key: string) => (root: JsonNode) => member(root, key)?.kind === "array";
const onlyKeys =
  (...keys: string[]) =>
  (root: JsonNode) =>
    root.kind === "object" && [...root.members.keys()].every((k) => keys.includes(k));
const account = () => "";
const lastSegment = (arn: string | undefined, after: string) =>
  arn?.includes(after) ? arn.slice(arn.lastIndexOf(after) + after.length) : undefined;

export const COMMANDS: CommandSpec[] = [
  // ---------------------------------------------------------------- account
  {
    name: "get-caller-identity",
    service: "sts",
    shape: (r) => typeof stringOf(member(r, "Account")) === "string",
    expected: "an object with Account",
    identify: (r) => (member(r, "UserId") && member(r, "Arn") ? "" : undefined),
  },
  {
    name: "describe-organization",
    service: "organizations",
    shape: has("Organization"),
    expected: "an object with Organization",
    identify: account,
  },
  {
    name: "list-accounts",
    service: "organizations",
    shape: hasArray("Accounts"),
    expected: "an object with an Accounts list",
    identify: account,
  },
  {
    name: "describe-regions",
    service: "ec2",
    shape: hasArray("Regions"),
    expected: "an object with a Regions list",
    identify: account,
  },
  // ---------------------------------------------------------------- CloudTrail
  {
    name: "describe-trails",
    lists: "trails",
    service: "cloudtrail",
    shape: hasArray("trailList"),
    expected: "an object with a trailList list",
    identify: account,
  },
  {
    name: "get-trail-status",
    service: "cloudtrail",
    per: "trail",
    shape: has("IsLogging"),
    expected: "an object with IsLogging",
  },
  {
    name: "get-event-selectors",
    service: "cloudtrail",
    per: "trail",
    shape: (r) =>
      has("EventSelectors", "AdvancedEventSelectors", "TrailARN")(r) && !has("InsightSelectors")(r),
    expected: "an object with TrailARN and EventSelectors or AdvancedEventSelectors",
    identify: (r) =>
      has("EventSelectors", "AdvancedEventSelectors")(r)
        ? lastSegment(stringOf(member(r, "TrailARN")), ":trail/")
        : undefined,
  },
  {
    name: "get-insight-selectors",
    service: "cloudtrail",
    per: "trail",
    shape: (r) =>
      has("InsightSelectors", "TrailARN")(r) && !has("EventSelectors", "AdvancedEventSelectors")(r),
    expected: "an object with TrailARN and InsightSelectors",
    identify: (r) =>
      has("InsightSelectors")(r) ? lastSegment(stringOf(member(r, "TrailARN")), ":trail/") : undefined,
  },
  {
    name: "list-event-data-stores",
    lists: "eventDataStores",
    service: "cloudtrail",
    shape: hasArray("EventDataStores"),
    expected: "an object with an EventDataStores list",
    identify: account,
  },
  {
    name: "get-event-data-store",
    service: "cloudtrail",
    per: "event-data-store",
    shape: has("EventDataStoreArn"),
    expected: "an object with EventDataStoreArn",
    identify: (r) => stringOf(member(r, "Name")),
  },
  // ---------------------------------------------------------------- S3
  {
    name: "list-buckets",
    lists: "buckets",
    service: "s3api",
    shape: hasArray("Buckets"),
    expected: "an object with a Buckets list",
    identify: account,
  },
  {
    name: "get-bucket-location",
    service: "s3api",
    per: "bucket",
    shape: has("LocationConstraint"),
    expected: "an object with LocationConstraint",
  },
  {
    name: "get-bucket-policy",
    service: "s3api",
    per: "bucket",
    shape: (r) => typeof stringOf(member(r, "Policy")) === "string",
    expected: "an object with Policy (the policy document as a string)",
  },
  {
    name: "get-bucket-policy-status",
    service: "s3api",
    per: "bucket",
    shape: has("PolicyStatus"),
    expected: "an object with PolicyStatus",
  },
  {
    // The account's own Block Public Access settings: `aws s3control get-public-access-block --account-id <id>`.
    name: "s3control-get-public-access-block",
    service: "s3control",
    command: "get-public-access-block",
    shape: has("PublicAccessBlockConfiguration"),
    expected: "an object with PublicAccessBlockConfiguration",
  },
  {
    name: "get-public-access-block",
    service: "s3api",
    per: "bucket",
    shape: has("PublicAccessBlockConfiguration"),
    expected: "an object with PublicAccessBlockConfiguration",
  },
  {
    name: "get-bucket-acl",
    service: "s3api",
    per: "bucket",
    shape: hasArray("Grants"),
    expected: "an object with a Grants list",
  },
  {
    name: "get-bucket-versioning",
    service: "s3api",
    per: "bucket",
    shape: onlyKeys("Status", "MFADelete"),
    expected: "an object with Status and MFADelete, or no output",
  },
  {
    name: "get-object-lock-configuration",
    service: "s3api",
    per: "bucket",
    shape: has("ObjectLockConfiguration"),
    expected: "an object with ObjectLockConfiguration",
  },
  {
    name: "get-bucket-logging",
    service: "s3api",
    per: "bucket",
    shape: onlyKeys("LoggingEnabled"),
    expected: "an object with LoggingEnabled, or no output",
  },
  {
    name: "get-bucket-lifecycle-configuration",
    service: "s3api",
    per: "bucket",
    shape: hasArray("Rules"),
    expected: "an object with a Rules list",
  },
  {
    name: "get-bucket-encryption",
    service: "s3api",
    per: "bucket",
    shape: has("ServerSideEncryptionConfiguration"),
    expected: "an object with ServerSideEncryptionConfiguration",
  },
  {
    name: "get-bucket-website",
    service: "s3api",
    per: "bucket",
    shape: has("IndexDocument", "RedirectAllRequestsTo", "ErrorDocument", "RoutingRules"),
    expected: "an object with IndexDocument or RedirectAllRequestsTo",
  },
  {
    name: "get-bucket-ownership-controls",
    service: "s3api",
    per: "bucket",
    shape: has("OwnershipControls"),
    expected: "an object with OwnershipControls",
  },
  // ---------------------------------------------------------------- KMS
  {
    name: "list-keys",
    lists: "keys",
    service: "kms",
    shape: hasArray("Keys"),
    expected: "an object with a Keys list",
    identify: account,
  },
  {
    name: "list-aliases",
    service: "kms",
    shape: hasArray("Aliases"),
    expected: "an object with an Aliases list",
    identify: account,
  },
  {
    name: "describe-key",
    service: "kms",
    per: "key",
    shape: has("KeyMetadata"),
    expected: "an object with KeyMetadata",
    identify: (r) => stringOf(path(r, "KeyMetadata", "KeyId")),
  },
  {
    name: "get-key-rotation-status",
    service: "kms",
    per: "key",
    shape: has("KeyRotationEnabled"),
    expected: "an object with KeyRotationEnabled",
  },
  // ---------------------------------------------------------------- CloudWatch Logs, CloudWatch, SNS
  {
    name: "describe-log-groups",
    lists: "logGroups",
    service: "logs",
    shape: hasArray("logGroups"),
    expected: "an object with a logGroups list",
    identify: account,
  },
  {
    name: "describe-metric-filters",
    lists: "metricFilters",
    service: "logs",
    shape: hasArray("metricFilters"),
    expected: "an object with a metricFilters list",
    identify: account,
  },
  {
    name: "describe-alarms",
    lists: "alarms",
    service: "cloudwatch",
    shape: has("MetricAlarms", "CompositeAlarms"),
    expected: "an object with MetricAlarms",
    identify: account,
  },
  {
    name: "list-topics",
    lists: "topics",
    service: "sns",
    shape: hasArray("Topics"),
    expected: "an object with a Topics list",
    identify: account,
  },
  {
    name: "get-topic-attributes",
    service: "sns",
    per: "topic",
    shape: (r) => member(r, "Attributes")?.kind === "object",
    expected: "an object with Attributes",
    identify: (r) => lastSegment(stringOf(path(r, "Attributes", "TopicArn")), ":"),
  },
  {
    name: "list-subscriptions-by-topic",
    service: "sns",
    per: "topic",
    shape: hasArray("Subscriptions"),
    expected: "an object with a Subscriptions list",
  },
  {
    name: "list-subscriptions",
    service: "sns",
    shape: hasArray("Subscriptions"),
    expected: "an object with a Subscriptions list",
  },
];

export const COMMANDS_BY_NAME = new Map(COMMANDS.map((c) => [c.name, c]));

/** Longest names first, so that `list-subscriptions-by-topic.x.json` is not read as `list-subscriptions`. */
const BY_LENGTH = [...COMMANDS].sort((a, b) => b.name.length - a.name.length);

export interface ExportFileName {
  command: CommandSpec;
  /** The trail, bucket, key, topic or event data store the file is about; `""` for account-wide commands. */
  id: string;
  /** `json` output, or the `error` text of a failed command. */
  form: "json" | "error";
}

/** `get-bucket-policy.my.bucket.error.txt` → get-bucket-policy, `my.bucket`, error. Undefined for other names. */
export function parseExportFileName(fileName: string): ExportFileName | undefined {
  let form: "json" | "error";
  let stem: string;
  if (fileName.endsWith(".error.txt")) {
    form = "error";
    stem = fileName.slice(0, -".error.txt".length);
  } else if (fileName.endsWith(".json")) {
    form = "json";
    stem = fileName.slice(0, -".json".length);
  } else return undefined;
  for (const command of BY_LENGTH) {
    if (command.per) {
      if (stem.startsWith(`${command.name}.`) && stem.length > command.name.length + 1) {
        return { command, id: stem.slice(command.name.length + 1), form };
      }
    } else if (stem === command.name) return { command, id: "", form };
  }
  return undefined;
}

/** The file a command's output is expected in. */
export function exportFileName(command: string, id: string, form: "json" | "error" = "json"): string {
  return `${command}${id ? `.${id}` : ""}${form === "json" ? ".json" : ".error.txt"}`;
}

/** The command line that produces a file, for messages: `aws s3api get-bucket-policy`. */
export function commandLine(command: CommandSpec): string {
  return `aws ${command.service} ${command.command ?? command.name}`;
}

/**
 * First members of the JSON of commands whose output says what it is: a folder holding such a file under another name
 * is still recognized as an export, and the file is read for what it is.
 */
export const SELF_IDENTIFYING_FIRST_KEYS = new Set([
  "trailList",
  "TrailARN",
  "EventDataStores",
  "EventDataStoreArn",
  "KeyMetadata",
  "logGroups",
  "metricFilters",
  "MetricAlarms",
  "Organization",
  "UserId",
]);

/** A failed command's recorded error: the AWS CLI's stderr (`An error occurred (Code) when calling ...`) or a code. */
export function parseCliError(text: string): { code: string; message: string } | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  const cli = /An error occurred \(([^)]+)\)(?: when calling the \w+ operation)?(?: \([^)]*\))?:\s*(.*)/.exec(
    trimmed,
  );
  if (cli) return { code: cli[1] ?? "", message: (cli[2] ?? "").split("\n")[0]?.trim() ?? "" };
  const firstLine = trimmed.split("\n")[0]?.trim() ?? "";
  if (/^[A-Za-z][\w.]*$/.test(firstLine)) return { code: firstLine, message: "" };
  return { code: "", message: firstLine };
}
