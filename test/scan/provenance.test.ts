import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { emptyAccount } from "../../src/model/index.js";
import { buildJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildSarif } from "../../src/report/sarif.js";
import { reportOf, scan } from "../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";
import { REPO_ROOT } from "../support/paths.js";

const sha256 = (file: string) =>
  createHash("sha256")
    .update(readFileSync(join(REPO_ROOT, file)))
    .digest("hex");
const options = { includePassed: false, color: false, automationId: "trailguard/" };

test("a report records the version, the packs, the time and the SHA-256 of every file read", async () => {
  const files = ["examples/cloudformation/compliant.yaml", "examples/terraform/compliant"];
  const outcome = await scan({ paths: files, scope: "resource", ...BUILT_IN_POLICIES, cwd: REPO_ROOT });
  const report = reportOf(outcome, "9.9.9", new Date("2026-03-04T05:06:07Z"));
  const json = buildJson(report);
  expect(json.tool.version).toBe("9.9.9");
  expect(json.provenance?.scannedAt).toBe("2026-03-04T05:06:07.000Z");
  expect(json.provenance?.packs).toEqual([
    { id: "cis-monitoring", version: "1" },
    { id: "cloudtrail-core", version: "1" },
  ]);
  const inputs = json.provenance?.inputs ?? [];
  expect(inputs.map((i) => i.path).sort()).toEqual([
    "examples/cloudformation/compliant.yaml",
    "examples/terraform/compliant/buckets.tf",
    "examples/terraform/compliant/main.tf",
    "examples/terraform/compliant/monitoring.tf",
    "examples/terraform/compliant/trail.tf",
  ]);
  for (const input of inputs) expect(input.sha256, input.path).toBe(sha256(input.path));
  const sarif = buildSarif(report, options);
  expect(sarif.runs[0].artifacts?.map((a) => a.hashes?.["sha-256"]).sort()).toEqual(
    inputs.map((i) => i.sha256).sort(),
  );
});

test("a live scan records the accounts and regions it read; each account gets its own compliance section", async () => {
  const live = emptyAccount("222222222222", { address: "arn:aws:::account/222222222222" }, true);
  live.accountId = "222222222222";
  live.regions = ["us-east-1", "eu-west-1"];
  const outcome = await scan({
    paths: ["examples/cloudformation/noncompliant.yaml"],
    scope: "account",
    ...BUILT_IN_POLICIES,
    cwd: REPO_ROOT,
    accounts: [live],
    frameworks: ["cis-aws-3.0.0"],
  });
  const report = reportOf(outcome, "9.9.9");
  expect(report.provenance?.live).toEqual([{ account: "222222222222", regions: ["eu-west-1", "us-east-1"] }]);
  const compliance = buildJson(report).compliance;
  expect(compliance?.accounts).toEqual(["222222222222", "examples/cloudformation/noncompliant.yaml"]);
  const markdown = renderMarkdown(report, options);
  expect(markdown).toContain(
    "### Compliance: CIS Amazon Web Services Foundations Benchmark v3.0.0 — 222222222222",
  );
  expect(markdown).toContain(
    "### Compliance: CIS Amazon Web Services Foundations Benchmark v3.0.0 — examples/cloudformation/noncompliant.yaml",
  );
});
