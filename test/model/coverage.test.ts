import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/model/index.js";
import { scan } from "../../src/scan/index.js";
import { readSnapshot, writeSnapshot } from "../../src/sources/snapshot/index.js";
import { POLICIES_DIR, REPO_ROOT } from "../support/paths.js";

/** An export folder the real `aws` CLI wrote, without the files named, scanned with a pack of account rules. */
describe("coverage: a list the source did not collect", { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-coverage-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const pack = join(dir, "pack.yaml");
  writeFileSync(
    pack,
    `pack: {id: probe, title: Probe}
rules:
  - id: probe.alarms-enabled
    title: Every alarm has its actions enabled
    description: D
    severity: low
    scope: account
    assert: "account.alarms.all(a, a.actionsEnabled == true)"
    remediation: R
  - id: probe.some-filter
    title: Some metric filter watches the trail log group
    description: D
    severity: low
    scope: account
    assert: "account.metricFilters.exists(f, f.filterPattern != '')"
    remediation: R
  - id: probe.absorbed
    title: An answer that does not depend on the alarms
    description: D
    severity: low
    scope: account
    assert: "account.trails.size() > 0 || account.alarms.size() > 0"
    remediation: R
`,
  );

  const scanWithout = async (missing: string[]) => {
    const folder = join(dir, `export-${missing.join("-") || "whole"}`);
    cpSync(join(REPO_ROOT, "test/fixtures/exports/aws-recorded"), folder, { recursive: true });
    for (const file of missing) rmSync(join(folder, file));
    const outcome = await scan({
      paths: [folder],
      scope: "resource",
      policiesDir: POLICIES_DIR,
      packs: [pack],
    });
    const byRule = (id: string) => outcome.findings.find((f) => f.ruleId === id) as Finding;
    return { outcome, byRule };
  };

  it("without describe-alarms.json, a rule over account.alarms is unknown with the reason, not pass", async () => {
    const { byRule, outcome } = await scanWithout(["describe-alarms.json"]);
    const finding = byRule("probe.alarms-enabled");
    expect(finding.status).toBe("unknown");
    expect(finding.unknowns).toEqual([
      {
        path: "account.alarms",
        reason: "the account's alarms are not collected: the export has no describe-alarms.json",
      },
    ]);
    expect(outcome.inventory.accounts[0]?.coverage.alarms.state).toBe("not-collected");
    expect(byRule("probe.absorbed").status).toBe("pass");
  });

  it("without describe-metric-filters.json, `exists` over metric filters is unknown, not fail", async () => {
    const { byRule } = await scanWithout(["describe-metric-filters.json"]);
    expect(byRule("probe.some-filter").status).toBe("unknown");
  });

  it("with every listing present, the same rules are decided", async () => {
    const { byRule } = await scanWithout([]);
    expect(["pass", "fail"]).toContain(byRule("probe.alarms-enabled").status);
    expect(["pass", "fail"]).toContain(byRule("probe.some-filter").status);
  });

  it("a snapshot keeps what was not collected", async () => {
    const { outcome } = await scanWithout(["describe-alarms.json", "list-topics.json"]);
    const text = writeSnapshot(outcome.inventory.accounts);
    const read = readSnapshot({ path: "s.json", absolutePath: join(dir, "s.json"), text });
    expect(read?.errors).toEqual([]);
    const coverage = read?.accounts[0]?.coverage;
    expect(coverage?.alarms).toEqual({
      state: "not-collected",
      reason: "the export has no describe-alarms.json",
    });
    expect(coverage?.topics.state).toBe("not-collected");
    expect(coverage?.trails.state).toBe("complete");
  });
});

describe("a resource that may not be created", () => {
  it("makes the account's list unknown: no account rule passes thanks to it", async () => {
    const { evaluate, loadPolicies } = await import("../../src/engine/index.js");
    const { emptyAccount, unknown } = await import("../../src/model/index.js");
    const { readTemplate } = await import("../../src/sources/cloudformation/index.js");
    const { mergeFragment } = await import("../../src/sources/fragment.js");
    const template = `Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: true
      S3BucketName: logs
`;
    const read = readTemplate({ path: "t.yaml", absolutePath: join(REPO_ROOT, "t.yaml"), text: template });
    if (read.status !== "read") throw new Error("not read");
    const account = emptyAccount("t.yaml", { address: "t.yaml" }, true);
    mergeFragment(account, read.fragment);
    const rules = loadPolicies(POLICIES_DIR).rules.filter((r) => r.id === "trail.enabled");
    const judge = () => evaluate({ root: REPO_ROOT, files: [], accounts: [account], errors: [] }, rules)[0];
    expect(judge()?.status).toBe("pass");
    const trail = account.trails[0];
    if (!trail) throw new Error("no trail");
    trail.existence = unknown("condition IsProd cannot be decided");
    const finding = judge();
    expect(finding?.status).toBe("unknown");
    expect(finding?.message).toContain("condition IsProd cannot be decided");
  });
});
