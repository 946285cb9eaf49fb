import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkEvidence, checkExpression } from "../../src/engine/field-check.js";
import { loadPolicies } from "../../src/engine/index.js";
import { POLICIES_DIR } from "../support/paths.js";

describe("field paths of rules are checked against the model when a pack loads", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-fields-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a misspelled field in assert and evidence, with file:line, and keeps the other rules", () => {
    const file = join(dir, "typo.yaml");
    writeFileSync(
      file,
      `pack: {id: mine, title: Mine}
rules:
  - id: mine.logging
    title: T
    description: D
    severity: low
    scope: trail
    assert: trail.isLoging == true
    evidence: [isLoging]
    remediation: R
  - id: mine.fine
    title: T
    description: D
    severity: low
    scope: trail
    assert: trail.isLogging == true && bucket.versioning == 'Enabled'
    evidence: [isLogging]
    remediation: R
`,
    );
    const loaded = loadPolicies(POLICIES_DIR, [file]);
    const problems = loaded.errors.filter((e) => e.code === "pack-unknown-field");
    expect(problems.map((e) => [e.line, e.severity])).toEqual([
      [8, "error"],
      [9, "error"],
    ]);
    expect(problems[0]?.message).toContain(
      "trail.isLoging: isLoging is not a field of trail (did you mean isLogging?)",
    );
    expect(problems[0]?.file).toMatch(/typo\.yaml$/);
    expect(loaded.rules.some((r) => r.id === "mine.logging")).toBe(false);
    expect(loaded.rules.some((r) => r.id === "mine.fine")).toBe(true);
  });

  it.each([
    ["account", "account.trails.exists(t, t.isLoging)", "t.isLoging"],
    ["account", "account.trail.size() > 0", "account.trail"],
    ["bucket", "bucket.policy.statements.all(s, s.efect == 'Allow')", "s.efect"],
    ["bucket", "bucket.publicAccessBlock.blockPublicAcl == true", "bucket.publicAccessBlock.blockPublicAcl"],
    ["trail", "trail.eventSelectors[0].readWrite == 'All'", "readWrite"],
    ["trail", "logGroup.retentionDays >= 365", "logGroup.retentionDays"],
    ["trail", "trail.managementEvents.reads", "trail.managementEvents.reads"],
    ["log-group", "trail.isLogging", "trail is not a variable"],
  ] as const)("%s: %s is refused", (scope, source, mention) => {
    const problems = checkExpression(source, scope);
    expect(problems.join("\n")).toContain(mention);
  });

  it.each([
    ["account", "account.trails.exists(t, t.isLogging == true && t.managementEvents.read)"],
    ["account", "account.alarms.map(a, a.alarmActions).size() >= 0"],
    ["bucket", "bucket.lifecycleRules.exists(r, r.enabled == true && r.expirationDays >= 365.0)"],
    ["bucket", "bucket['name'] != '' && bucket.isTrailBucket && bucket.trailNames.size() > 0"],
    ["trail", "key.rotationEnabled == true || topic.subscriptions.exists(s, s.confirmed)"],
    [
      "event-data-store",
      "eventDataStore.advancedEventSelectors.all(s, s.fieldSelectors.all(f, f.field != ''))",
    ],
  ] as const)("%s: %s is accepted", (scope, source) => {
    expect(checkExpression(source, scope)).toEqual([]);
  });

  it("checks evidence paths, nested ones included", () => {
    expect(checkEvidence(["publicAccessBlock.blockPublicAcls", "policy"], "bucket")).toEqual([]);
    expect(checkEvidence(["publicAccessBlock.blockPublic"], "bucket")[0]).toContain(
      "blockPublic is not a field",
    );
  });

  it("accepts [] (the deciding item) only after a list field", () => {
    expect(checkEvidence(["policy.statements[]", "lifecycleRules[].expirationDays"], "bucket")).toEqual([]);
    expect(checkEvidence(["objectLock[].mode"], "bucket")).toEqual([
      "evidence objectLock[].mode: objectLock is not a list, so it has no items to name",
    ]);
    expect(checkEvidence(["lifecycleRules[].expiryDays"], "bucket")[0]).toContain(
      "expiryDays is not a field",
    );
  });

  it("every rule of the built-in packs reads only declared fields", () => {
    expect(loadPolicies(POLICIES_DIR).errors.filter((e) => e.code === "pack-unknown-field")).toEqual([]);
  });
});
