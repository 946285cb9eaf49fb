import type { AccountInventory, Bucket, InputError } from "../../../model/index.js";
import { append, isUnknown } from "../../../model/index.js";
import { ANOTHER_ACCOUNTS_BUCKET } from "../../aws-api/buckets.js";
import { askAccountPublicAccessBlock, collectBucket, listOwnedBuckets } from "../buckets.js";
import type { AwsClients } from "../clients.js";
import type { AccountContext } from "../context.js";
import { ErrorLog } from "../errors.js";

/** An account read in the organization scan, with the clients that entered it. */
export interface EnteredAccount {
  inventory: AccountInventory;
  clients: AwsClients;
  partition: string;
}

/**
 * Trail buckets that belong to another account of the organization (a central log archive): the trail's account
 * could only record them as not its own. Each is read once, with the clients of the account that owns it (found with
 * one ListBuckets per account, only when there is such a bucket), and given to every account whose trails use it;
 * the first of those judges it, the others hold it as shared. The warnings that said it was not read are dropped.
 */
export async function readCentralBuckets(entered: EnteredAccount[], errors: InputError[]): Promise<void> {
  const foreign = new Map<string, AccountInventory[]>();
  for (const { inventory } of entered) {
    for (const bucket of inventory.buckets) {
      if (bucket.sharedFrom === undefined && isForeign(bucket)) {
        foreign.set(bucket.id, [...(foreign.get(bucket.id) ?? []), inventory]);
      }
    }
  }
  if (foreign.size === 0) return;

  const names = new Map([...foreign.keys()].map((id) => [id.slice(id.lastIndexOf(":") + 1), id]));
  const owners = await Promise.all(
    entered.map(async (account) => ({
      account,
      owned: await listOwnedBuckets(account.clients, account.clients.homeRegion),
    })),
  );
  for (const { account, owned } of owners) {
    const mine = [...(owned.names?.keys() ?? [])].filter((name) => names.has(name));
    if (mine.length === 0) continue;
    const log = new ErrorLog();
    const ctx: AccountContext = {
      accountId: String(account.inventory.accountId),
      partition: account.partition,
      homeRegion: account.clients.homeRegion,
      regions: [],
    };
    const block = await askAccountPublicAccessBlock(account.clients, ctx, log);
    const read = await Promise.all(
      mine.map((name) => collectBucket(account.clients, ctx, name, owned, block)),
    );
    for (const { bucket, errors: logged } of read) {
      append(log.errors, logged.errors);
      const users = foreign.get(bucket.id) ?? [];
      const judge = users[0]?.accountId;
      for (const user of users) {
        const shared = user === users[0] || typeof judge !== "string" ? {} : { sharedFrom: judge };
        user.buckets = user.buckets.map((b) =>
          b.id === bucket.id ? { ...bucket, links: b.links, ...shared } : b,
        );
        dropNotOwnedWarning(errors, user, bucket);
      }
    }
    append(
      errors,
      log.errors.map((e) => ({ ...e, account: ctx.accountId })),
    );
  }
}

/** The placeholder the collector records for a bucket ListBuckets says another account owns. */
function isForeign(bucket: Bucket): boolean {
  return isUnknown(bucket.accountId) && bucket.accountId.reason.endsWith(ANOTHER_ACCOUNTS_BUCKET);
}

function dropNotOwnedWarning(errors: InputError[], user: AccountInventory, bucket: Bucket): void {
  const text = `S3 bucket ${bucket.name} is not owned by account ${user.accountId}`;
  for (let i = errors.length - 1; i >= 0; i--) {
    if (errors[i]?.message.startsWith(text)) errors.splice(i, 1);
  }
}
