import type { EventDataStore } from "../../model/index.js";
import { unknown } from "../../model/index.js";
import type { InventoryFragment } from "../fragment.js";
import type { AwsClients } from "./clients.js";
import { type AccountContext, fragment, parseArn } from "./context.js";
import { attempt, ErrorLog, failure } from "./errors.js";
import { mapAdvancedSelectors } from "./selectors.js";

/**
 * CloudTrail Lake event data stores of one region. `ListEventDataStores` only lists the current region's stores and
 * no longer returns their settings, so each store listed is read with `GetEventDataStore`. This is the one
 * collection that costs a call per region: the API offers no account-wide listing.
 */
export async function listEventDataStoreArns(
  clients: AwsClients,
  _account: AccountContext,
  region: string,
  log: ErrorLog,
): Promise<string[]> {
  const { cloudtrail } = clients.sdk;
  const arns: string[] = [];
  const listed = await attempt("ListEventDataStores", async () => {
    let NextToken: string | undefined;
    do {
      const page = await clients
        .cloudtrail(region)
        .send(new cloudtrail.ListEventDataStoresCommand({ NextToken }));
      for (const s of page.EventDataStores ?? []) if (s.EventDataStoreArn) arns.push(s.EventDataStoreArn);
      NextToken = page.NextToken;
    } while (NextToken);
  });
  const failed = failure(listed);
  if (failed)
    log.error(`CloudTrail Lake (${region}): ${failed.reason}; event data stores of ${region} not read`);
  return arns;
}

export async function collectEventDataStore(
  clients: AwsClients,
  _account: AccountContext,
  region: string,
  arn: string,
  log: ErrorLog,
): Promise<EventDataStore> {
  const { cloudtrail } = clients.sdk;
  const got = await attempt("GetEventDataStore", () =>
    clients
      .cloudtrail(parseArn(arn)?.region || region)
      .send(new cloudtrail.GetEventDataStoreCommand({ EventDataStore: arn })),
  );
  const base = {
    kind: "event-data-store" as const,
    id: arn,
    origin: { address: arn },
    fieldLocations: {},
    arn,
  };
  if (!got.ok) {
    const reason = failure(got) ?? unknown("GetEventDataStore failed");
    log.warn(`event data store ${arn}: ${reason.reason}`);
    return {
      ...base,
      name: reason,
      status: reason,
      multiRegionEnabled: reason,
      organizationEnabled: reason,
      retentionPeriodDays: reason,
      terminationProtectionEnabled: reason,
      kmsKeyId: reason,
      advancedEventSelectors: reason,
    };
  }
  const s = got.value;
  const selectors = s.AdvancedEventSelectors ?? [];
  return {
    ...base,
    name: s.Name ?? unknown("GetEventDataStore returned no Name"),
    status: s.Status ?? null,
    multiRegionEnabled: s.MultiRegionEnabled ?? false,
    organizationEnabled: s.OrganizationEnabled ?? false,
    retentionPeriodDays: s.RetentionPeriod ?? unknown("GetEventDataStore returned no RetentionPeriod"),
    terminationProtectionEnabled: s.TerminationProtectionEnabled ?? false,
    kmsKeyId: s.KmsKeyId ?? null,
    advancedEventSelectors: selectors.length > 0 ? mapAdvancedSelectors(selectors) : null,
  };
}

/** Lake collector of one region: its stores, each read from its own region. */
export async function collectEventDataStores(
  clients: AwsClients,
  account: AccountContext,
  region: string,
): Promise<InventoryFragment> {
  const out = fragment();
  const log = new ErrorLog();
  const arns = await listEventDataStoreArns(clients, account, region, log);
  out.eventDataStores = await Promise.all(
    arns.map((arn) => collectEventDataStore(clients, account, region, arn, log)),
  );
  out.errors = log.errors;
  return out;
}
