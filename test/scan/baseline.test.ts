import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { type Finding, findingFingerprint } from "../../src/model/index.js";
import { baselineText, exitCode } from "../../src/scan/index.js";
import { REPO_ROOT } from "../support/paths.js";
import { example, exportFolder, scanWithConfig, workspace } from "./support.js";

const THRESHOLD = { failOn: "low", failOnUnknown: true } as const;
const open = (findings: Finding[]) => findings.filter((f) => f.status === "fail" || f.status === "unknown");

describe("baseline round trip on CloudFormation", async () => {
  const ws = workspace();
  const original = example("examples/cloudformation/noncompliant.yaml");
  const stack = ws.write("stacks/audit.yaml", original);
  const baselineFile = join(ws.dir, ".trailguard-baseline.json");
  const first = await scanWithConfig(ws.dir, ["stacks"]);
  writeFileSync(baselineFile, baselineText(first.outcome.findings, "0.0.0-test"));
  const recorded = JSON.parse(readFileSync(baselineFile, "utf8"));
  const rescan = () =>
    scanWithConfig(ws.dir, ["stacks"], undefined, { baseline: ".trailguard-baseline.json" });

  test("records every failing and unknown finding by the fingerprint SARIF uses", () => {
    expect(recorded.format).toBe("trailguard-baseline");
    expect(recorded.findings).toHaveLength(open(first.outcome.findings).length);
    const sarif = JSON.parse(first.render("sarif"));
    const sarifPrints = new Set(
      sarif.runs[0].results.map(
        (r: { partialFingerprints: Record<string, string> }) => r.partialFingerprints["trailguard/v1"],
      ),
    );
    for (const entry of recorded.findings) expect(sarifPrints.has(entry.fingerprint)).toBe(true);
    expect(recorded.findings[0]).toMatchObject({ file: "stacks/audit.yaml", account: "stacks" });
  });

  test("an edit of an unrelated line above the findings leaves them existing: shown, not failing", async () => {
    writeFileSync(
      stack,
      original
        .replace("Resources:\n", "# Owned by the platform team.\n\nResources:\n")
        .replace("A CloudTrail", "The CloudTrail"),
    );
    const { outcome, render } = await rescan();
    const findings = open(outcome.findings);
    expect(findings.length).toBe(recorded.findings.length);
    expect(findings.every((f) => f.baseline === "existing")).toBe(true);
    expect(exitCode(outcome, THRESHOLD)).toBe(0);
    expect(outcome.review.baseline).toMatchObject({ matched: findings.length, fixed: [] });
    const text = render("text");
    expect(text).toMatch(/EXISTING\s+\w+\s+trail\.logging/);
    expect(text).toContain(`0 failed, 0 unknown`);
    expect(text).toContain(`baseline matched ${findings.length} existing, 0 fixed`);
    const json = JSON.parse(render("json"));
    expect(json.summary).toMatchObject({ existing: findings.length, fail: 0, baseline: true });
    const sarif = JSON.parse(render("sarif"));
    expect(new Set(sarif.runs[0].results.map((r: { baselineState: string }) => r.baselineState))).toEqual(
      new Set(["unchanged"]),
    );
  });

  test("a new violation fails while the old ones stay existing, and a fixed one is reported as fixed", async () => {
    writeFileSync(
      stack,
      `${original.replace("      IsLogging: false\n", "      IsLogging: true\n")}
  SecondTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      IsMultiRegionTrail: false
      S3BucketName: !Ref TrailBucket
`,
    );
    const { outcome, render } = await rescan();
    const fresh = open(outcome.findings).filter((f) => f.baseline === "new");
    expect(fresh.length).toBeGreaterThan(0);
    expect(new Set(fresh.map((f) => f.resource.address))).toEqual(new Set(["stacks/audit.yaml#SecondTrail"]));
    expect(exitCode(outcome, THRESHOLD)).toBe(1);
    expect(outcome.review.baseline?.fixed).toEqual([
      expect.objectContaining({ ruleId: "trail.logging", resource: "stacks/audit.yaml#Trail" }),
    ]);
    expect(render("text")).toMatch(
      /Fixed since the baseline\n {2}FIXED {2}trail\.logging {2}stacks\/audit\.yaml#Trail/,
    );
    expect(render("markdown")).toContain("Fixed since the baseline (1)");
    expect(JSON.parse(render("json")).baseline.fixed).toEqual([
      {
        ruleId: "trail.logging",
        resource: "stacks/audit.yaml#Trail",
        account: "stacks",
        region: null,
        file: "stacks/audit.yaml",
      },
    ]);
    const sarif = JSON.parse(render("sarif"));
    const states = sarif.runs[0].results.map(
      (r: { baselineState: string; properties: { resource: string } }) => [
        r.properties.resource,
        r.baselineState,
      ],
    );
    expect(states).toContainEqual(["stacks/audit.yaml#SecondTrail", "new"]);
    expect(states).toContainEqual(["stacks/audit.yaml#Trail", "unchanged"]);
  });

  test("the same baseline is found whatever path names the scanned folder", async () => {
    writeFileSync(stack, original);
    const viaFile = await scanWithConfig(ws.dir, ["stacks/audit.yaml"], undefined, {
      baseline: ".trailguard-baseline.json",
    });
    expect(open(viaFile.outcome.findings).every((f) => f.baseline === "existing")).toBe(true);
  });

  test("a baseline that cannot be used is an error, and no finding is taken as existing", async () => {
    ws.write("broken.json", '{"format":"something-else"}');
    const { outcome } = await scanWithConfig(ws.dir, ["stacks"], undefined, { baseline: "broken.json" });
    expect(outcome.errors).toContainEqual(
      expect.objectContaining({ code: "baseline-invalid", file: "broken.json", severity: "error" }),
    );
    expect(outcome.findings.some((f) => f.baseline !== undefined)).toBe(false);
    expect(exitCode(outcome, THRESHOLD)).toBe(2);
    const missing = await scanWithConfig(ws.dir, ["stacks"], undefined, { baseline: "none.json" });
    expect(missing.outcome.errors).toContainEqual(expect.objectContaining({ code: "baseline-invalid" }));
  });
});

