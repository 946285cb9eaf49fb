import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { renderHtml } from "../../src/report/html.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { renderText } from "../../src/report/text.js";
import { scan } from "../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";
import { REPO_ROOT } from "../support/paths.js";
import { exampleReport } from "./examples.js";

const options = { includePassed: false, color: false, automationId: "trailguard/" };

describe.each(["examples/cloudformation/noncompliant.yaml", "examples/cloudformation/compliant.yaml"])(
  "the compliance report of %s",
  (file) => {
    const name = file
      .replace(/^examples\//, "")
      .replaceAll("/", "-")
      .replace(/\.yaml$/, "");

    test("Markdown, pinned", async () => {
      const report = await exampleReport(file, ["all"]);
      await expect(renderMarkdown(report, options)).toMatchFileSnapshot(
        join("__snapshots__", `${name}.compliance.md`),
      );
    });

    test("HTML, pinned", async () => {
      const report = await exampleReport(file, ["all"]);
      await expect(renderHtml(report, options)).toMatchFileSnapshot(
        join("__snapshots__", `${name}.compliance.html`),
      );
    });
  },
);

test("--framework cis-aws-1.4.0 on the non-compliant example shows the failing controls with their rules", async () => {
  const report = await exampleReport("examples/cloudformation/noncompliant.yaml", ["cis-aws-1.4.0"]);
  const text = renderText(report, options);
  expect(text).toContain("Compliance: CIS Amazon Web Services Foundations Benchmark v1.4.0 (cis-aws-1.4.0)");
  for (const [control, rule] of [
    ["3.1", "trail.enabled"],
    ["3.2", "trail.log-file-validation"],
    ["3.3", "bucket.public-access-blocked"],
    ["3.7", "trail.kms-encryption"],
    ["3.10", "trail.s3-data-events-write"],
  ] as const) {
    expect(text).toMatch(new RegExp(`not met\\s+${control.replace(".", "\\.")}\\s.*\\n\\s+fails: ${rule}`));
  }
  expect(text).toMatch(/not assessed\s+3\.5\s/);
});

test("the compliant example meets every CIS v1.4.0 logging item a rule decides", async () => {
  const report = await exampleReport("examples/cloudformation/compliant.yaml", ["cis-aws-1.4.0"]);
  const text = renderText(report, options);
  expect(text).not.toContain("not met");
  expect(text).toMatch(/\n {2}met\s+3\.1\s/);
});

test("an unknown --framework is an input error naming the known ones", async () => {
  const outcome = await scan({
    paths: ["examples/cloudformation/compliant.yaml"],
    scope: "resource",
    ...BUILT_IN_POLICIES,
    cwd: REPO_ROOT,
    frameworks: ["pci-dss-3.2.1"],
  });
  expect(outcome.errors).toMatchObject([{ code: "framework-selection", severity: "error" }]);
  expect(outcome.errors[0]?.message).toMatch(/pci-dss-4\.0/);
});
