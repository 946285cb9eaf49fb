import { cpSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import type { Finding } from "../../src/model/index.js";
import { exitCode, failingFindings, snapshotText } from "../../src/scan/index.js";
import { REPO_ROOT } from "../support/paths.js";
import { example, exportFolder, scanWithConfig, workspace } from "./support.js";

const find = (findings: Finding[], ruleId: string, address?: string) =>
  findings.filter((f) => f.ruleId === ruleId && (address === undefined || f.resource.address === address));

const CFN_CONFIG = `waivers:
  - rule: bucket.access-logging
    resource: TrailBucket
    reason: Access logs are shipped by the central logging account.
    expires: 2026-06-30
    approved-by: security@example.com
  - rule: trail.insights
    resource: "cfn/stack.yaml#Trail"
    reason: Insights are too costly for this sandbox account.
    expires: 2026-01-31
  - rule: lake.*
    resource: "*"
    reason: This account has no CloudTrail Lake store at all.
    permanent: true
`;

describe("waivers of the config file, on CloudFormation", async () => {
  const ws = workspace();
  ws.write("cfn/stack.yaml", example("examples/cloudformation/noncompliant.yaml"));
  ws.write(".trailguard.yml", CFN_CONFIG);
  const { outcome, render } = await scanWithConfig(ws.dir, ["cfn"], ".trailguard.yml");

  test("a valid waiver suppresses the finding it names, visibly, and it does not count for the exit code", () => {
    const [waived] = find(outcome.findings, "bucket.access-logging");
    expect(waived?.status).toBe("fail");
    expect(waived?.suppression).toEqual({
      kind: "waiver",
      reason: "Access logs are shipped by the central logging account.",
      location: { file: ".trailguard.yml", line: 2, column: 1 },
      expires: "2026-06-30",
      approvedBy: "security@example.com",
    });
    const failing = failingFindings(outcome.findings, { failOn: "low", failOnUnknown: true });
    expect(failing.map((f) => f.ruleId)).not.toContain("bucket.access-logging");
    expect(failing.length).toBeGreaterThan(5);
  });

  test("reports show the waiver: SARIF external suppression, JSON, text and Markdown", () => {
    const sarif = JSON.parse(render("sarif"));
    const result = sarif.runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === "bucket.access-logging",
    );
    expect(result.suppressions).toEqual([
      {
        kind: "external",
        justification: "Access logs are shipped by the central logging account.",
        location: {
          physicalLocation: {
            artifactLocation: { uri: ".trailguard.yml", uriBaseId: "%SRCROOT%" },
            region: { startLine: 2, startColumn: 1 },
          },
        },
        properties: { expires: "2026-06-30", approvedBy: "security@example.com" },
      },
    ]);
    const json = JSON.parse(render("json"));
    expect(json.summary.waived).toBe(1);
    const entry = json.findings.find((f: { ruleId: string }) => f.ruleId === "bucket.access-logging");
    expect(entry.suppression).toMatchObject({ kind: "waiver", expires: "2026-06-30" });
    const text = render("text");
    expect(text).toMatch(/WAIVED\s+low\s+bucket\.access-logging/);
    expect(text).toContain(
      "waived until 2026-06-30 (.trailguard.yml:2, approved by security@example.com): Access logs are shipped",
    );
    expect(render("markdown")).toContain("waiver (.trailguard.yml:2, approved by security&#64;example.com)");
  });

  test("an expired waiver stops applying: the finding fails again and the expiry is reported with its line", () => {
    const [insights] = find(outcome.findings, "trail.insights");
    expect(insights?.status).toBe("fail");
    expect(insights?.suppression).toBeUndefined();
    expect(outcome.errors).toContainEqual(
      expect.objectContaining({
        code: "waiver-expired",
        file: ".trailguard.yml",
        line: 7,
        severity: "warning",
        message: expect.stringContaining("expired on 2026-01-31"),
      }),
    );
    expect(render("text")).toMatch(/warning .trailguard.yml:7: waiver of trail.insights .* expired/);
    // Every summary names them.
    expect(render("text")).toContain("; 1 waiver expired, 1 waiver stale;");
    expect(render("markdown")).toContain("1 waiver expired, 1 waiver stale");
    expect(JSON.parse(render("json")).summary).toMatchObject({ expiredWaivers: 1, staleWaivers: 1 });
  });

  test("a waiver that matches no finding is reported as stale with its line", () => {
    expect(outcome.errors).toContainEqual(
      expect.objectContaining({
        code: "waiver-stale",
        file: ".trailguard.yml",
        line: 11,
        severity: "warning",
      }),
    );
    // Warnings: the exit code still says what the findings say.
    expect(exitCode(outcome, { failOn: "low", failOnUnknown: true })).toBe(1);
  });

  test("the waiver's line is shown relative to the scan root, wherever the scan runs from", async () => {
    ws.write("elsewhere/README", "");
    const { outcome } = await scanWithConfig(
      join(ws.dir, "elsewhere"),
      [join(ws.dir, "cfn")],
      join(ws.dir, ".trailguard.yml"),
    );
    const [waived] = find(outcome.findings, "bucket.access-logging");
    expect(waived?.location?.file).toBe("cfn/stack.yaml");
    expect(waived?.suppression?.location).toEqual({ file: ".trailguard.yml", line: 2, column: 1 });
  });

  test("a waiver is judged against the scan's clock: the same config later has the first waiver expired too", async () => {
    const later = await scanWithConfig(ws.dir, ["cfn"], ".trailguard.yml", {
      now: new Date("2026-07-01T00:00:00Z"),
    });
    expect(find(later.outcome.findings, "bucket.access-logging")[0]?.suppression).toBeUndefined();
    const onLastDay = await scanWithConfig(ws.dir, ["cfn"], ".trailguard.yml", {
      now: new Date("2026-06-30T23:59:59Z"),
    });
    expect(find(onLastDay.outcome.findings, "bucket.access-logging")[0]?.suppression?.kind).toBe("waiver");
  });
});

