import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { describe, expect, test } from "vitest";
import { CONTROL_STATUSES } from "../../src/report/compliance.js";
import { complianceOf } from "../../src/report/compliance-view.js";
import { renderHtml } from "../../src/report/html.js";
import { REPO_ROOT } from "../support/paths.js";
import { exampleReport } from "./examples.js";

interface Attributed {
  getAttribute(name: string): string | null;
}

/** Debian's package (`apt-get install chromium`, which .ci/run does); no browser is downloaded. */
const CHROMIUM = process.env.TRAILGUARD_CHROMIUM ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
const inCi = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false";
const ARTIFACTS = join(REPO_ROOT, "test-artifacts");

if (!available && !inCi) {
  console.warn(
    `SKIPPED: the HTML report browser test needs Chromium at ${CHROMIUM} (apt-get install chromium)`,
  );
}

describe.runIf(available || inCi)("the HTML report in a real browser", () => {
  test("loads from file:// without console errors, charts the right counts, and its filters narrow the table", {
    timeout: 180_000,
  }, async () => {
    if (!available)
      throw new Error(`Chromium is not installed at ${CHROMIUM}; CI must install it (see .ci/run)`);
    const report = await exampleReport("examples/cloudformation/noncompliant.yaml", ["all"]);
    const compliance = complianceOf(report);
    mkdirSync(ARTIFACTS, { recursive: true });
    const file = join(ARTIFACTS, "html-report.html");
    writeFileSync(
      file,
      renderHtml(report, { includePassed: false, color: false, automationId: "trailguard/" }),
    );

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("request", (r) => {
        if (!r.url().startsWith("file:")) problems.push(`request: ${r.url()}`);
      });
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });

      // The chart: every framework's bar shows the counts the compliance section computed.
      const bars = await page.$$eval("#coverage tr.framework-row", (rows) =>
        rows.map((row) => ({
          framework: row.getAttribute("data-framework"),
          counts: Object.fromEntries(
            Array.from(row.querySelectorAll("rect") as unknown as ArrayLike<Attributed>).map((r) => [
              r.getAttribute("data-status"),
              Number(r.getAttribute("data-count")),
            ]),
          ),
          visible: (row.querySelector("svg")?.getBoundingClientRect().width ?? 0) > 0,
        })),
      );
      const expected = (compliance?.results ?? []).map((r) => ({
        framework: r.framework.id,
        counts: Object.fromEntries(
          CONTROL_STATUSES.filter(
            (s) => ["met", "not met", "unknown", "manual"].includes(s) && r.counts[s] > 0,
          ).map((s) => [s, r.counts[s]]),
        ),
        visible: true,
      }));
      expect(bars).toEqual(expected);
      expect(bars.length).toBe(9);

      // A filter narrows the table.
      const visibleRows = () =>
        page.$$eval("#findings tbody tr", (rows) => rows.filter((r) => !r.hidden).length);
      const all = await visibleRows();
      expect(all).toBe(report.findings.length);
      await page.selectOption("#filter-status", "unknown");
      const unknown = report.findings.filter((f) => f.status === "unknown" && !f.suppression).length;
      expect(await visibleRows()).toBe(unknown);
      expect(unknown).toBeLessThan(all);
      expect(await page.textContent("#shown")).toBe(String(unknown));
      await page.selectOption("#filter-status", "");
      await page.selectOption("#filter-rule", "trail.logging");
      expect(await visibleRows()).toBe(report.findings.filter((f) => f.ruleId === "trail.logging").length);
      await page.selectOption("#filter-rule", "");
      expect(await visibleRows()).toBe(all);

      await page.screenshot({ path: join(ARTIFACTS, "html-report.png"), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
