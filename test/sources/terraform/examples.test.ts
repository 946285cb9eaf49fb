import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { Finding } from "../../../src/model/index.js";
import { findingsForTemplate } from "../../support/evaluate.js";
import { REPO_ROOT } from "../../support/paths.js";
import { PROCESS_TIMEOUT_MS } from "../../support/timeouts.js";
import { findingsOf, readTree } from "./support.js";

/** Statuses of each rule, over all resources it applies to (sorted, so resources may be named differently). */
function statusesByRule(findings: Finding[]): Record<string, string> {
  const byRule: Record<string, string[]> = {};
  for (const f of findings) {
    const list = byRule[f.ruleId] ?? [];
    list.push(f.status);
    byRule[f.ruleId] = list;
  }
  return Object.fromEntries(Object.entries(byRule).map(([rule, s]) => [rule, s.sort().join(",")]));
}

test("the Terraform example (split bucket resources only) is judged like its CloudFormation twin", () => {
  const outcome = readTree(REPO_ROOT, ["examples/terraform/compliant"], true);
  expect(outcome.errors.filter((e) => e.severity === "error")).toEqual([]);
  const terraform = statusesByRule(findingsOf(outcome, REPO_ROOT));
  const cfnFile = "examples/cloudformation/compliant.yaml";
  const cloudformation = statusesByRule(
    findingsForTemplate(readFileSync(join(REPO_ROOT, cfnFile), "utf8"), cfnFile, true),
  );
  // MFA delete is set by hand in both (neither configuration manages it): unknown and suppressed in both.
  expect(terraform["bucket.mfa-delete"]).toBe("not-applicable,unknown");
  const mfa = findingsOf(outcome, REPO_ROOT).find(
    (f) => f.ruleId === "bucket.mfa-delete" && f.status === "unknown",
  );
  expect(mfa?.suppression?.reason).toMatch(/root user/);
  expect(terraform).toEqual(cloudformation);
  expect(Object.keys(terraform).length).toBeGreaterThan(20);
});

test(
  "the Terraform examples are formatted (terraform fmt -check)",
  (ctx) => {
    const found = spawnSync("terraform", ["version"], { stdio: "ignore" });
    if (found.error || found.status !== 0) {
      if (process.env.CI === "true") throw new Error("terraform is not installed (required when CI=true)");
      ctx.skip("terraform is not installed; skipped outside CI");
      return;
    }
    // Throws (failing the test) when a file is not formatted; the output names the files.
    execFileSync("terraform", ["fmt", "-check", "-recursive", "examples/terraform"], {
      cwd: REPO_ROOT,
      stdio: "pipe",
    });
  },
  PROCESS_TIMEOUT_MS,
);
