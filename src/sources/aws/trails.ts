import type { Trail as SdkTrail, TrailInfo } from "@aws-sdk/client-cloudtrail";
import type { Trail } from "../../model/index.js";
import { append, type Unknown, unknown } from "../../model/index.js";
import { liveDocument, nodeOf } from "../aws-api/answers.js";
import { FieldReader } from "../aws-api/fields.js";
import { mapTrail } from "../aws-api/trails.js";
import type { InventoryFragment } from "../fragment.js";
import { ask, LiveAnswers } from "./answers.js";
import type { AwsClients } from "./clients.js";
import { type AccountContext, fragment, parseArn } from "./context.js";
import { attempt, ErrorLog, failure } from "./errors.js";

/**
 * Every trail of the account in a number of calls that does not depend on the number of regions:
 *
 * - one `ListTrails` (account-wide: each entry names its home region) and, at the same time, one `DescribeTrails`
 *   with shadow trails in the home region (its trails, the multi-region trails homed elsewhere and the organization
 *   trails that cover the account, which a member may see only this way),
 * - one `DescribeTrails` with the ARNs that answer left out (the API takes ARNs of trails homed in other regions),
 *   only when there are some (single-region trails homed elsewhere),
 * - per trail, in its home region: `GetTrailStatus`; `GetEventSelectors` only when the trail says it has custom
 *   selectors (without, AWS applies the default selector: all management events, read and write);
 *   `GetInsightSelectors` only when it says it has Insights selectors. A response that omits either flag is asked.
 *
 * Should `DescribeTrails` leave some ARNs out, they are described again from their home regions.
 */
export async function collectTrails(
  clients: AwsClients,
  account: AccountContext,
  region: string,
): Promise<InventoryFragment> {
  const out = fragment();
  const log = new ErrorLog();
  const { cloudtrail } = clients.sdk;

  const listed: TrailInfo[] = [];
  const [list, shadows] = await Promise.all([
    attempt("ListTrails", async () => {
      let NextToken: string | undefined;
      do {
        const page = await clients.cloudtrail(region).send(new cloudtrail.ListTrailsCommand({ NextToken }));
        append(listed, page.Trails ?? []);
        NextToken = page.NextToken;
      } while (NextToken);
    }),
    // The trails of the home region and the shadows of every trail that reaches it: an organization trail seen
    // from a member may show only this way.
    attempt("DescribeTrails", () =>
      clients.cloudtrail(region).send(new cloudtrail.DescribeTrailsCommand({ includeShadowTrails: true })),
    ),
  ]);
  const listFailure = failure(list);
  if (listFailure) {
    // Without the list the account's trails are not known: a placeholder keeps every rule about them `unknown`.
    log.error(`CloudTrail (${region}): ${listFailure.reason}; the account's trails could not be listed`);
    out.trails.push(unknownTrail(account, region, listFailure));
    out.errors = log.errors;
    return out;
  }

  const wanted = (arn: string | undefined): arn is string => !!arn && !account.skipTrails?.has(arn);
  const described = new Map<string, SdkTrail>();
  if (shadows.ok) {
    for (const t of shadows.value.trailList ?? []) if (wanted(t.TrailARN)) described.set(t.TrailARN, t);
  } else {
    const reason = failure(shadows)?.reason ?? "DescribeTrails failed";
    log.warn(`CloudTrail (${region}): ${reason}; only the trails ListTrails names were read`);
  }
  const arns = [...new Set([...listed.map((t) => t.TrailARN).filter(wanted), ...described.keys()])];
  let describeFailure: Unknown | undefined;
  const unlisted = arns.filter((arn) => !described.has(arn));
  if (unlisted.length > 0) {
    const first = await attempt("DescribeTrails", () =>
      clients.cloudtrail(region).send(new cloudtrail.DescribeTrailsCommand({ trailNameList: unlisted })),
    );
    if (first.ok) for (const t of first.value.trailList ?? []) if (t.TrailARN) described.set(t.TrailARN, t);
    describeFailure = failure(first);
    const missing = unlisted.filter((arn) => !described.has(arn));
    const byRegion = new Map<string, string[]>();
    for (const arn of missing) {
      const home = homeOf(listed, arn) ?? region;
      if (home === region && first.ok) continue;
      byRegion.set(home, [...(byRegion.get(home) ?? []), arn]);
    }
    await Promise.all(
      [...byRegion].map(async ([home, names]) => {
        const again = await attempt("DescribeTrails", () =>
          clients.cloudtrail(home).send(new cloudtrail.DescribeTrailsCommand({ trailNameList: names })),
        );
        if (!again.ok) {
          describeFailure = failure(again);
          return;
        }
        for (const t of again.value.trailList ?? []) if (t.TrailARN) described.set(t.TrailARN, t);
      }),
    );
  }

  const limit = new Set(account.regions);
  const trails = await Promise.all(
    arns.map(async (arn) => {
      const info = listed.find((t) => t.TrailARN === arn);
      const home = info?.HomeRegion ?? parseArn(arn)?.region ?? region;
      const settings = described.get(arn);
      if (!settings) {
        const reason = describeFailure ?? unknown(`DescribeTrails did not return ${arn}`);
        log.error(`trail ${arn}: ${reason.reason}`);
        return unknownTrail(account, home, reason, info);
      }
      // A `regions` limit leaves out the single-region trails homed elsewhere; multi-region ones cover them all.
      if (!settings.IsMultiRegionTrail && limit.size > 0 && !limit.has(home)) return undefined;
      return readTrail(clients, home, settings, log);
    }),
  );
  for (const trail of trails) if (trail) out.trails.push(trail);
  out.errors = log.errors;
  return out;
}

