import { describe, expect, test } from "vitest";
import type { Framework } from "../../src/engine/index.js";
import { escapeHtml, renderHtml } from "../../src/report/html.js";
import { makeOptions, makeReport } from "./fixtures.js";

const framework: Framework = {
  id: "fw",
  title: "Example framework",
  controls: [
    {
      id: "1.1",
      title: "Multi-region",
      family: "1",
      rules: ["cloudtrail-multi-region"],
      coverage: "fully",
      manual: false,
    },
    {
      id: "1.2",
      title: "Validation",
      family: "1",
      rules: ["log-file-validation"],
      coverage: "fully",
      manual: false,
    },
    { id: "2.1", title: "A person decides", family: "2", rules: [], manual: true },
  ],
};

describe("HTML report", () => {
  test("is one self-contained file: no external script, style, font or request", () => {
    const html = renderHtml(makeReport({ frameworks: [framework] }), makeOptions());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("Content-Security-Policy");
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/url\(|@import|https?:\/\/[^"<\s]*\.(js|css|woff2?)/);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  test("charts the counts per framework and per family", () => {
    const html = renderHtml(makeReport({ frameworks: [framework] }), makeOptions());
    expect(html).toContain('data-status="not met" data-count="1"');
    expect(html).toContain('data-status="met" data-count="1"');
    expect(html).toContain('data-status="manual" data-count="1"');
    expect(html).toMatch(/data-family="1".*1 met, 1 not met/);
  });

  test.each([
    ["<script>alert(1)</script>"],
    ['"><img src=x onerror=alert(1)>'],
    ["[click](javascript:alert(1))"],
  ])("input text %s is inert", (hostile) => {
    const report = makeReport({
      frameworks: [framework],
      findings: makeReport().findings.map((f) => ({
        ...f,
        account: hostile,
        message: hostile,
        resource: { ...f.resource, address: hostile },
        unknowns: f.unknowns.map((u) => ({ ...u, reason: hostile })),
      })),
    });
    const html = renderHtml(report, makeOptions());
    if (escapeHtml(hostile) !== hostile) expect(html).not.toContain(hostile);
    expect(html).toContain(escapeHtml(hostile));
    expect(html).not.toMatch(/href\s*=\s*["']?javascript:/i);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toMatch(/<img/);
  });
});
