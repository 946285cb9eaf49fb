import type { Maybe } from "../../model/index.js";
import { unknown } from "../../model/index.js";
import type { AwsClients } from "./clients.js";
import { attempt, type ErrorLog } from "./errors.js";

/**
 * The account's enabled regions, so that "multi-region" means every one of them: Account `ListRegions` (enabled and
 * enabled-by-default), else EC2 `DescribeRegions` (which, without `AllRegions`, lists the enabled ones) where the
 * Account API is not offered or not allowed.
 */
export async function discoverRegions(
  clients: AwsClients,
  partition: string,
  log: ErrorLog,
): Promise<Maybe<string[]>> {
  const inPartition = (name: string) => partitionOf(name) === partition;
  const { account, ec2 } = clients.sdk;
  const listed = await attempt("ListRegions", async () => {
    const names: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await clients.account().send(
        new account.ListRegionsCommand({
          RegionOptStatusContains: ["ENABLED", "ENABLED_BY_DEFAULT"],
          MaxResults: 50,
          NextToken,
        }),
      );
      for (const r of page.Regions ?? []) if (r.RegionName) names.push(r.RegionName);
      NextToken = page.NextToken;
    } while (NextToken);
    return names;
  });
  if (listed.ok && listed.value.length > 0) return listed.value.filter(inPartition).sort();

  const described = await attempt("DescribeRegions", () =>
    clients.ec2(clients.homeRegion).send(new ec2.DescribeRegionsCommand({})),
  );
  if (described.ok) {
    const names = (described.value.Regions ?? [])
      .filter((r) => r.OptInStatus !== "not-opted-in")
      .map((r) => r.RegionName)
      .filter((n): n is string => !!n && inPartition(n));
    if (names.length > 0) return names.sort();
  }
  const why = [listed, described]
    .map((o) => (!o.ok && !o.notConfigured ? o.reason : "no regions returned"))
    .join("; ");
  const reason = unknown(`the account's enabled regions could not be read (${why})`);
  log.error(reason.reason);
  return reason;
}

/** The partition a region belongs to, by its name (an emulator may list regions of every partition). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  if (region.startsWith("eu-isoe-")) return "aws-iso-e";
  if (region.startsWith("us-isof-")) return "aws-iso-f";
  return "aws";
}
