import type { KmsKey, LogGroup, Topic } from "../../model/index.js";
import { append, logGroupNameFromArn, unknown } from "../../model/index.js";
import { type Answer, liveDocument, nodeOf, whyNot } from "../aws-api/answers.js";
import { FieldReader } from "../aws-api/fields.js";
import { keyAliases, mapKey } from "../aws-api/keys.js";
import { mapLogGroup } from "../aws-api/monitoring.js";
import { mapTopic } from "../aws-api/topics.js";
import { member, stringOf } from "../json.js";
import { ask, LiveAnswers } from "./answers.js";
import type { AwsClients } from "./clients.js";
import { type AccountContext, parseArn } from "./context.js";
import { attempt, ErrorLog, failure } from "./errors.js";

/**
 * What a trail points at, besides its bucket: the KMS key that encrypts its logs, the CloudWatch Logs group it
 * delivers to, the SNS topic it notifies. Each is read in its own region (from its ARN, else the trail's).
 */

/**
 * `DescribeKey`, `GetKeyRotationStatus` (not for AWS managed keys) and, for the account's own keys, `ListAliases`,
 * mapped as an export's key is.
 */
export async function collectKey(
  clients: AwsClients,
  account: AccountContext,
  region: string,
  ref: string,
): Promise<{ key: KmsKey; errors: ErrorLog }> {
  const log = new ErrorLog();
  const { kms } = clients.sdk;
  const arn = parseArn(ref);
  const client = clients.kms(arn?.region || region);
  const warn = (reason: string) => log.warn(`KMS key ${ref}: ${reason}`);

  const described = await ask(
    "DescribeKey",
    () => client.send(new kms.DescribeKeyCommand({ KeyId: ref })),
    warn,
  );
  const meta = described.kind === "json" ? member(described.root, "KeyMetadata") : undefined;
  const keyId = stringOf(member(meta, "KeyId"));
  if (!keyId) return { key: unreadKey(ref, arn?.region || region, described), errors: log };

  const keyArn = stringOf(member(meta, "Arn"));
  const owner = parseArn(keyArn)?.account ?? account.accountId;
  const answers = new LiveAnswers();
  answers.set("describe-key", keyId, described);
  const [rotation, aliases] = await Promise.all([
    stringOf(member(meta, "KeyManager")) === "AWS"
      ? undefined
      : ask(
          "GetKeyRotationStatus",
          () => client.send(new kms.GetKeyRotationStatusCommand({ KeyId: keyArn ?? keyId })),
          warn,
        ),
    owner === account.accountId
      ? ask(
          "ListAliases",
          async () => {
            const found: unknown[] = [];
            let Marker: string | undefined;
            do {
              const page = await client.send(new kms.ListAliasesCommand({ KeyId: keyId, Marker }));
              append(
                found,
                (page.Aliases ?? []).map((a) => ({ ...a, TargetKeyId: a.TargetKeyId ?? keyId })),
              );
              Marker = page.Truncated ? page.NextMarker : undefined;
            } while (Marker);
            return { Aliases: found };
          },
          warn,
        )
      : undefined,
  ]);
  if (rotation) answers.set("get-key-rotation-status", keyId, rotation);
  const aliasesOf = aliases
    ? keyAliases(aliases)(keyId)
    : unknown(`the aliases of a key of account ${owner} are not listed from this account`);
  return { key: mapKey(answers, keyId, aliasesOf), errors: log };
}

/** A key DescribeKey did not describe: known by the reference a trail gives, every setting Unknown. */
function unreadKey(ref: string, region: string, described: Answer): KmsKey {
  const arn = parseArn(ref);
  const keyArn = arn && !arn.resource.startsWith("alias/") ? ref : undefined;
  const id = keyArn ?? `${ref} (${region})`;
  const reason =
    described.kind === "json" ? unknown("DescribeKey returned no key") : unknown(whyNot(described));
  return {
    kind: "key",
    id,
    origin: { address: id },
    fieldLocations: {},
    keyId: reason,
    arn: keyArn ?? reason,
    aliases: reason,
    keyManager: reason,
    keySpec: reason,
    keyState: reason,
    rotationEnabled: reason,
  };
}

/** The log group of `arn:aws:logs:<region>:<account>:log-group:<name>:*`, found with `DescribeLogGroups`. */
export async function collectLogGroup(
  clients: AwsClients,
  account: AccountContext,
  region: string,
  groupArn: string,
): Promise<{ group: LogGroup; errors: ErrorLog }> {
  const log = new ErrorLog();
  const { logs } = clients.sdk;
  const parsed = parseArn(groupArn);
  const name = logGroupNameFromArn(groupArn) ?? groupArn;
  const id = groupArn.replace(/:\*$/, "");
  const base = { kind: "log-group" as const, id, origin: { address: id }, fieldLocations: {}, name, arn: id };

  if (parsed?.account && parsed.account !== account.accountId) {
    const reason = unknown(
      `CloudWatch Logs group ${name} belongs to account ${parsed.account}: it is read when that account is scanned`,
    );
    log.warn(reason.reason);
    return { group: { ...base, retentionInDays: reason, kmsKeyId: reason }, errors: log };
  }

  const client = clients.logs(parsed?.region || region);
  const found = await attempt("DescribeLogGroups", async () => {
    let nextToken: string | undefined;
    do {
      const page = await client.send(
        new logs.DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken }),
      );
      const match = page.logGroups?.find((g) => g.logGroupName === name);
      if (match) return match;
      nextToken = page.nextToken;
    } while (nextToken);
    return undefined;
  });
  const warn = (reason: string) => log.warn(`CloudWatch Logs group ${name}: ${reason}`);
  if (found.ok && !found.value) {
    const reason = unknown(`DescribeLogGroups: no log group named ${name} in ${parsed?.region || region}`);
    warn(reason.reason);
    return { group: { ...base, retentionInDays: reason, kmsKeyId: reason }, errors: log };
  }
  if (!found.ok) {
    const reason = failure(found) ?? unknown("DescribeLogGroups failed");
    warn(reason.reason);
    return { group: { ...base, retentionInDays: reason, kmsKeyId: reason }, errors: log };
  }
  const reader = new FieldReader(liveDocument("DescribeLogGroups"), {});
  return {
    group: mapLogGroup("", reader, nodeOf({ arn: id, logGroupName: name, ...found.value })),
    errors: log,
  };
}

/** The SNS topic's subscriptions (`ListSubscriptionsByTopic`, its pages as one answer). */
export async function collectTopic(
  clients: AwsClients,
  _account: AccountContext,
  region: string,
  topicArn: string,
): Promise<{ topic: Topic; errors: ErrorLog }> {
  const log = new ErrorLog();
  const { sns } = clients.sdk;
  const parsed = parseArn(topicArn);
  const client = clients.sns(parsed?.region || region);
  const name = parsed ? parsed.resource : topicArn;
  const answers = new LiveAnswers();
  const listed = await ask(
    "ListSubscriptionsByTopic",
    async () => {
      const subscriptions: unknown[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(
          new sns.ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }),
        );
        append(subscriptions, page.Subscriptions ?? []);
        NextToken = page.NextToken;
      } while (NextToken);
      return { Subscriptions: subscriptions };
    },
    (reason) => log.warn(`SNS topic ${topicArn}: ${reason}`),
  );
  answers.set("list-subscriptions-by-topic", name, listed);
  return { topic: mapTopic(answers, name, { arn: topicArn }), errors: log };
}
