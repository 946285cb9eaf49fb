import { describe, expect, it } from "vitest";
import { FORMATS, isFormat, reporters } from "../../src/report/index.js";
import { directoryUri, displayPath, relativeUri } from "../../src/report/paths.js";
import { sarifLevel, securitySeverity, severityRank } from "../../src/report/severity.js";
import { summarize, summaryLine } from "../../src/report/summary.js";
import { makeReport, ROOT } from "./fixtures.js";

describe("formats", () => {
  it("has one reporter per format", () => {
    expect(Object.keys(reporters).sort()).toEqual([...FORMATS].sort());
    expect(isFormat("sarif")).toBe(true);
    expect(isFormat("html")).toBe(true);
    expect(isFormat("pdf")).toBe(false);
  });
});

describe("paths", () => {
  it("makes POSIX paths relative to the root", () => {
    expect(displayPath(ROOT, "template.yaml")).toBe("template.yaml");
    expect(displayPath(ROOT, "./stacks/a.yaml")).toBe("stacks/a.yaml");
    expect(displayPath(ROOT, `${ROOT}/stacks/a.yaml`)).toBe("stacks/a.yaml");
    expect(displayPath(ROOT, "stacks\\b.yaml")).toBe("stacks/b.yaml");
  });

  it("percent-encodes uri segments but not separators", () => {
    expect(relativeUri(ROOT, "my stacks/a#1.yaml")).toBe("my%20stacks/a%231.yaml");
  });

  it("gives directories a file URI with a trailing slash", () => {
    expect(directoryUri("/srv/repo")).toBe("file:///srv/repo/");
    expect(directoryUri("/srv/repo/")).toBe("file:///srv/repo/");
  });
});

describe("severity", () => {
  it("orders and maps severities", () => {
    expect(severityRank("critical")).toBeLessThan(severityRank("info"));
    expect(sarifLevel("high")).toBe("error");
    expect(sarifLevel("low")).toBe("note");
    expect(securitySeverity("critical")).toBe("9.5");
    expect(securitySeverity("info")).toBeUndefined();
  });

  it("keeps every score inside GitHub's band for its severity", () => {
    const bands = { critical: [9.0, 10.0], high: [7.0, 8.9], medium: [4.0, 6.9], low: [0.1, 3.9] } as const;
    for (const [severity, [low, high]] of Object.entries(bands)) {
      const score = Number(securitySeverity(severity as keyof typeof bands));
      expect(score, severity).toBeGreaterThanOrEqual(low);
      expect(score, severity).toBeLessThanOrEqual(high);
    }
  });
});

describe("summary", () => {
  it("writes the summary line, singular where it should be", () => {
    const summary = summarize(makeReport({ errors: [{ code: "syntax", message: "m", severity: "error" }] }));
    expect(summaryLine(summary)).toBe(
      "4 failed, 1 unknown, 1 passed, 1 suppressed; 1 input error, 0 warnings",
    );
  });
});
