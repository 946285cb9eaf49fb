import { describe, expect, it } from "vitest";
import { renderPieces, reporters } from "../../src/report/index.js";
import { buildJson, type JsonReport, jsonChunks, renderJson } from "../../src/report/json.js";
import { LIVE_TRAIL, makeOptions, makeReport, ROOT, scrambled, TF_TRAIL } from "./fixtures.js";
import { errorsOf, jsonReportValidator } from "./schemas.js";

const validate = jsonReportValidator();

function parsed(includePassed = false): JsonReport {
  return JSON.parse(renderJson(makeReport(), makeOptions({ includePassed }))) as JsonReport;
}

describe("JSON report", () => {
  it("validates against its own schema", () => {
    expect(validate(parsed()), errorsOf(validate)).toBe(true);
    const empty = buildJson(makeReport({ rules: [], findings: [], errors: [], files: [] }));
    expect(validate(empty), errorsOf(validate)).toBe(true);
  });

  it("validates with waivers, a baseline and fixed entries, and counts each finding once", () => {
    const base = makeReport();
    const [first, second] = base.findings.filter((f) => f.status === "fail" && f.suppression === undefined);
    if (first === undefined || second === undefined) throw new Error("fixture");
    first.suppression = { kind: "waiver", reason: "Accepted for now.", expires: "2026-06-30" };
    second.baseline = "existing";
    const report = {
      ...base,
      review: {
        inlineIgnored: 2,
        baseline: {
          file: "baseline.json",
          matched: 1,
          fixed: [{ ruleId: "trail.logging", resource: "a.yaml#Trail", account: ".", file: "a.yaml" }],
        },
      },
    };
    const json = buildJson(report);
    expect(validate(json), errorsOf(validate)).toBe(true);
    const { summary } = json;
    expect(summary).toMatchObject({ waived: 1, existing: 1, fixed: 1, inlineIgnored: 2, baseline: true });
    expect(
      summary.pass +
        summary.fail +
        summary.unknown +
        summary.notApplicable +
        summary.ruleErrors +
        summary.suppressed +
        summary.existing,
    ).toBe(summary.total);
    expect(json.baseline?.fixed[0]).toEqual({
      ruleId: "trail.logging",
      resource: "a.yaml#Trail",
      account: ".",
      region: null,
      file: "a.yaml",
    });
  });

  it("the schema rejects a report with a wrong status or a missing count", () => {
    const badStatus = parsed() as unknown as { findings: { status: string }[] };
    if (badStatus.findings[0] !== undefined) badStatus.findings[0].status = "failed";
    expect(validate(badStatus)).toBe(false);
    const missing = parsed() as unknown as { summary: Record<string, unknown> };
    delete missing.summary.unknown;
    expect(validate(missing)).toBe(false);
  });

  it("counts every finding once", () => {
    const { summary } = parsed();
    expect(summary).toEqual({
      total: 8,
      pass: 1,
      fail: 4,
      unknown: 1,
      notApplicable: 1,
      suppressed: 1,
      waived: 0,
      existing: 0,
      fixed: 0,
      inlineIgnored: 0,
      baseline: false,
      expiredWaivers: 0,
      staleWaivers: 0,
      ruleErrors: 0,
      bySeverity: { critical: 1, high: 1, medium: 1, low: 0, info: 1 },
      inputErrors: 2,
      warnings: 1,
    });
    expect(summary.pass + summary.fail + summary.unknown + summary.notApplicable + summary.suppressed).toBe(
      summary.total,
    );
  });

  it("always includes every status, whatever includePassed says", () => {
    const statuses = parsed(false).findings.map((f) => f.status);
    expect(new Set(statuses)).toEqual(new Set(["pass", "fail", "unknown", "not-applicable"]));
    expect(renderJson(makeReport(), makeOptions({ includePassed: false }))).toBe(
      renderJson(makeReport(), makeOptions({ includePassed: true })),
    );
  });

  it("carries findings with null for what is absent", () => {
    const report = parsed();
    const live = report.findings.find((f) => f.resource.address === LIVE_TRAIL);
    expect(live).toMatchObject({
      ruleId: "CT.2",
      status: "fail",
      location: null,
      suppression: null,
      suppressed: false,
    });
    const suppressed = report.findings.find((f) => f.resource.address === TF_TRAIL && f.ruleId === "CT.2");
    expect(suppressed?.suppression).toEqual({
      kind: "inline",
      reason: "Org trail is managed in the management account",
      location: { file: "main.tf", line: 2, column: 1, endLine: null, endColumn: null },
      expires: null,
      approvedBy: null,
    });
    expect(suppressed?.baseline).toBeNull();
    expect(suppressed?.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(report.findings.at(-1)?.resource.address).toBe(LIVE_TRAIL);
  });

  it("has the header, errors and rules", () => {
    const report = parsed();
    expect(report.schemaVersion).toBe(1);
    expect(report.root).toBe(ROOT);
    expect(report.tool.name).toBe("trailguard");
    expect(report.errors[1]).toEqual({
      code: "syntax",
      severity: "error",
      message: "Unexpected mapping value",
      file: "broken.yaml",
      line: 4,
      column: 2,
      account: null,
      region: null,
    });
    expect(report.rules.map((r) => r.id)[0]).toBe("CT.2");
    expect(report.rules[0]?.helpUri).toBe("https://example.org/rules/ct-2");
  });

  it("is pretty-printed, newline-terminated and independent of input order", () => {
    const text = reporters.json(makeReport(), makeOptions());
    expect(text.startsWith('{\n  "schemaVersion": 1,')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
    const report = makeReport();
    const shuffled = {
      ...report,
      findings: scrambled(report.findings),
      rules: scrambled(report.rules),
      errors: scrambled(report.errors),
    };
    expect(renderJson(shuffled, makeOptions())).toBe(text);
  });

  it("in pieces, one finding at a time, is the text of the whole report", () => {
    const base = makeReport();
    const whole = (report: typeof base) => `${JSON.stringify(buildJson(report), null, 2)}\n`;
    const variants = [
      base,
      makeReport({ findings: [], errors: [], rules: [], files: [] }),
      makeReport({ findings: base.findings.slice(0, 1) }),
      makeReport({
        findings: [{ ...(base.findings[0] as (typeof base.findings)[0]), message: 'a "quoted"\nline' }],
      }),
    ];
    for (const report of variants) {
      const pieces = [...jsonChunks(report)];
      expect(pieces.length).toBeGreaterThan(report.findings.length);
      expect(pieces.join("")).toBe(whole(report));
      expect([...renderPieces("json", report, makeOptions())].join("")).toBe(whole(report));
    }
  });
});
