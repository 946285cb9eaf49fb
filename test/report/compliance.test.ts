import { describe, expect, test } from "vitest";
import type { Framework, FrameworkControl } from "../../src/engine/index.js";
import type { Finding, Status } from "../../src/model/index.js";
import { assessCompliance, type ControlStatus } from "../../src/report/compliance.js";
import { buildJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildSarif } from "../../src/report/sarif.js";
import { renderText } from "../../src/report/text.js";
import { describeProblems, SARIF_VALIDATION_TIMEOUT_MS, validateSarif } from "../support/sarif-validator.js";
import { makeOptions, makeReport } from "./fixtures.js";
import { errorsOf, jsonReportValidator } from "./schemas.js";

function finding(ruleId: string, status: Status, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    status,
    severity: "medium",
    account: "111111111111",
    resource: { kind: "trail", id: "t", address: `trail/${ruleId}` },
    message: `${ruleId} ${status}`,
    unknowns: [],
    ...extra,
  };
}

function control(id: string, rules: string[], extra: Partial<FrameworkControl> = {}): FrameworkControl {
  return {
    id,
    title: `Control ${id}`,
    family: id.split(".")[0] ?? id,
    rules,
    coverage: rules.length > 0 ? "fully" : undefined,
    manual: false,
    ...extra,
  };
}

function framework(controls: FrameworkControl[]): Framework {
  return { id: "fw", title: "Framework", controls };
}

const RULES = ["a", "b"];

function statusOf(
  c: FrameworkControl,
  findings: Finding[],
  run = RULES,
): { status: ControlStatus; reason: string } {
  const [result] = assessCompliance([framework([c])], findings, run).results;
  const [first] = result?.controls ?? [];
  if (!first) throw new Error("no control result");
  return { status: first.status, reason: first.reason };
}

describe("per-control status", () => {
  test.each<[string, Status[], ControlStatus]>([
    ["every rule passes", ["pass", "pass"], "met"],
    ["one rule fails", ["pass", "fail"], "not met"],
    ["a failure wins over an unknown", ["unknown", "fail"], "not met"],
    ["one rule is unknown", ["pass", "unknown"], "unknown"],
    ["a rule error is unknown, never met", ["pass", "error"], "unknown"],
    ["a not-applicable rule does not make the control met", ["pass", "not-applicable"], "not assessed"],
    ["all not-applicable is not assessed", ["not-applicable", "not-applicable"], "not assessed"],
  ])("%s", (_name, statuses, expected) => {
    const findings = statuses.map((s, i) => finding(RULES[i] ?? "", s));
    expect(statusOf(control("1.1", RULES), findings).status).toBe(expected);
  });

  test("a rule of many resources fails when one of them fails", () => {
    const findings = [
      finding("a", "pass", { resource: { kind: "trail", id: "x", address: "x" } }),
      finding("a", "fail", { resource: { kind: "trail", id: "y", address: "y" } }),
      finding("b", "pass"),
    ];
    expect(statusOf(control("1.1", RULES), findings)).toEqual({ status: "not met", reason: "fails: a" });
  });

  test("unknown names the rule and the inputs that could not be read", () => {
    const findings = [
      finding("a", "unknown", {
        unknowns: [{ path: "trail.kmsKeyId", reason: "a parameter without a default" }],
      }),
      finding("b", "pass"),
    ];
    expect(statusOf(control("1.1", RULES), findings)).toEqual({
      status: "unknown",
      reason: "a: trail.kmsKeyId (a parameter without a default)",
    });
  });

  test("a rule with no finding in the account, or one that was not run, is not a pass", () => {
    expect(statusOf(control("1.1", RULES), [finding("a", "pass"), finding("x", "fail")])).toEqual({
      status: "not assessed",
      reason: "applied to nothing here: b",
    });
    expect(statusOf(control("1.1", RULES), [finding("a", "pass")], ["a"])).toEqual({
      status: "not assessed",
      reason: "not run: b",
    });
  });

  test("partial coverage, manual controls and controls without rules", () => {
    const passing = [finding("a", "pass"), finding("b", "pass")];
    expect(statusOf(control("1.1", RULES, { coverage: "partly" }), passing).status).toBe("partly");
    expect(statusOf(control("1.1", RULES, { manual: true }), passing).status).toBe("manual");
    expect(
      statusOf(control("1.1", RULES, { manual: true }), [finding("a", "fail"), finding("b", "pass")]).status,
    ).toBe("not met");
    expect(statusOf(control("1.2", [], { manual: true }), passing).status).toBe("manual");
    expect(statusOf(control("1.3", []), passing)).toEqual({
      status: "not assessed",
      reason: "no trailguard rule evidences this control",
    });
  });

  test("a suppressed failure is still a failure: a waiver is no evidence of compliance", () => {
    const findings = [
      finding("a", "fail", { suppression: { kind: "inline", reason: "accepted risk" } }),
      finding("b", "pass"),
    ];
    expect(statusOf(control("1.1", RULES), findings).status).toBe("not met");
  });

  test("each account is judged on its own findings; families and totals are counted", () => {
    const fw = framework([
      control("1.1", ["a"]),
      control("1.2", ["b"]),
      control("2.1", [], { manual: true }),
    ]);
    const findings = [
      finding("a", "pass"),
      finding("b", "fail"),
      finding("a", "fail", { account: "222222222222" }),
      finding("b", "pass", { account: "222222222222" }),
    ];
    const { accounts, results } = assessCompliance([fw], findings, RULES);
    expect(accounts).toEqual(["111111111111", "222222222222"]);
    expect(results.map((r) => [r.account, r.controls.map((c) => c.status)])).toEqual([
      ["111111111111", ["met", "not met", "manual"]],
      ["222222222222", ["not met", "met", "manual"]],
    ]);
    expect(results[0]?.counts).toEqual({
      met: 1,
      "not met": 1,
      partly: 0,
      unknown: 0,
      manual: 1,
      "not assessed": 0,
    });
    expect(
      results[0]?.families.map((f) => [f.family, f.counts.met, f.counts["not met"], f.counts.manual]),
    ).toEqual([
      ["1", 1, 1, 0],
      ["2", 0, 0, 1],
    ]);
  });

  test("no findings at all: no account, nothing judged", () => {
    expect(assessCompliance([framework([control("1.1", ["a"])])], [], RULES)).toEqual({
      accounts: [],
      results: [],
    });
  });
});

