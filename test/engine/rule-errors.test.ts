import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluate, loadPolicies } from "../../src/engine/index.js";
import { emptyAccount, linkAccount } from "../../src/model/index.js";
import { EXIT, exitCode } from "../../src/scan/index.js";
import { readTemplate } from "../../src/sources/cloudformation/index.js";
import { mergeFragment } from "../../src/sources/fragment.js";
import { POLICIES_DIR, REPO_ROOT } from "../support/paths.js";

const TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Bucket: { Type: String }
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: !Ref Bucket
      TrailName: audit
      KMSKeyId: !ImportValue shared-key
`;

describe("a rule that cannot be evaluated", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-rule-errors-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const judge = (assert: string, when?: string, message?: { pass?: string; fail?: string }) => {
    const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      `pack: {id: mine, title: Mine}\nrules:\n  - id: mine.rule\n    title: T\n    description: D\n    severity: low\n    scope: trail\n${when ? `    when: ${JSON.stringify(when)}\n` : ""}    assert: ${JSON.stringify(assert)}\n${message ? `    message: ${JSON.stringify(message)}\n` : ""}    remediation: R\n`,
    );
    const policies = loadPolicies(POLICIES_DIR, [file]);
    expect(policies.errors.filter((e) => e.severity === "error")).toEqual([]);
    const rules = policies.rules.filter((r) => r.id === "mine.rule");
    const read = readTemplate({ path: "t.yaml", absolutePath: `${REPO_ROOT}/t.yaml`, text: TEMPLATE });
    if (read.status !== "read") throw new Error("template not read");
    const account = emptyAccount("stacks", { address: "stacks" }, false);
    mergeFragment(account, read.fragment);
    linkAccount(account);
    const findings = evaluate({ root: REPO_ROOT, files: [], accounts: [account], errors: [] }, rules);
    expect(findings).toHaveLength(1);
    return findings[0] as NonNullable<(typeof findings)[0]>;
  };

  it.each([
    ["an integer result", "[1][0]", /returned the integer 1 instead of true or false/],
    ["a string result", "trail.name", /returned the string "audit"/],
    ["a type error on known values", "trail.name + 1 == 2", /could not be evaluated/],
    [
      "an evaluation over its budget",
      `${"[1,2,3,4,5,6,7,8,9,10].map(a, ".repeat(7)}a${")".repeat(7)}.size() == 10 || trail.name == 'audit'`,
      /could not be evaluated: it exceeded the evaluation budget/,
    ],
  ])("%s is a rule error, not unknown", (_what, assert, message) => {
    const finding = judge(assert);
    expect(finding.status).toBe("error");
    expect(finding.message).toMatch(message);
    expect(finding.unknowns).toEqual([]);
    expect(exitCode({ findings: [finding], errors: [] }, { failOn: "none", failOnUnknown: false })).toBe(
      EXIT.inputError,
    );
  });

  it("a non-boolean `when` is a rule error too", () => {
    // The type depends on the data here; a `when` whose shape fixes a non-boolean type is refused at load.
    expect(judge("true", "trail.name").status).toBe("error");
  });

  it("an unknown input is still unknown, with the input named", () => {
    const finding = judge("trail.kmsKeyId != null");
    expect(finding.status).toBe("unknown");
    expect(finding.unknowns.map((u) => u.path)).toEqual(["trail.kmsKeyId"]);
  });

  it.each([
    [
      "fail",
      "trail.name == 'other'",
      "'trail ' + trail.name + ' is not the expected one'",
      "trail audit is not the expected one",
    ],
    ["pass", "trail.name == 'audit'", "'trail ' + trail.name + ' is the one'", "trail audit is the one"],
  ])("a computed %s message replaces the static one", (verdict, assert, expr, expected) => {
    const finding = judge(assert, undefined, { [verdict]: expr });
    expect(finding.status).toBe(verdict);
    expect(finding.message).toBe(expected);
  });

  it.each([
    ["reads an unknown input", "'key ' + trail.kmsKeyId"],
    ["fails to evaluate", "trail.name + 1"],
    ["returns something other than a string", "trail.isLogging"],
    ["returns an empty string", "trail.name.substring(0, 0)"],
    [
      "runs out of budget",
      `${"[1,2,3,4,5,6,7,8,9,10].map(a, ".repeat(7)}a${")".repeat(7)}.size() == 10 ? 'x' : 'y'`,
    ],
  ])("a message expression that %s leaves the verdict and the static message", (_what, expr) => {
    const finding = judge("trail.isLogging == false", undefined, { fail: expr });
    expect(finding.status).toBe("fail");
    expect(finding.message).toBe("Not met: T");
    expect(finding.unknowns).toEqual([]);
  });

  it("a computed message loses control characters that came from the input", () => {
    const finding = judge("false", undefined, { fail: "'name: ' + trail.name + '\\u001b[31m red\\u0007'" });
    expect(finding.message).toBe("name: audit [31m red");
  });

  it("findings carry the account they belong to (the scanned path for IaC)", () => {
    expect(judge("true").account).toBe("stacks");
  });
});
