import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, test, vi } from "vitest";
import { REPO_ROOT } from "../support/paths.js";
import { runStep, step } from "./mock-core.js";
import { actionYml } from "./runner-env.js";

vi.mock("@actions/core", async () => (await import("./mock-core.js")).mockCore);

const { run } = await import("../../src/action/main.js");

const dir = mkdtempSync(join(tmpdir(), "trailguard-action-inputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runWith = (inputs: Record<string, string>) =>
  runStep(run, {
    "sarif-file": join(dir, "out.sarif"),
    "report-json": join(dir, "out.json"),
    "markdown-file": join(dir, "out.md"),
    ...inputs,
  });

const noncompliant = "examples/cloudformation/noncompliant.yaml";
const findingAnnotations = () => step.annotations.filter((a) => a.properties?.file !== undefined);

beforeEach(() => {
  vi.stubEnv("GITHUB_EVENT_NAME", "push");
  vi.stubEnv("GITHUB_WORKSPACE", REPO_ROOT);
  vi.stubEnv("RUNNER_TEMP", dir);
});

describe("run() with each input", () => {
  test("reads every input action.yml declares, and only those; sets every declared output, and only those", async () => {
    await runWith({ path: noncompliant });
    expect([...step.read].sort()).toEqual(Object.keys(actionYml.inputs).sort());
    expect(Object.keys(step.outputs).sort()).toEqual(Object.keys(actionYml.outputs).sort());
  });

  test.each([
    ["mode", "org-wide", "mode must be one of iac, live, org"],
    ["shard", "4/3", "shard must be i/n"],
    ["lake-regions", "some", "lake-regions must be one of home, all, none"],
    ["comment", "sometimes", "comment must be one of off, on-failure, always"],
    ["annotate", "loud", "annotate must be one of critical"],
    ["fail-on", "severe", "fail-on must be one of critical"],
    ["scope", "galaxy", "scope must be resource or account"],
    ["soft-fail", "yes", "soft-fail"],
  ])("%s: %s is refused with a message naming the input", async (name, value, message) => {
    await runWith({ path: noncompliant, [name]: value });
    expect(step.failed.join("\n")).toContain(message);
  });

  test("path, fail-on and soft-fail decide the step's result; exit-code is the CLI's", async () => {
    await runWith({ path: noncompliant, "fail-on": "critical" });
    expect(step.outputs["exit-code"]).toBe(1);
    expect(step.failed[0]).toContain("at or above critical");
    await runWith({ path: noncompliant, "fail-on": "none" });
    expect(step.outputs["exit-code"]).toBe(0);
    expect(step.failed).toEqual([]);
    await runWith({ path: noncompliant, "soft-fail": "true" });
    expect(step.outputs["exit-code"]).toBe(1);
    expect(step.failed).toEqual([]);
  });

  test("annotate sets the lowest severity annotated; none annotates no finding", async () => {
    await runWith({ path: noncompliant, "soft-fail": "true", annotate: "none" });
    expect(findingAnnotations()).toEqual([]);
    await runWith({ path: noncompliant, "soft-fail": "true", annotate: "critical" });
    const critical = findingAnnotations();
    await runWith({ path: noncompliant, "soft-fail": "true", annotate: "info" });
    expect(findingAnnotations().length).toBeGreaterThan(critical.length);
    expect(findingAnnotations()[0]?.properties?.file).toBe(noncompliant);
  });

  test("rules, skip-rules and packs choose the rules", async () => {
    await runWith({ path: noncompliant, "soft-fail": "true", rules: "trail.multi-region" });
    const only = JSON.parse(readFileSync(join(dir, "out.json"), "utf8"));
    expect(new Set(only.findings.map((f: { ruleId: string }) => f.ruleId))).toEqual(
      new Set(["trail.multi-region"]),
    );
    await runWith({ path: noncompliant, "soft-fail": "true", "skip-rules": "trail.*" });
    const skipped = JSON.parse(readFileSync(join(dir, "out.json"), "utf8"));
    expect(skipped.findings.some((f: { ruleId: string }) => f.ruleId.startsWith("trail."))).toBe(false);
    await runWith({ path: noncompliant, packs: "does-not-exist.yaml" });
    expect(step.outputs["exit-code"]).toBe(2);
  });

  test("category names the SARIF run; sarif-file, report-json and markdown-file are where the reports go", async () => {
    await runWith({ path: noncompliant, "soft-fail": "true", category: "infra/cloudtrail" });
    const sarif = JSON.parse(readFileSync(join(dir, "out.sarif"), "utf8"));
    expect(sarif.runs[0].automationDetails.id).toBe("infra/cloudtrail");
    expect(step.outputs["sarif-file"]).toBe(join(dir, "out.sarif"));
    expect(step.outputs["report-json"]).toBe(join(dir, "out.json"));
    expect(step.outputs.markdown).toBe(join(dir, "out.md"));
    expect(readFileSync(join(dir, "out.md"), "utf8")).toContain("trail.multi-region");
  });

  test("frameworks puts the control-by-control compliance table in the summary", async () => {
    await runWith({ path: noncompliant, "soft-fail": "true", frameworks: "cis-aws-1.4.0" });
    expect(step.summaries[0]).toContain("### Compliance: ");
    await runWith({ path: noncompliant, "soft-fail": "true" });
    expect(step.summaries[0]).not.toContain("### Compliance");
    await runWith({ path: noncompliant, frameworks: "no-such-framework" });
    expect(step.outputs["exit-code"]).toBe(2);
  });

  test("job-summary false writes no summary", async () => {
    await runWith({ path: noncompliant, "soft-fail": "true", "job-summary": "false" });
    expect(step.summaries).toEqual([]);
    await runWith({ path: noncompliant, "soft-fail": "true" });
    expect(step.summaries).toHaveLength(1);
  });

  test("fail-on-unknown false does not fail on undecidable findings", async () => {
    // The key comes from another stack that is not scanned: kms-encryption is unknown, not failing.
    const unknownOnly = join(dir, "imported-key.yaml");
    writeFileSync(
      unknownOnly,
      [
        "Resources:",
        "  Trail:",
        "    Type: AWS::CloudTrail::Trail",
        "    Properties:",
        "      IsLogging: true",
        "      S3BucketName: central-logs",
        "      KMSKeyId: !ImportValue shared-trail-key",
        "",
      ].join("\n"),
    );
    await runWith({
      path: unknownOnly,
      "fail-on-unknown": "false",
      rules: "trail.kms-encryption",
      "fail-on": "low",
    });
    const strict = step.outputs["exit-code"];
    await runWith({
      path: unknownOnly,
      "fail-on-unknown": "true",
      rules: "trail.kms-encryption",
      "fail-on": "low",
    });
    expect({ lenient: strict, strict: step.outputs["exit-code"] }).toEqual({ lenient: 0, strict: 1 });
  });

  test("inline-suppressions false ignores trailguard:ignore comments", async () => {
    await runWith({ path: "examples/cloudformation/compliant.yaml" });
    expect(step.outputs.suppressed).toBe(1);
    await runWith({
      path: "examples/cloudformation/compliant.yaml",
      "inline-suppressions": "false",
      "soft-fail": "true",
    });
    expect(step.outputs.suppressed).toBe(0);
  });

  test("changed-files-only and comment outside a pull request: a note, no API call", async () => {
    await runWith({
      path: noncompliant,
      "soft-fail": "true",
      "changed-files-only": "true",
      comment: "always",
    });
    expect(step.summaries[0]).toContain("changed-files-only applies to pull requests only");
  });
});