describe("a waiver with a glob over several accounts (export folders)", async () => {
  const ws = workspace();
  for (const account of ["111100000001", "111100000002", "999900000003"]) {
    exportFolder(join(ws.dir, "exports", account), account);
  }
  ws.write(
    ".trailguard.yml",
    `waivers:
  - rule: "bucket.*"
    resource: arn:aws:s3:::example-trail-logs
    account: "1111*"
    reason: The log bucket is hardened by the landing zone, outside these accounts' reach.
    expires: 2026-12-31
`,
  );
  const { outcome } = await scanWithConfig(
    ws.dir,
    ["exports/111100000001", "exports/111100000002", "exports/999900000003"],
    ".trailguard.yml",
  );
  const bucketFindings = outcome.findings.filter(
    (f) => f.resource.address === "arn:aws:s3:::example-trail-logs" && f.status === "fail",
  );

  test("covers every matching rule in every matching account, and no other account", () => {
    const accounts = new Set(bucketFindings.map((f) => f.account));
    expect(accounts).toEqual(new Set(["111100000001", "111100000002", "999900000003"]));
    for (const finding of bucketFindings) {
      if (finding.account.startsWith("1111")) expect(finding.suppression?.kind).toBe("waiver");
      else expect(finding.suppression).toBeUndefined();
    }
    expect(new Set(bucketFindings.map((f) => f.ruleId)).size).toBeGreaterThan(2);
    expect(outcome.errors.filter((e) => e.code.startsWith("waiver"))).toEqual([]);
  });

  test("trail findings of the same accounts are untouched", () => {
    const trails = outcome.findings.filter((f) => f.resource.kind === "trail" && f.status === "fail");
    expect(trails.length).toBeGreaterThan(0);
    expect(trails.every((f) => f.suppression === undefined)).toBe(true);
  });
});

