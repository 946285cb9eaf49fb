import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { MONITORING_CLASSES } from "../../src/patterns/classes.js";
import { scan } from "../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";
import { REPO_ROOT } from "../support/paths.js";

// Whole scans (parsing, the Terraform grammar, judging): slow on a busy machine, not a measure of anything.
vi.setConfig({ testTimeout: 60_000 });

const CIS_RULES = MONITORING_CLASSES.map((id) => `cis.alarm.${id}`);
const work = mkdtempSync(join(tmpdir(), "trailguard-cis-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function cisVerdicts(path: string) {
  const outcome = await scan({
    paths: [path],
    scope: "account",
    ...BUILT_IN_POLICIES,
    rules: ["cis.*"],
  });
  return new Map(outcome.findings.map((f) => [f.ruleId, f]));
}

/** The CloudFormation example without one resource (its logical id and body). */
function cfnWithout(logicalId: string): string {
  const text = readFileSync(join(REPO_ROOT, "examples/cloudformation/compliant.yaml"), "utf8");
  const start = text.indexOf(`\n  ${logicalId}:\n`);
  expect(start, logicalId).toBeGreaterThan(0);
  const next = text.slice(start + 1).search(/\n\n {2}[A-Za-z]|\n\n {2}#/);
  const end = next < 0 ? text.length : start + 1 + next;
  const file = join(work, `cfn-without-${logicalId}.yaml`);
  writeFileSync(file, text.slice(0, start) + text.slice(end));
  return file;
}

/** The Terraform example without one resource block. */
function tfWithout(type: string, name: string): string {
  const dir = join(work, `tf-without-${type}-${name}`);
  cpSync(join(REPO_ROOT, "examples/terraform/compliant"), dir, { recursive: true });
  const file = join(dir, "monitoring.tf");
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(`resource "${type}" "${name}" {`);
  expect(start, `${type}.${name}`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf("\n}\n", start) + 3;
  writeFileSync(file, text.slice(0, start) + text.slice(end));
  return dir;
}

const pascal = (id: string) =>
  id
    .split("-")
    .map((p) => p[0]?.toUpperCase() + p.slice(1))
    .join("");

describe.each([
  { name: "CloudFormation", path: join(REPO_ROOT, "examples/cloudformation/compliant.yaml") },
  { name: "Terraform", path: join(REPO_ROOT, "examples/terraform/compliant") },
])("the $name example", ({ path }) => {
  it("passes all 15 CIS monitoring rules", async () => {
    const verdicts = await cisVerdicts(path);
    expect([...verdicts.keys()].sort()).toEqual([...CIS_RULES].sort());
    for (const id of CIS_RULES) expect(verdicts.get(id), id).toMatchObject({ status: "pass" });
  });
});

describe("removing one alarm fails exactly that class's rule", () => {
  it.each(MONITORING_CLASSES)("CloudFormation, %s", async (id) => {
    const verdicts = await cisVerdicts(cfnWithout(`${pascal(id)}Alarm`));
    const failing = [...verdicts.values()].filter((f) => f.status !== "pass");
    expect(failing.map((f) => [f.ruleId, f.status])).toEqual([[`cis.alarm.${id}`, "fail"]]);
    expect(failing[0]?.message).toContain("no alarm on the metric of filter");
  });

  it.each(MONITORING_CLASSES)("Terraform, %s", async (id) => {
    const verdicts = await cisVerdicts(tfWithout("aws_cloudwatch_metric_alarm", id.replace(/-/g, "_")));
    const failing = [...verdicts.values()].filter((f) => f.status !== "pass");
    expect(failing.map((f) => [f.ruleId, f.status])).toEqual([[`cis.alarm.${id}`, "fail"]]);
    expect(failing[0]?.message).toContain("no alarm on the metric of filter");
  });
});

describe("what infrastructure code cannot show", () => {
  it.each([
    ["CloudFormation", "examples/cloudformation/compliant.yaml"],
    ["Terraform", "examples/terraform/compliant/monitoring.tf"],
  ])("an email subscription in %s leaves every rule unknown, not failed", async (_name, rel) => {
    const source = join(REPO_ROOT, rel);
    const text = readFileSync(source, "utf8");
    const email = text
      .replace(
        "- Protocol: sqs\n          Endpoint: !GetAtt AlertQueue.Arn",
        "- Protocol: email\n          Endpoint: sec@example.com",
      )
      .replace(
        'protocol  = "sqs"\n  endpoint  = aws_sqs_queue.alerts.arn',
        'protocol  = "email"\n  endpoint  = "sec@example.com"',
      );
    expect(email).not.toBe(text);
    let path: string;
    if (rel.endsWith(".yaml")) {
      path = join(work, "cfn-email.yaml");
      writeFileSync(path, email);
    } else {
      path = join(work, "tf-email");
      cpSync(join(REPO_ROOT, "examples/terraform/compliant"), path, { recursive: true });
      writeFileSync(join(path, "monitoring.tf"), email);
    }
    const verdicts = await cisVerdicts(path);
    for (const id of CIS_RULES) {
      const finding = verdicts.get(id);
      expect(finding?.status, id).toBe("unknown");
      expect(finding?.unknowns[0]?.reason).toMatch(
        /email subscriptions are confirmed by their receiver after/,
      );
    }
  });
});