describe("baseline round trip on Terraform", async () => {
  const ws = workspace();
  cpSync(join(REPO_ROOT, "examples/terraform/compliant"), join(ws.dir, "tf"), { recursive: true });
  const buckets = join(ws.dir, "tf/buckets.tf");
  const trail = join(ws.dir, "tf/trail.tf");
  // Without its inline suppression the example has one failing finding.
  const original = readFileSync(buckets, "utf8").replace(/^# trailguard:ignore bucket\.mfa-delete.*\n/m, "");
  writeFileSync(buckets, original);
  const first = await scanWithConfig(ws.dir, ["tf"]);
  writeFileSync(join(ws.dir, "baseline.json"), baselineText(first.outcome.findings, "0.0.0-test"));
  const rescan = () => scanWithConfig(ws.dir, ["tf"], undefined, { baseline: "baseline.json" });

  test("survives moving the resource down its file, and fails a new violation only", async () => {
    expect(open(first.outcome.findings).map((f) => f.ruleId)).toContain("bucket.mfa-delete");
    writeFileSync(buckets, `# Buckets of the audit account.\n\n\n${original}`);
    const moved = await rescan();
    expect(open(moved.outcome.findings).every((f) => f.baseline === "existing")).toBe(true);
    expect(exitCode(moved.outcome, THRESHOLD)).toBe(0);

    writeFileSync(
      trail,
      readFileSync(trail, "utf8").replace(
        "enable_log_file_validation    = true",
        "enable_log_file_validation    = false",
      ),
    );
    const changed = await rescan();
    const fresh = open(changed.outcome.findings).filter((f) => f.baseline === "new");
    expect(fresh.map((f) => f.ruleId)).toEqual(["trail.log-file-validation"]);
    expect(exitCode(changed.outcome, THRESHOLD)).toBe(1);
  });
});

describe("baseline fingerprints of accounts", async () => {
  const ws = workspace();
  exportFolder(join(ws.dir, "a"), "111100000001");
  exportFolder(join(ws.dir, "b"), "111100000002");
  const first = await scanWithConfig(ws.dir, ["a"]);
  writeFileSync(join(ws.dir, "baseline.json"), baselineText(first.outcome.findings, "0.0.0-test"));

  test("the same resource in another account is new, not existing", async () => {
    const { outcome } = await scanWithConfig(ws.dir, ["a", "b"], undefined, { baseline: "baseline.json" });
    const bucket = open(outcome.findings).filter(
      (f) => f.resource.address === "arn:aws:s3:::example-trail-logs",
    );
    expect(new Set(bucket.filter((f) => f.baseline === "existing").map((f) => f.account))).toEqual(
      new Set(["111100000001"]),
    );
    expect(new Set(bucket.filter((f) => f.baseline === "new").map((f) => f.account))).toEqual(
      new Set(["111100000002"]),
    );
    const [a, b] = ["111100000001", "111100000002"].map((account) =>
      bucket.find((f) => f.account === account && f.ruleId === "bucket.mfa-delete"),
    );
    expect(a && b && findingFingerprint(a)).not.toBe(b && findingFingerprint(b));
  });
});