describe("waivers on a snapshot", async () => {
  const ws = workspace();
  exportFolder(join(ws.dir, "export"), "123412341234");
  const recorded = await scanWithConfig(ws.dir, ["export"]);
  writeFileSync(
    join(ws.dir, "account.json"),
    await snapshotText(recorded.outcome.inventory.accounts, "0.0.0-test"),
  );
  ws.write(
    "trailguard.yml",
    `waivers:
  - rule: trail.sns-notification
    resource: management-events
    account: "123412341234"
    reason: Delivery notifications are not used; the SIEM polls the bucket.
    expires: 2026-12-31
`,
  );
  const { outcome } = await scanWithConfig(ws.dir, ["account.json"], "trailguard.yml");

  test("match the resource by name, and the finding points into the snapshot", () => {
    const [finding] = find(outcome.findings, "trail.sns-notification").filter((f) =>
      f.resource.address.endsWith("trail/management-events"),
    );
    expect(finding?.location?.file).toBe("account.json");
    expect(finding?.suppression?.kind).toBe("waiver");
    const other = find(outcome.findings, "trail.sns-notification").filter(
      (f) => !f.resource.address.endsWith("trail/management-events"),
    );
    expect(other.length).toBeGreaterThan(0);
    expect(other.every((f) => f.suppression === undefined)).toBe(true);
  });
});

describe("waivers on inventories collected live", async () => {
  const ws = workspace();
  exportFolder(join(ws.dir, "export"), "123412341234");
  // A live scan hands its inventories to scan() without a file: the same path as --live.
  const collected = (await scanWithConfig(ws.dir, ["export"])).outcome.inventory.accounts;
  ws.write(
    ".trailguard.yml",
    `waivers:
  - rule: trail.*
    resource: arn:aws:cloudtrail:eu-west-1:123412341234:trail/management-events
    reason: The trail is replaced by the organization trail next month.
    expires: 2026-03-31
`,
  );

  test("apply to the findings of every account handed over", async () => {
    const { outcome } = await scanWithConfig(ws.dir, [], ".trailguard.yml", { accounts: collected });
    const trail = outcome.findings.filter(
      (f) => f.resource.address.endsWith("trail/management-events") && f.status === "fail",
    );
    expect(trail.length).toBeGreaterThan(1);
    expect(trail.every((f) => f.suppression?.kind === "waiver" && f.account === "123412341234")).toBe(true);
    expect(outcome.errors.filter((e) => e.code === "waiver-stale")).toEqual([]);
  });
});

describe("inline suppressions with an expiry", async () => {
  const ws = workspace();
  const template = example("examples/cloudformation/noncompliant.yaml").replace(
    "  TrailBucket:\n",
    "  # trailguard:ignore bucket.versioning expires=2026-01-15 Versioning arrives with the bucket migration\n" +
      "  # trailguard:ignore bucket.object-lock expires=2026-12-31 Object Lock arrives with the bucket migration\n" +
      "  TrailBucket:\n",
  );
  ws.write("cfn/stack.yaml", template);
  cpSync(join(REPO_ROOT, "examples/terraform/compliant"), join(ws.dir, "tf"), { recursive: true });
  const tf = join(ws.dir, "tf/buckets.tf");
  writeFileSync(
    tf,
    example("examples/terraform/compliant/buckets.tf").replace(
      "# trailguard:ignore bucket.mfa-delete Enabled",
      "# trailguard:ignore bucket.mfa-delete expires=2025-12-31 Enabled",
    ),
  );
  const { outcome, render } = await scanWithConfig(ws.dir, ["cfn", "tf"]);

  test("one in the past no longer applies: the finding fails again and the expiry is reported at the comment", () => {
    const [versioning] = find(outcome.findings, "bucket.versioning", "cfn/stack.yaml#TrailBucket");
    expect(versioning?.status).toBe("fail");
    expect(versioning?.suppression).toBeUndefined();
    expect(outcome.errors).toContainEqual(
      expect.objectContaining({
        code: "waiver-expired",
        file: "cfn/stack.yaml",
        line: 8,
        severity: "warning",
      }),
    );
    const [mfa] = find(outcome.findings, "bucket.mfa-delete").filter((f) => f.account === "tf");
    expect(mfa?.status).not.toBe("pass");
    expect(mfa?.suppression).toBeUndefined();
    expect(outcome.errors).toContainEqual(
      expect.objectContaining({ code: "waiver-expired", file: "tf/buckets.tf", line: 90 }),
    );
  });

  test("one in the future applies, and says until when", () => {
    const [lock] = find(outcome.findings, "bucket.object-lock", "cfn/stack.yaml#TrailBucket");
    expect(lock?.suppression).toMatchObject({ kind: "inline", expires: "2026-12-31" });
    expect(render("text")).toContain(
      "suppressed until 2026-12-31: Object Lock arrives with the bucket migration",
    );
  });

  test("the CloudFormation Metadata form takes an expiry with the same meaning", async () => {
    ws.write(
      "meta/stack.yaml",
      example("examples/cloudformation/noncompliant.yaml").replace(
        "    Metadata:\n",
        "    Metadata:\n      trailguard:\n        ignore:\n" +
          "          - { rule: bucket.versioning, reason: Versioning arrives with the migration, expires: 2026-01-15 }\n" +
          "          - { rule: bucket.object-lock, reason: Object Lock arrives with the migration, expires: 2026-12-31 }\n",
      ),
    );
    const meta = await scanWithConfig(ws.dir, ["meta"]);
    expect(find(meta.outcome.findings, "bucket.versioning")[0]?.suppression).toBeUndefined();
    expect(find(meta.outcome.findings, "bucket.object-lock")[0]?.suppression).toMatchObject({
      kind: "inline",
      expires: "2026-12-31",
    });
    expect(meta.outcome.errors).toContainEqual(
      expect.objectContaining({ code: "waiver-expired", file: "meta/stack.yaml", line: 13 }),
    );
  });

  test("an expiry that is not a date makes the suppression invalid, never silently permanent", async () => {
    ws.write(
      "bad/stack.yaml",
      template.replace("expires=2026-12-31 Object Lock", "expires=2026-02-30 Object Lock"),
    );
    const bad = await scanWithConfig(ws.dir, ["bad"]);
    expect(find(bad.outcome.findings, "bucket.object-lock")[0]?.suppression).toBeUndefined();
    expect(bad.outcome.errors).toContainEqual(
      expect.objectContaining({ code: "suppression-invalid", file: "bad/stack.yaml", line: 9 }),
    );
  });
});

