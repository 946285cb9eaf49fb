import { describe, expect, it } from "vitest";
import { reporters } from "../../src/report/index.js";
import { renderText } from "../../src/report/text.js";
import { LIVE_TRAIL, makeOptions, makeReport, TRAIL } from "./fixtures.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point
const ANSI = /\u001b\[/;

describe("text report", () => {
  it("has no ANSI codes when colour is off", () => {
    const text = renderText(makeReport(), makeOptions({ color: false, includePassed: true }));
    expect(text).not.toMatch(ANSI);
  });

  it("has ANSI codes when colour is on", () => {
    const text = renderText(makeReport(), makeOptions({ color: true }));
    expect(text).toMatch(ANSI);
    expect(text).toContain("\u001b[31m");
  });

  it("shows control characters of inputs (a waiver's reason, an error message) escaped", () => {
    const report = makeReport();
    const [first] = report.findings.filter((f) => f.status === "fail" && f.suppression === undefined);
    if (first === undefined) throw new Error("fixture");
    first.suppression = { kind: "waiver", reason: "ok\u001b[2J\u0007 really", expires: "2026-06-30" };
    report.errors.push({
      code: "waiver-stale",
      message: "waiver of x\u001b]0;title on y",
      severity: "warning",
    });
    const text = renderText(report, makeOptions({ color: false }));
    expect(text).not.toMatch(ANSI);
    expect(text).not.toContain("\u0007");
    // Escape sequences are dropped; other control characters are shown escaped.
    expect(text).toContain("ok\\u0007 really");
    expect(text).toContain("waiver of x0;title on y");
  });

  it("lists input errors first as file:line: message", () => {
    const text = reporters.text(makeReport(), makeOptions());
    const lines = text.split("\n");
    expect(lines[0]).toBe("Input errors");
    expect(lines[1]).toBe("  error   Could not list trails in eu-west-3: AccessDenied [aws-error]");
    expect(lines[2]).toBe("  error   broken.yaml:4: Unexpected mapping value [syntax]");
    expect(lines[3]).toBe("  warning main.tf: Suppression without a reason is ignored [suppression-invalid]");
    expect(text.indexOf("broken.yaml:4:")).toBeLessThan(text.indexOf(TRAIL));
  });

  it("groups rows by resource with status, severity, rule, title and location", () => {
    const text = renderText(makeReport(), makeOptions());
    const start = text.indexOf(`${TRAIL} (trail)`);
    expect(start).toBeGreaterThan(-1);
    const row = text.split("\n").find((l) => l.includes("cloudtrail-multi-region"));
    expect(row).toMatch(
      /^ {2}FAIL +critical +cloudtrail-multi-region +Trail records all regions +template\.yaml:12$/,
    );
    expect(text).toContain("fix: Fix cloudtrail-multi-region.");
    expect(text.indexOf("trail-kms-encryption")).toBeGreaterThan(start);
  });

  it("lists the inputs of unknown findings", () => {
    const text = renderText(makeReport(), makeOptions());
    expect(text).toMatch(/UNKNOWN +medium +trail-kms-encryption/);
    expect(text).toContain("? trail.kmsKeyId: KmsKeyId references a parameter without a default");
  });

  it("shows suppressed findings with their reason and logical-only ones without a file", () => {
    const text = renderText(makeReport(), makeOptions());
    expect(text).toMatch(/SUPPRESSED +high +CT\.2/);
    expect(text).toContain("suppressed: Org trail is managed in the management account");
    expect(text).toContain(`${LIVE_TRAIL} (trail)`);
    expect(text).toMatch(/CT\.2 +Trail is an organization trail +\(no file\)/);
  });

  it("shows passes only with includePassed, not-applicable never", () => {
    const without = renderText(makeReport(), makeOptions());
    const withPasses = renderText(makeReport(), makeOptions({ includePassed: true }));
    expect(without).not.toMatch(/PASS +low +log-file-validation/);
    expect(withPasses).toMatch(/PASS +low +log-file-validation/);
    expect(withPasses).not.toContain("N/A");
  });

  it("ends with the summary line", () => {
    const text = renderText(makeReport(), makeOptions());
    expect(text.endsWith("4 failed, 1 unknown, 1 passed, 1 suppressed; 2 input errors, 1 warning\n")).toBe(
      true,
    );
  });

  it("says when there is nothing to show", () => {
    const text = renderText(makeReport({ findings: [], errors: [] }), makeOptions());
    expect(text).toBe(
      "No findings to show.\n\n0 failed, 0 unknown, 0 passed, 0 suppressed; 0 input errors, 0 warnings\n",
    );
  });
});
