import type { EventDataStore } from "../../model/index.js";
import { type FileMapping, placeholder, type ResourceInput } from "./context.js";
import { readAdvancedSelectors } from "./selectors.js";

export function mapEventDataStore(_m: FileMapping, input: ResourceInput): EventDataStore {
  const { decl, props, reader: r } = input;
  const id = decl.logicalId;
  const retention = r.num(r.get(props, "RetentionPeriod", "retentionPeriodDays"), "RetentionPeriod");
  const ingestion = r.bool(r.get(props, "IngestionEnabled", "status"), "IngestionEnabled", true);
  return input.make<EventDataStore>("event-data-store", {
    name: r.str(r.get(props, "Name", "name"), "Name", placeholder(id)),
    arn: placeholder(`${id}.EventDataStoreArn`),
    status: typeof ingestion === "boolean" ? (ingestion ? "ENABLED" : "STOPPED_INGESTION") : ingestion,
    // CloudFormation defaults: 2557 days (seven years), multi-Region, not organization-wide, protected.
    multiRegionEnabled: r.bool(
      r.get(props, "MultiRegionEnabled", "multiRegionEnabled"),
      "MultiRegionEnabled",
      true,
    ),
    organizationEnabled: r.bool(
      r.get(props, "OrganizationEnabled", "organizationEnabled"),
      "OrganizationEnabled",
      false,
    ),
    retentionPeriodDays: retention === null ? 2557 : retention,
    terminationProtectionEnabled: r.bool(
      r.get(props, "TerminationProtectionEnabled", "terminationProtectionEnabled"),
      "TerminationProtectionEnabled",
      true,
    ),
    kmsKeyId: r.str(r.get(props, "KmsKeyId", "kmsKeyId"), "KmsKeyId"),
    advancedEventSelectors: readAdvancedSelectors(
      r,
      r.get(props, "AdvancedEventSelectors", "advancedEventSelectors"),
      "advancedEventSelectors",
    ),
  });
}
