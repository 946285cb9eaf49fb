import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/model/index.js";
import { MARKDOWN_MAX_CHARS, reporters } from "../../src/report/index.js";
import { escapeCell, renderMarkdown } from "../../src/report/markdown.js";
import { findings, makeOptions, makeReport } from "./fixtures.js";

function many(count: number, messageLength: number): Finding[] {
  const [base] = findings();
  if (base === undefined) throw new Error("fixture");
  return Array.from({ length: count }, (_, i) => ({
    ...base,
    resource: { ...base.resource, address: `template.yaml#Trail${String(i).padStart(5, "0")}` },
    message: "x".repeat(messageLength),
    location: { file: "template.yaml", line: i + 1, column: 1 },
  }));
}

describe("markdown report", () => {
  it("escapes pipes, newlines and HTML in cells", () => {
    expect(escapeCell("a | b\nc\r\nd <b>&")).toBe("a \\| b<br>c<br>d &lt;b&gt;&amp;");
    const text = renderMarkdown(makeReport(), makeOptions());
    expect(text).toContain("Policy allows a \\| b<br>second line &lt;script&gt;");
    expect(text).not.toContain("<script>");
  });

  it("has a heading with the counts", () => {
    const text = reporters.markdown(makeReport(), makeOptions());
    expect(text.split("\n")[0]).toBe(
      "## trailguard: 4 failed, 1 unknown, 1 passed, 1 suppressed; 2 input errors, 1 warning",
    );
  });

  it("tables failing and unknown findings, most severe first, with file#Lline locations", () => {
    const text = renderMarkdown(makeReport(), makeOptions());
    const rows = text.split("\n").filter((l) => l.startsWith("| critical") || l.startsWith("| medium"));
    expect(rows[0]).toBe(
      "| critical | fail | cloudtrail-multi-region | template.yaml#Trail | template.yaml#L12 | IsMultiRegionTrail is false. |",
    );
    expect(text).toContain(
      "| medium | unknown | trail-kms-encryption | template.yaml#Trail | template.yaml#L14 | Encryption could not be " +
        "determined. Undetermined inputs: trail.kmsKeyId (KmsKeyId references a parameter without a default). |",
    );
    expect(text).toMatch(/\| high \| fail \| CT\.2 \| arn:aws:cloudtrail:[^|]+ \| \(no file\) \|/);
  });

  it("lists input errors", () => {
    const text = renderMarkdown(makeReport(), makeOptions());
    expect(text).toContain("### Input errors");
    expect(text).toContain("| error | broken.yaml:4: Unexpected mapping value |");
    expect(text).toContain("| warning | main.tf: Suppression without a reason is ignored |");
  });

  it("collapses suppressed findings with their justification", () => {
    const text = renderMarkdown(makeReport(), makeOptions());
    expect(text).toContain("<details><summary>Suppressed (1)</summary>");
    expect(text).toContain("| Org trail is managed in the management account |");
    const activeTable = text.slice(0, text.indexOf("<details>"));
    expect(activeTable).not.toContain("aws_cloudtrail.main | main.tf#L3");
  });

  it("adds a collapsed section of passes only with includePassed", () => {
    expect(renderMarkdown(makeReport(), makeOptions())).not.toContain("Passed (");
    const text = renderMarkdown(makeReport(), makeOptions({ includePassed: true }));
    expect(text).toContain("<details><summary>Passed (1)</summary>");
    expect(text).toContain("| low | log-file-validation | template.yaml#Trail | template.yaml#L10 |");
    expect(text).not.toContain("not-applicable");
  });

  it("stays under GitHub's comment limit and says what it left out", () => {
    const report = makeReport({ findings: many(3000, 60) });
    const full = renderMarkdown(report, makeOptions(), Number.MAX_SAFE_INTEGER);
    expect(full.length).toBeGreaterThan(MARKDOWN_MAX_CHARS);
    const text = reporters.markdown(report, makeOptions());
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_MAX_CHARS);
    const shown = text.split("\n").filter((l) => l.startsWith("| critical |")).length;
    expect(shown).toBeGreaterThan(100);
    expect(text).toContain(`> ${3000 - shown} more entries are not shown`);
  });

  it("closes a collapsed section it had to cut short", () => {
    const report = makeReport({
      findings: many(50, 10).map((f) => ({ ...f, status: "pass" as const })),
      errors: [],
    });
    const text = renderMarkdown(report, makeOptions({ includePassed: true }), 2000);
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text).toContain("<details><summary>Passed (50)</summary>");
    expect(text).toContain("</details>");
    expect(text).toMatch(/> \d+ more entries are not shown/);
  });

  it("says None. when nothing fails", () => {
    const text = renderMarkdown(makeReport({ findings: [], errors: [] }), makeOptions());
    expect(text).toBe(
      "## trailguard: 0 failed, 0 unknown, 0 passed, 0 suppressed; 0 input errors, 0 warnings\n\n### Failing and unknown findings\n\nNone.\n",
    );
  });
});
