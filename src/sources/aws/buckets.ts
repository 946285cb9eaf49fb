import type { Bucket as SdkBucket } from "@aws-sdk/client-s3";
import type { Bucket } from "../../model/index.js";
import { type Answer, whyNot } from "../aws-api/answers.js";
import { bucketContext, mapBucket } from "../aws-api/buckets.js";
import { COMMANDS } from "../aws-api/commands.js";
import { member, stringOf } from "../json.js";
import { ask, LiveAnswers } from "./answers.js";
import type { AwsClients } from "./clients.js";
import type { AccountContext } from "./context.js";
import { ErrorLog } from "./errors.js";

/**
 * Buckets the account owns, with their regions. ListBuckets is paged with MaxBuckets: S3 rejects an unpaged request
 * from an account whose bucket quota is high, and a paged answer gives each bucket's region, which saves a
 * GetBucketLocation per bucket. The pages make one `list-buckets` answer.
 */
export interface OwnedBuckets {
  listing: Answer;
  /** Undefined when ListBuckets failed: ownership is then not known. */
  names?: Map<string, string | undefined>;
  failure?: string;
}

/** The largest page ListBuckets accepts. */
const LIST_BUCKETS_PAGE = 10_000;

export async function listOwnedBuckets(clients: AwsClients, region: string): Promise<OwnedBuckets> {
  const { s3 } = clients.sdk;
  const names = new Map<string, string | undefined>();
  const listing = await ask("ListBuckets", async () => {
    const buckets: SdkBucket[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await clients
        .s3(region)
        .send(new s3.ListBucketsCommand({ MaxBuckets: LIST_BUCKETS_PAGE, ContinuationToken }));
      for (const b of page.Buckets ?? []) {
        buckets.push(b);
        if (b.Name) names.set(b.Name, b.BucketRegion);
      }
      ContinuationToken = page.ContinuationToken;
    } while (ContinuationToken);
    return { Buckets: buckets };
  });
  if (listing.kind === "json") return { listing, names };
  return { listing, failure: whyNot(listing) };
}

/**
 * The account's own S3 Block Public Access settings (S3 Control `GetPublicAccessBlock`), which S3 applies to every
 * bucket of the account together with the bucket's.
 */
export async function askAccountPublicAccessBlock(
  clients: AwsClients,
  account: AccountContext,
  log: ErrorLog,
): Promise<Answer> {
  const { s3control } = clients.sdk;
  return ask(
    "GetAccountPublicAccessBlock",
    () =>
      clients.s3control().send(new s3control.GetPublicAccessBlockCommand({ AccountId: account.accountId })),
    (reason) => log.warn(`S3 account settings of ${account.accountId}: ${reason}`),
  );
}

/**
 * The bucket reads besides its location: the API operation of each per-bucket AWS CLI command
 * (`get-bucket-policy` → `GetBucketPolicy`).
 */
const BUCKET_READS = COMMANDS.filter((c) => c.per === "bucket" && c.name !== "get-bucket-location").map(
  (c) => [c.name, c.name.replace(/(?:^|-)([a-z])/g, (_m, letter: string) => letter.toUpperCase())] as const,
);

/**
 * One bucket a trail writes to: public access block, policy, ACL, versioning and MFA delete, Object Lock, access
 * logging, lifecycle, default encryption, website, object ownership, mapped as an export's bucket is. A bucket the
 * account does not own is not read (its owner's scan assesses it): its settings are Unknown, so the rules about it
 * say `unknown`, never `pass`.
 */
export async function collectBucket(
  clients: AwsClients,
  account: AccountContext,
  name: string,
  owned: OwnedBuckets,
  accountBlock: Answer,
): Promise<{ bucket: Bucket; errors: ErrorLog }> {
  const log = new ErrorLog();
  const answers = new LiveAnswers();
  answers.set("list-buckets", "", owned.listing);
  answers.set("s3control-get-public-access-block", "", accountBlock);
  const ctx = bucketContext(answers, account.accountId, account.partition);

  if (owned.names && !owned.names.has(name)) {
    log.warn(
      `S3 bucket ${name} is not owned by account ${account.accountId} (ListBuckets): its settings are read ` +
        "when the account that owns it is scanned",
    );
    return { bucket: mapBucket(answers, ctx, name), errors: log };
  }

  const { s3 } = clients.sdk;
  const warn = (reason: string) => log.warn(`S3 bucket ${name}: ${reason}`);
  // Known owner: every call states it, so a bucket re-created by someone else is refused rather than read.
  const input = { Bucket: name, ...(owned.names ? { ExpectedBucketOwner: account.accountId } : {}) };
  let region = owned.names?.get(name);
  if (!region) {
    const location = await ask(
      "GetBucketLocation",
      () => clients.s3(clients.homeRegion).send(new s3.GetBucketLocationCommand(input)),
      warn,
    );
    answers.set("get-bucket-location", name, location);
    region = regionOf(location);
  }
  const client = clients.s3(region ?? clients.homeRegion);
  await Promise.all(
    BUCKET_READS.map(async ([command, operation]) => {
      const Command = s3[`${operation}Command` as keyof typeof s3] as unknown as new (input: {
        Bucket: string;
      }) => Parameters<typeof client.send>[0];
      answers.set(command, name, await ask(operation, () => client.send(new Command(input)), warn));
    }),
  );
  return { bucket: mapBucket(answers, ctx, name), errors: log };
}

/** The region a GetBucketLocation answer gives, to send the bucket's other reads there. */
function regionOf(answer: Answer): string | undefined {
  if (answer.kind !== "json") return undefined;
  const constraint = stringOf(member(answer.root, "LocationConstraint"));
  // An empty LocationConstraint is us-east-1; `EU` is the old name of eu-west-1.
  return !constraint ? "us-east-1" : constraint === "EU" ? "eu-west-1" : constraint;
}