describe("the compliance section in every report", () => {
  const fw: Framework = {
    id: "fw",
    title: "Example framework",
    version: "1",
    controls: [
      control("3.1", ["cloudtrail-multi-region"]),
      control("3.2", ["log-file-validation"]),
      control("3.3", ["trail-kms-encryption"]),
      control("4.1", [], { manual: true }),
      control("4.2", []),
    ],
  };
  const report = makeReport({
    frameworks: [fw],
    provenance: {
      scannedAt: "2026-01-02T03:04:05.000Z",
      packs: [{ id: "cloudtrail-core", version: "1" }],
      inputs: [{ path: "template.yaml", sha256: "a".repeat(64) }],
      live: [],
    },
  });

  test("JSON: per-control status, valid against the schema, with the provenance", () => {
    const json = buildJson(report);
    const validate = jsonReportValidator();
    expect(validate(json), errorsOf(validate)).toBe(true);
    expect(json.compliance?.frameworks[0]?.controls.map((c) => [c.id, c.status])).toEqual([
      ["3.1", "not met"],
      ["3.2", "met"],
      ["3.3", "unknown"],
      ["4.1", "manual"],
      ["4.2", "not assessed"],
    ]);
    expect(json.provenance?.inputs).toEqual([{ path: "template.yaml", sha256: "a".repeat(64) }]);
    expect(buildJson(makeReport()).compliance).toBeNull();
  });

  test("SARIF: run properties carry the section, artifacts the digests; still valid SARIF", {
    timeout: SARIF_VALIDATION_TIMEOUT_MS,
  }, async () => {
    const sarif = buildSarif(report, makeOptions());
    const run = sarif.runs[0];
    expect(run.properties?.compliance?.frameworks[0]?.counts["not met"]).toBe(1);
    expect(run.invocations[0].startTimeUtc).toBe("2026-01-02T03:04:05.000Z");
    expect(run.artifacts).toEqual([
      { location: { uri: "template.yaml", uriBaseId: "%SRCROOT%" }, hashes: { "sha-256": "a".repeat(64) } },
    ]);
    const problems =
      (await validateSarif({ compliance: JSON.parse(JSON.stringify(sarif)) })).compliance ?? [];
    expect(problems, describeProblems(problems)).toEqual([]);
  });

  test("text and Markdown list each control with its status and why", () => {
    const text = renderText(report, makeOptions());
    expect(text).toContain("Compliance: Example framework (fw)");
    expect(text).toMatch(/not met\s+3\.1\s+Control 3\.1\n\s+fails: cloudtrail-multi-region/);
    const markdown = renderMarkdown(report, makeOptions());
    expect(markdown).toContain("### Compliance: Example framework");
    expect(markdown).toContain(
      "| not met | 3.1 | Control 3.1 | cloudtrail-multi-region | fails: cloudtrail-multi-region |",
    );
    expect(markdown).toContain(
      "| not assessed | 4.2 | Control 4.2 | — | no trailguard rule evidences this control |",
    );
  });

  test("input text is inert in Markdown and cannot drive the terminal", () => {
    const hostile = makeReport({
      frameworks: [fw],
      findings: [
        finding("trail-kms-encryption", "unknown", {
          account: "<script>alert(1)</script>](javascript:alert(2))",
          unknowns: [{ path: "trail.kmsKeyId", reason: "[click](javascript:alert(3)) \u001b[31mred" }],
        }),
      ],
    });
    const markdown = renderMarkdown(hostile, makeOptions());
    expect(markdown).not.toContain("<script>");
    expect(markdown).not.toMatch(/(?<!\\)\]\(javascript:/);
    const text = renderText(hostile, makeOptions());
    expect(text).not.toContain("\u001b[31m");
    // The escape sequence is dropped; the text around it stays.
    expect(text).toContain("javascript:alert(3)) red");
  });
});
