import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Finding } from "../../src/model/index.js";
import { MONITORING_CLASSES } from "../../src/patterns/index.js";
import { scan } from "../../src/scan/index.js";
import { collectLive } from "../../src/sources/aws/index.js";
import { motoOptions } from "../sources/aws/helpers.js";
import { CIS_CHAINS } from "../support/cis-chains.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";
import { describeIf } from "../support/requirements.js";
import {
  motoRequirement,
  SCENARIO_TIMEOUT_MS,
  scenarioAccount,
  scenarioExport,
} from "../support/scenario-accounts.js";
import { ACCOUNT_ID, REGION, scenarios } from "../support/scenarios.js";

const CIS_RULES = MONITORING_CLASSES.map((id) => `cis.alarm.${id}`);
const UNSUBSCRIBED = `cis.alarm.${CIS_CHAINS.unsubscribedClass}`;
const WRONG_GROUP = `cis.alarm.${CIS_CHAINS.wrongGroupClass}`;
const TRAIL_GROUP = "/aws/cloudtrail/org-audit";

/** The CIS pack's findings of a scan, by rule (the pack has account rules only: one finding each). */
function byRule(findings: Finding[]): Map<string, Finding> {
  const out = new Map<string, Finding>();
  for (const f of findings) {
    expect(out.has(f.ruleId), `one finding of ${f.ruleId}`).toBe(false);
    out.set(f.ruleId, f);
  }
  return out;
}

const verdicts = (findings: Map<string, Finding>) =>
  [...findings.values()]
    .map((f) => [f.ruleId, f.status])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));

async function scanExport(folder: string): Promise<Map<string, Finding>> {
  const outcome = await scan({
    paths: [folder],
    scope: "account",
    ...BUILT_IN_POLICIES,
    rules: ["cis.*"],
  });
  expect(outcome.errors.filter((e) => e.severity === "error")).toEqual([]);
  return byRule(outcome.findings);
}

/**
 * The compliant scenario's account carries the 15 CIS alarm chains on its trail's log group (test/support/
 * cis-chains.ts), two broken on purpose. Scanned with the CIS pack live and from the export the documented script
 * wrote of the same account, rule by rule.
 */
await describeIf(await motoRequirement(), "CIS alarm chains on moto_server, live and exported", () => {
  let live: Map<string, Finding>;
  let exported: Map<string, Finding>;
  let folder: string;
  const work = mkdtempSync(join(tmpdir(), "trailguard-cis-moto-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  beforeAll(async () => {
    const moto = await scenarioAccount(scenarios.compliant);
    const collected = await collectLive(motoOptions(moto, { regions: [REGION], lake: false }));
    const outcome = await scan({
      paths: [],
      accounts: collected.accounts,
      errors: collected.errors,
      scope: "account",
      ...BUILT_IN_POLICIES,
      rules: ["cis.*"],
    });
    expect(outcome.errors.filter((e) => e.severity === "error")).toEqual([]);
    live = byRule(outcome.findings);
    folder = await scenarioExport(scenarios.compliant);
    exported = await scanExport(folder);
  }, SCENARIO_TIMEOUT_MS);

  test("live: every chain passes but the alarm notifying a topic without subscription and the filter on another log group", () => {
    expect([...live.keys()].sort()).toEqual([...CIS_RULES].sort());
    const failing = verdicts(live).filter(([, status]) => status !== "pass");
    expect(failing).toEqual(
      [
        [UNSUBSCRIBED, "fail"],
        [WRONG_GROUP, "fail"],
      ].sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    expect(live.get(UNSUBSCRIBED)?.message).toBe(
      `topic \`trail-deliveries\`, notified by alarm \`cis-${CIS_CHAINS.unsubscribedClass}\`, has no subscription`,
    );
    // The class's own filter is on a group no trail delivers to: the nearest candidate on the trail's group is named.
    const wrongGroup = live.get(WRONG_GROUP)?.message ?? "";
    expect(wrongGroup).toMatch(new RegExp(`^filter \`\\w+\` on \`${TRAIL_GROUP}\` misses event`));
    expect(wrongGroup).not.toContain(CIS_CHAINS.otherLogGroup);
  });

  test("the export of the same account gives the same verdicts and reasons, rule by rule", () => {
    expect(verdicts(exported)).toEqual(verdicts(live));
    for (const rule of CIS_RULES) {
      const [a, b] = [live.get(rule), exported.get(rule)];
      expect([rule, b?.message, b?.unknowns]).toEqual([rule, a?.message, a?.unknowns]);
    }
    // The export saw the other log group's filter (describe-metric-filters lists the account's): still no chain.
    expect(exported.get(WRONG_GROUP)?.status).toBe("fail");
    // Findings from the export point into its files.
    expect(exported.get(UNSUBSCRIBED)?.location?.file).toMatch(new RegExp(`^${basename(folder)}/`));
  });

  test("AWS-shaped: an email subscription pending confirmation is no subscriber (moto confirms it at once)", async () => {
    const copy = join(work, basename(folder));
    cpSync(folder, copy, { recursive: true });
    const topicArn = `arn:aws:sns:${REGION}:${ACCOUNT_ID}:${CIS_CHAINS.alertTopic}`;
    // How AWS lists an email subscription until its receiver confirms it.
    writeFileSync(
      join(copy, `list-subscriptions-by-topic.${CIS_CHAINS.alertTopic}.json`),
      JSON.stringify(
        {
          Subscriptions: [
            {
              SubscriptionArn: "PendingConfirmation",
              Owner: ACCOUNT_ID,
              Protocol: "email",
              Endpoint: CIS_CHAINS.subscriber,
              TopicArn: topicArn,
            },
          ],
        },
        null,
        4,
      ),
    );
    const pending = await scanExport(copy);
    for (const id of MONITORING_CLASSES) {
      const rule = `cis.alarm.${id}`;
      const finding = pending.get(rule);
      if (rule === UNSUBSCRIBED || rule === WRONG_GROUP) {
        expect([rule, finding?.status, finding?.message]).toEqual([
          rule,
          "fail",
          exported.get(rule)?.message,
        ]);
        continue;
      }
      // A filter broader than the CIS text may carry several classes: the alarm named is the first candidate's.
      expect([rule, finding?.status, finding?.message]).toEqual([
        rule,
        "fail",
        expect.stringMatching(
          new RegExp(
            `^topic \`${CIS_CHAINS.alertTopic}\`, notified by alarm \`cis-[a-z0-9-]+\`, has no confirmed subscription \\(1 pending confirmation\\)$`,
          ),
        ),
      ]);
    }
  });
});
