import type { KmsKey, LogGroup, Subscription, Topic } from "../../model/index.js";
import { logGroupNameFromArn, type Maybe, unknown } from "../../model/index.js";
import { liveDocument, nodeOf } from "../aws-api/answers.js";
import { FieldReader } from "../aws-api/fields.js";
import { mapLogGroup } from "../aws-api/monitoring.js";
import type { AwsClients } from "./clients.js";
import { type AccountContext, parseArn } from "./context.js";
import { attempt, ErrorLog, failure, field, type Outcome } from "./errors.js";

/**
 * What a trail points at, besides its bucket: the KMS key that encrypts its logs, the CloudWatch Logs group it
 * delivers to, the SNS topic it notifies. Each is read in its own region (from its ARN, else the trail's).
 */

/** `DescribeKey`, `GetKeyRotationStatus` and (for the account's own keys) `ListAliases`. */
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

  const described = await attempt("DescribeKey", () =>
    client.send(new kms.DescribeKeyCommand({ KeyId: ref })),
  );
  const meta = described.ok ? described.value.KeyMetadata : undefined;
  const keyArn = meta?.Arn ?? (arn && !arn.resource.startsWith("alias/") ? ref : undefined);
  const id = keyArn ?? `${ref} (${arn?.region || region})`;
  const fail = failure(described);
  if (fail) warn(fail.reason);

  let rotationEnabled: Maybe<boolean> = fail ?? unknown("DescribeKey returned no key");
  let aliases: Maybe<string[]> = fail ?? unknown("DescribeKey returned no key");
  if (meta?.KeyId) {
    const keyId = meta.Arn ?? meta.KeyId;
    const own = (parseArn(meta.Arn)?.account ?? account.accountId) === account.accountId;
    const [rotation, listed] = await Promise.all([
      meta.KeyManager === "AWS"
        ? undefined
        : attempt("GetKeyRotationStatus", () =>
            client.send(new kms.GetKeyRotationStatusCommand({ KeyId: keyId })),
          ),
      own
        ? attempt("ListAliases", async () => {
            const names: string[] = [];
            let Marker: string | undefined;
            do {
              const page = await client.send(new kms.ListAliasesCommand({ KeyId: meta.KeyId, Marker }));
              for (const a of page.Aliases ?? []) if (a.AliasName) names.push(a.AliasName);
              Marker = page.Truncated ? page.NextMarker : undefined;
            } while (Marker);
            return names;
          })
        : undefined,
    ]);
    // AWS managed keys rotate every year, and their rotation cannot be changed or asked for by their users.
    rotationEnabled = rotation
      ? rotationOf(rotation, warn)
      : meta.KeyManager === "AWS"
        ? true
        : unknown("rotation not read");
    aliases = listed
      ? field(
          listed,
          (v) => v,
          () => [],
          warn,
        )
      : unknown(
          `the aliases of a key of account ${parseArn(meta.Arn)?.account} are not listed from this account`,
        );
  }

  const key: KmsKey = {
    kind: "key",
    id,
    origin: { address: id },
    fieldLocations: {},
    keyId: meta?.KeyId ?? fail ?? unknown("DescribeKey returned no key"),
    arn: keyArn ?? fail ?? null,
    aliases,
    keyManager:
      meta?.KeyManager === "AWS" || meta?.KeyManager === "CUSTOMER"
        ? meta.KeyManager
        : (fail ?? unknown(`KeyManager ${JSON.stringify(meta?.KeyManager)}`)),
    keySpec: meta?.KeySpec ?? fail ?? unknown("DescribeKey returned no KeySpec"),
    keyState: meta?.KeyState ?? fail ?? unknown("DescribeKey returned no KeyState"),
    rotationEnabled,
  };
  return { key, errors: log };
}

function rotationOf(
  outcome: Outcome<{ KeyRotationEnabled?: boolean }>,
  warn: (reason: string) => void,
): Maybe<boolean> {
  // Asymmetric and HMAC keys cannot rotate: the API refuses the question, the answer is "no".
  if (!outcome.ok && !outcome.notConfigured && outcome.reason.includes("UnsupportedOperationException"))
    return false;
  return field(
    outcome,
    (v) => v.KeyRotationEnabled ?? false,
    () => false,
    warn,
  );
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

/** The SNS topic's subscriptions (`ListSubscriptionsByTopic`). */
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
  const listed = await attempt("ListSubscriptionsByTopic", async () => {
    const out: Subscription[] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(
        new sns.ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }),
      );
      for (const s of page.Subscriptions ?? []) {
        out.push({
          protocol: s.Protocol ?? unknown("no Protocol"),
          endpoint: s.Endpoint ?? unknown("no Endpoint"),
          confirmed: !!s.SubscriptionArn && s.SubscriptionArn.startsWith("arn:"),
        });
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  });
  const topic: Topic = {
    kind: "topic",
    id: topicArn,
    origin: { address: topicArn },
    fieldLocations: {},
    name: parsed ? parsed.resource : topicArn,
    arn: topicArn,
    subscriptions: field(
      listed,
      (v) => v,
      () => [],
      (reason) => log.warn(`SNS topic ${topicArn}: ${reason}`),
    ),
  };
  return { topic, errors: log };
}