function homeOf(listed: TrailInfo[], arn: string): string | undefined {
  return listed.find((t) => t.TrailARN === arn)?.HomeRegion ?? parseArn(arn)?.region;
}

/**
 * One described trail, completed by its own answers (asked in its home region, only where the trail says it has
 * custom or Insights selectors) and mapped as an export's trail is. Its answers are filed under its ARN.
 */
async function readTrail(clients: AwsClients, home: string, t: SdkTrail, log: ErrorLog): Promise<Trail> {
  const { cloudtrail } = clients.sdk;
  const arn = t.TrailARN ?? "";
  const client = clients.cloudtrail(home);
  const warn = (reason: string) => log.warn(`trail ${arn}: ${reason}`);
  const answers = new LiveAnswers();
  const [status, selectors, insights] = await Promise.all([
    ask("GetTrailStatus", () => client.send(new cloudtrail.GetTrailStatusCommand({ Name: arn })), warn),
    t.HasCustomEventSelectors === false
      ? undefined
      : ask(
          "GetEventSelectors",
          () => client.send(new cloudtrail.GetEventSelectorsCommand({ TrailName: arn })),
          warn,
        ),
    t.HasInsightSelectors === false
      ? undefined
      : ask(
          "GetInsightSelectors",
          () => client.send(new cloudtrail.GetInsightSelectorsCommand({ TrailName: arn })),
          warn,
        ),
  ]);
  answers.set("get-trail-status", arn, status);
  if (selectors) answers.set("get-event-selectors", arn, selectors);
  if (insights) answers.set("get-insight-selectors", arn, insights);
  const reader = new FieldReader(liveDocument("DescribeTrails"), {});
  return mapTrail(answers, reader, nodeOf(t), () => arn).trail;
}

/** A trail that exists (or may exist) but whose settings could not be read: every setting is Unknown. */
function unknownTrail(account: AccountContext, region: string, reason: Unknown, info?: TrailInfo): Trail {
  const arn = info?.TrailARN;
  const id = arn ?? `arn:${account.partition}:cloudtrail:${region}:${account.accountId}:trail/*`;
  return {
    kind: "trail",
    id,
    origin: { address: id },
    fieldLocations: {},
    name: info?.Name ?? reason,
    arn: arn ?? reason,
    accountId: arn ? (parseArn(arn)?.account ?? reason) : reason,
    homeRegion: info?.HomeRegion ?? reason,
    isMultiRegionTrail: reason,
    isOrganizationTrail: reason,
    isLogging: reason,
    includeGlobalServiceEvents: reason,
    logFileValidationEnabled: reason,
    kmsKeyId: reason,
    s3BucketName: reason,
    s3KeyPrefix: reason,
    snsTopic: reason,
    cloudWatchLogsLogGroupArn: reason,
    cloudWatchLogsRoleArn: reason,
    eventSelectors: reason,
    advancedEventSelectors: reason,
    insightTypes: reason,
    links: {},
  };
}
