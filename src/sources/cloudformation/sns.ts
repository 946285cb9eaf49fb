import type { Subscription, Topic } from "../../model/index.js";
import { isKnown, type Maybe, Unknown, unknown } from "../../model/index.js";
import { type FileMapping, placeholder, type ResourceInput } from "./context.js";
import { type FieldReader, type Got, refsOf } from "./fields.js";

/** Protocols whose subscriptions need no confirmation by the receiver. */
const SELF_CONFIRMED = new Set(["lambda", "sqs", "firehose", "sms", "application"]);

export function mapTopic(_m: FileMapping, input: ResourceInput): Topic {
  const { decl, props, reader: r } = input;
  const id = decl.logicalId;
  const items = r.list(r.get(props, "Subscription", "subscriptions"), "Subscription");
  let subscriptions: Maybe<Subscription[]>;
  if (items === null) subscriptions = [];
  else if (items instanceof Unknown) subscriptions = items;
  else
    subscriptions = items.map((item, i) =>
      readSubscription(r, { node: item, pos: item.pos }, `subscriptions[${i}]`),
    );
  return input.make<Topic>("topic", {
    name: r.str(r.get(props, "TopicName", "name"), "TopicName", placeholder(id)),
    arn: placeholder(`${id}.TopicArn`),
    subscriptions,
  });
}

function readSubscription(r: FieldReader, got: Got, path: string): Subscription {
  const protocolGot = r.get(got, "Protocol", `${path}.protocol`);
  const endpointGot = r.get(got, "Endpoint", `${path}.endpoint`);
  const protocol = r.str(protocolGot, "Protocol");
  const endpoint = r.str(endpointGot, "Endpoint");
  let confirmed: Maybe<boolean>;
  if (typeof protocol !== "string") confirmed = unknown("the subscription protocol is not known");
  else if (SELF_CONFIRMED.has(protocol.toLowerCase())) confirmed = true;
  else confirmed = unknown(`${protocol} subscriptions are confirmed by their receiver after deployment`);
  return {
    protocol:
      protocol === null ? unknown("Protocol is required and missing", r.loc(protocolGot.pos)) : protocol,
    endpoint: endpoint === null ? unknown("Endpoint is missing", r.loc(endpointGot.pos)) : endpoint,
    confirmed,
  };
}

/**
 * `AWS::SNS::Subscription`: added to the topic of this template its `TopicArn` refers to. One that may not be
 * created makes the topic's subscriptions unknown, naming the condition.
 */
export function attachSubscription(m: FileMapping, input: ResourceInput): void {
  const { props, reader: r } = input;
  const topicGot = r.get(props, "TopicArn", null);
  const subscription = readSubscription(r, props, "subscription");
  m.deferred.push(() => {
    const topic = m.find(refsOf(topicGot.node), "topic");
    if (!topic || !isKnown(topic.subscriptions)) return;
    if (input.existence) {
      topic.subscriptions = unknown(
        `the topic's subscriptions are not known: ${input.existence.reason}`,
        input.existence.location,
      );
    } else topic.subscriptions.push(subscription);
  });
}