describe("--no-inline-suppressions", async () => {
  const ws = workspace();
  ws.write("stack.yaml", example("examples/cloudformation/compliant.yaml"));
  ws.write(".trailguard.yml", "inline-suppressions: false\n");

  test("ignores inline suppressions, counts them, and the finding counts again", async () => {
    const bucket = "stack.yaml#TrailBucket";
    const honoured = await scanWithConfig(ws.dir, ["stack.yaml"]);
    expect(find(honoured.outcome.findings, "bucket.mfa-delete", bucket)[0]?.suppression?.kind).toBe("inline");
    const ignored = await scanWithConfig(ws.dir, ["stack.yaml"], ".trailguard.yml");
    expect(find(ignored.outcome.findings, "bucket.mfa-delete", bucket)[0]?.suppression).toBeUndefined();
    expect(ignored.outcome.review.inlineIgnored).toBe(1);
    expect(ignored.render("text")).toContain("1 inline suppression ignored");
    expect(JSON.parse(ignored.render("json")).summary.inlineIgnored).toBe(1);
    expect(exitCode(ignored.outcome, { failOn: "low", failOnUnknown: true })).toBe(1);
  });
});

describe("waiver patterns from a config under review", async () => {
  // A pull request can change the config: its patterns must not be able to make the scan run for long. Matched as a
  // regular expression, this pattern took minutes against the 200-character logical id.
  const ws = workspace();
  const id = "a".repeat(200);
  ws.write(
    "stack.yaml",
    example("examples/cloudformation/noncompliant.yaml").replace(/\bTrailBucket\b/g, id),
  );
  ws.write(
    ".trailguard.yml",
    `waivers:\n  - rule: "*"\n    resource: "${"a*".repeat(12)}b"\n    reason: This pattern matches no resource.\n    permanent: true\n`,
  );

  test("are matched in time bounded by their length and the text's", async () => {
    const { outcome } = await scanWithConfig(ws.dir, ["stack.yaml"], ".trailguard.yml");
    expect(find(outcome.findings, "bucket.versioning", `stack.yaml#${id}`)[0]?.status).toBe("fail");
    expect(outcome.findings.some((f) => f.suppression)).toBe(false);
    expect(outcome.errors).toContainEqual(expect.objectContaining({ code: "waiver-stale" }));
  });
});
