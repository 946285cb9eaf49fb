import type { EventDataStore } from "../../model/index.js";
import { Unknown, unknown } from "../../model/index.js";
import { type JsonNode, member, stringOf } from "../json.js";
import { type Answer, type AnswerSource, whyNot } from "./answers.js";
import { FieldReader, listed, required } from "./fields.js";
import { advancedSelector } from "./trails.js";

export function readEventDataStores(folder: AnswerSource): EventDataStore[] {
  const listing = new Map<string, { item: JsonNode; reader: FieldReader }>();
  for (const entry of listed(folder.answer("list-event-data-stores"), "EventDataStores")) {
    const name = stringOf(member(entry.item, "Name"));
    if (name) listing.set(name, entry);
  }
  const names = new Set([...listing.keys(), ...folder.ids("get-event-data-store")]);
  return [...names].map((name) =>
    mapEventDataStore(folder.dir, name, folder.answer("get-event-data-store", name), listing.get(name)),
  );
}

/** One event data store from its `get-event-data-store` answer, or else from its entry in the listing. */
export function mapEventDataStore(
  dir: string,
  name: string,
  detail: Answer,
  fromList: { item: JsonNode; reader: FieldReader } | undefined,
): EventDataStore {
  // The full description; the listing lacks the KMS key, so that one is only known from get-event-data-store.
  const source =
    detail.kind === "json"
      ? { item: detail.root, reader: new FieldReader(detail.file, {}) }
      : (fromList ?? { item: undefined, reader: undefined });
  const r = source.reader;
  const node = source.item;
  const noFile = unknown(whyNot(detail));
  const bool = (key: string, field: string) =>
    r && node ? required(r.bool(member(node, key), field, key, null), r, key) : noFile;
  const arn = node ? stringOf(member(node, "EventDataStoreArn")) : undefined;
  const id = arn ?? `${dir}#event-data-store:${name}`;
  const selectors =
    r && node
      ? r.list(member(node, "AdvancedEventSelectors"), "advancedEventSelectors", "AdvancedEventSelectors")
      : noFile;
  const retention =
    r && node ? r.num(member(node, "RetentionPeriod"), "retentionPeriodDays", "RetentionPeriod") : noFile;
  return {
    kind: "event-data-store",
    id,
    origin: { address: id, location: r && node ? r.loc(node) : undefined },
    fieldLocations: r?.locations ?? {},
    name,
    arn: arn ?? noFile,
    status: r && node ? r.str(member(node, "Status"), "status", "Status") : noFile,
    multiRegionEnabled: bool("MultiRegionEnabled", "multiRegionEnabled"),
    organizationEnabled: bool("OrganizationEnabled", "organizationEnabled"),
    retentionPeriodDays: r ? required(retention, r, "RetentionPeriod") : noFile,
    terminationProtectionEnabled: bool("TerminationProtectionEnabled", "terminationProtectionEnabled"),
    kmsKeyId:
      detail.kind === "json" && r && node ? r.str(member(node, "KmsKeyId"), "kmsKeyId", "KmsKeyId") : noFile,
    advancedEventSelectors:
      selectors === null || selectors instanceof Unknown
        ? selectors
        : r
          ? selectors.map((s, i) => advancedSelector(r, s, `advancedEventSelectors[${i}]`))
          : noFile,
  };
}
