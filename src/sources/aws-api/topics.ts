import type { SourceLocation, Subscription, Topic } from "../../model/index.js";
import { type Maybe, Unknown, unknown } from "../../model/index.js";
import { type JsonNode, member, stringOf } from "../json.js";
import { type AnswerSource, whyNot } from "./answers.js";
import { FieldReader, fromAnswer, listed, required } from "./fields.js";

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
  return [...names].map((name) => mapTopic(folder, name, arnsByName.get(name)));
}

/**
 * One topic from its answers: its ARN from `get-topic-attributes` or its listing entry, its subscriptions from
 * `list-subscriptions-by-topic`, or else from the account's `list-subscriptions`.
 */
export function mapTopic(
  folder: AnswerSource,
  name: string,
  listedTopic: { arn: string; location?: SourceLocation } | undefined,
): Topic {
  const allSubscriptions = folder.answer("list-subscriptions");
  const locations: Record<string, SourceLocation> = {};
  const attributes = folder.answer("get-topic-attributes", name);
  const attrs = attributes.kind === "json" ? member(attributes.root, "Attributes") : undefined;
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
