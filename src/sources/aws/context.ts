import type { InventoryFragment } from "../fragment.js";
import { emptyFragment } from "../fragment.js";
import type { AwsClients } from "./clients.js";

/** What every collector knows of the account it reads. */
export interface AccountContext {
  accountId: string;
  /** `aws`, `aws-cn`, `aws-us-gov`: from the caller's ARN. */
  partition: string;
  /** Where account-wide calls go. */
  homeRegion: string;
  /** Regions collected in: the account's enabled regions, or the `regions` limit. */
  regions: string[];
  /** Trails collected in another account of the scan (organization trails): listed here, not read again. */
  skipTrails?: ReadonlySet<string>;
}

/** A collector reads one kind of thing in one region of one account. */
export type Collector = (
  clients: AwsClients,
  account: AccountContext,
  region: string,
) => Promise<InventoryFragment>;

export function fragment(): InventoryFragment {
  return emptyFragment();
}

/** `arn:aws:logs:eu-west-1:123456789012:log-group:x` → its parts; undefined when not an ARN. */
export function parseArn(
  value: string | null | undefined,
): { partition: string; service: string; region: string; account: string; resource: string } | undefined {
  if (typeof value !== "string" || !value.startsWith("arn:")) return undefined;
  const parts = value.split(":");
  if (parts.length < 6) return undefined;
  const [, partition = "", service = "", region = "", account = ""] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(":") };
}
