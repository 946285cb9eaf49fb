import type { EventDataStore as SdkEventDataStore } from "@aws-sdk/client-cloudtrail";
import type { EventDataStore } from "../../model/index.js";
import { liveDocument, nodeOf } from "../aws-api/answers.js";
import { FieldReader } from "../aws-api/fields.js";
import { mapEventDataStore } from "../aws-api/lake.js";
import type { InventoryFragment } from "../fragment.js";
import { type JsonNode, member, stringOf } from "../json.js";
import { ask } from "./answers.js";
import type { AwsClients } from "./clients.js";
import { type AccountContext, fragment, parseArn } from "./context.js";
import { attempt, ErrorLog, failure } from "./errors.js";

/**
 * CloudTrail Lake event data stores of one region. `ListEventDataStores` only lists the current region's stores and
 * no longer returns their settings, so each store listed is read with `GetEventDataStore`. This is the one
 * collection that costs a call per region: the API offers no account-wide listing.
 */
export async function listEventDataStores(
  clients: AwsClients,
  _account: AccountContext,
  region: string,
  log: ErrorLog,
): Promise<SdkEventDataStore[]> {
  const { cloudtrail } = clients.sdk;
  const stores: SdkEventDataStore[] = [];
  const listed = await attempt("ListEventDataStores", async () => {
    let NextToken: string | undefined;
    do {
      const page = await clients
        .cloudtrail(region)
        .send(new cloudtrail.ListEventDataStoresCommand({ NextToken }));
      for (const s of page.EventDataStores ?? []) if (s.EventDataStoreArn) stores.push(s);
      NextToken = page.NextToken;
    } while (NextToken);
  });
  const failed = failure(listed);
  if (failed)
    log.error(`CloudTrail Lake (${region}): ${failed.reason}; event data stores of ${region} not read`);
  return stores;
}

/** One listed store, read in its own region and mapped as an export's is. */
export async function collectEventDataStore(
  clients: AwsClients,
  region: string,
  listed: SdkEventDataStore,
  log: ErrorLog,
): Promise<EventDataStore> {
  const { cloudtrail } = clients.sdk;
  const arn = listed.EventDataStoreArn ?? "";
  const detail = await ask(
    "GetEventDataStore",
    () =>
      clients
        .cloudtrail(parseArn(arn)?.region || region)
        .send(new cloudtrail.GetEventDataStoreCommand({ EventDataStore: arn })),
    (reason) => log.warn(`event data store ${arn}: ${reason}`),
  );
  const name = (detail.kind === "json" && detailName(detail.root)) || listed.Name || arn;
  const entry = { item: nodeOf(listed), reader: new FieldReader(liveDocument("ListEventDataStores"), {}) };
  return mapEventDataStore("", name, detail, entry);
}

function detailName(root: JsonNode): string | undefined {
  return stringOf(member(root, "Name"));
}

/** Lake collector of one region: its stores, each read from its own region. */
export async function collectEventDataStores(
  clients: AwsClients,
  account: AccountContext,
  region: string,
): Promise<InventoryFragment> {
  const out = fragment();
  const log = new ErrorLog();
  const stores = await listEventDataStores(clients, account, region, log);
  out.eventDataStores = await Promise.all(
    stores.map((store) => collectEventDataStore(clients, region, store, log)),
  );
  out.errors = log.errors;
  return out;
}
