import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { expect, test } from "vitest";
import { type AccountInventory, isUnknown, linkAccount } from "../../src/model/index.js";
import { collectLive } from "../../src/sources/aws/index.js";
import { describeIf } from "../support/requirements.js";
import {
  motoRequirement,
  SCENARIO_TIMEOUT_MS,
  scenarioAccount,
  scenarioExport,
} from "../support/scenario-accounts.js";
import { scenarios } from "../support/scenarios.js";
import { motoOptions } from "./aws/helpers.js";
import { readExport } from "./exports/helpers.js";

/**
 * Live collection and the AWS CLI export of the same account give the same inventory, field by field: both are
 * answers of the same API calls, mapped by one mapper. What may differ is only where a value was read:
 */
const BOOKKEEPING = {
  /** A resource's origin: an ARN for live, a file position for exports. */
  origin: true,
  /** Positions of each field in the export's files; live answers have none. */
  fieldLocations: true,
  /** Positions of values inside a field (a policy's statements) in the export's files. */
  location: true,
} as const;
/**
 * An Unknown names where the fact was missing (an API call, or a file of the export) and, for a file, its position:
 * compared as "unknown".
 */
const UNKNOWN = { unknown: true };

/** Lists mapped from the same answers by both sources. */
const MAPPED = ["trails", "buckets", "keys", "logGroups", "metricFilters", "alarms", "topics"] as const;

/**
 * `links` point at resources of the inventory: an export holds resources live collection does not read (a bucket's
 * access-log bucket), so only links to resources both hold are compared.
 */
function comparable(value: unknown, held: Set<string>): unknown {
  if (isUnknown(value)) return UNKNOWN;
  if (Array.isArray(value)) return value.map((item) => comparable(item, held));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key in BOOKKEEPING || item === undefined) continue;
      out[key] =
        key === "links"
          ? Object.fromEntries(Object.entries(item as object).filter(([, target]) => held.has(target)))
          : comparable(item, held);
    }
    return out;
  }
  return value;
}

const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id));

/** The resources of one list that live collection reads: what the trails use, as the export has them too. */
function sameResources(live: AccountInventory, exported: AccountInventory, list: (typeof MAPPED)[number]) {
  const liveItems = byId(live[list] as { id: string }[]);
  const ids = new Set(liveItems.map((r) => r.id));
  // An export holds every resource of the account; live collection reads the ones the trails use.
  const exportedItems = byId((exported[list] as { id: string }[]).filter((r) => ids.has(r.id)));
  const held = new Set(
    [...MAPPED, "eventDataStores" as const].flatMap((l) => (live[l] as { id: string }[]).map((r) => r.id)),
  );
  return { live: comparable(liveItems, held), exported: comparable(exportedItems, held) };
}

/**
 * The export of the answers live collection asks for. moto keeps a trail's HasCustomEventSelectors and
 * HasInsightSelectors false after selectors are put; live collection trusts those flags and does not ask (as it
 * must, to keep its call count), while the export script records the answers anyway. Without those files the export
 * holds the same answers as the live collection.
 */
function exportOfLiveCalls(dir: string): string {
  const copy = join(mkdtempSync(join(tmpdir(), "live-vs-exports-")), basename(dir));
  cpSync(dir, copy, { recursive: true });
  const described = JSON.parse(readFileSync(join(copy, "describe-trails.json"), "utf8")) as {
    trailList?: { Name?: string; HasCustomEventSelectors?: boolean; HasInsightSelectors?: boolean }[];
  };
  for (const trail of described.trailList ?? []) {
    if (trail.HasCustomEventSelectors === false)
      rmSync(join(copy, `get-event-selectors.${trail.Name}.json`), { force: true });
    if (trail.HasInsightSelectors === false)
      rmSync(join(copy, `get-insight-selectors.${trail.Name}.json`), { force: true });
  }
  return copy;
}

await describeIf(await motoRequirement(), "live collection and exports of the same account", () => {
  /** Lists that held resources in some scenario: the comparison is not of empty lists only. */
  const compared = new Set<string>();
  for (const scenario of Object.values(scenarios)) {
    test(
      `${scenario.name}: ${MAPPED.join(", ")} are equal field by field`,
      async () => {
        const moto = await scenarioAccount(scenario);
        const result = await collectLive(motoOptions(moto, { regions: ["us-east-1"], lake: false }));
        const live = result.accounts[0];
        if (!live) throw new Error(`no live account for ${scenario.name}`);
        linkAccount(live);
        const copy = exportOfLiveCalls(await scenarioExport(scenario));
        const exported = readExport(copy).account;
        rmSync(join(copy, ".."), { recursive: true, force: true });

        expect(byId(live.trails).map((t) => t.id)).toEqual(byId(exported.trails).map((t) => t.id));
        const trailBuckets = new Set(exported.trails.map((t) => t.s3BucketName).filter((b) => !isUnknown(b)));
        expect(live.buckets.map((b) => b.name).sort()).toEqual([...trailBuckets].sort());
        for (const list of MAPPED) {
          const { live: fromLive, exported: fromExport } = sameResources(live, exported, list);
          expect(fromLive, list).toEqual(fromExport);
          if ((live[list] as unknown[]).length > 0) compared.add(list);
        }
      },
      SCENARIO_TIMEOUT_MS,
    );
  }

  test("the scenarios hold trails, buckets, keys, log groups and topics to compare", () => {
    // Metric filters and alarms are compared in the scenarios that have them.
    for (const list of ["trails", "buckets", "keys", "logGroups", "topics"]) expect(compared).toContain(list);
  });
});
