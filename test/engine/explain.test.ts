import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluate, loadPolicies } from "../../src/engine/index.js";
import { linkAccount } from "../../src/model/index.js";
import { account, trail } from "../support/builders.js";
import { POLICIES_DIR } from "../support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "trailguard-explain-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pack(explain: string): string {
  const file = join(dir, `p${Math.abs(hash(explain))}.yaml`);
  writeFileSync(
    file,
    `pack: {id: mine, title: Mine}
rules:
  - id: mine.prefix
    title: Trail logs under audit/
    description: D
    severity: low
    scope: trail
    assert: trail.s3KeyPrefix == 'audit/'
    explain: ${JSON.stringify(explain)}
    remediation: R
`,
  );
  return file;
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) | 0;
  return h;
}

function findingFor(explain: string, prefix: string | null) {
  const loaded = loadPolicies(POLICIES_DIR, [pack(explain)]);
  expect(loaded.errors.filter((e) => e.severity === "error")).toEqual([]);
  const rules = loaded.rules.filter((r) => r.id === "mine.prefix");
  const acct = account({ trails: [trail({ s3KeyPrefix: prefix })] });
  linkAccount(acct);
  const [finding] = evaluate({ root: "/", files: [], accounts: [acct], errors: [] }, rules);
  return finding;
}

describe("a rule's explain expression", () => {
  it("adds its text to the fail message", () => {
    const finding = findingFor("'the prefix is ' + string(trail.s3KeyPrefix)", "logs/");
    expect(finding).toMatchObject({
      status: "fail",
      message: "Not met: Trail logs under audit/: the prefix is logs/",
    });
  });

  it("is not evaluated for a pass", () => {
    expect(findingFor("'the prefix is ' + trail.s3KeyPrefix", "audit/")).toMatchObject({
      status: "pass",
      message: "Trail logs under audit/",
    });
  });

  it.each([
    ["an error", "'the prefix is ' + trail.s3KeyPrefix"],
    ["a value that is not a string", "trail.isLogging"],
    ["an empty text", "''"],
  ])("leaves the verdict and message alone when it gives %s", (_what, explain) => {
    // With no prefix, `+` on null is a CEL error.
    expect(findingFor(explain, null)).toMatchObject({
      status: "fail",
      message: "Not met: Trail logs under audit/",
    });
  });

  it("is refused at load when it reads a field its scope does not have", () => {
    const loaded = loadPolicies(POLICIES_DIR, [pack("trail.s3Prefix")]);
    expect(loaded.rules.find((r) => r.id === "mine.prefix")).toBeUndefined();
    expect(loaded.errors).toContainEqual(
      expect.objectContaining({
        code: "pack-unknown-field",
        line: 9,
        message: expect.stringMatching(/explain/),
      }),
    );
  });
});
