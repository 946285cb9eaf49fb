import { describe, expect, test } from "vitest";
import { evaluate } from "../../src/engine/index.js";
import {
  type AccountInventory,
  coverByOrganizationTrails,
  emptyAccount,
  type Finding,
  linkAccount,
  type Trail,
  unreadableAccount,
} from "../../src/model/index.js";
import { readSnapshot, writeSnapshot } from "../../src/sources/snapshot/index.js";
import { bucket, trail } from "../support/builders.js";
import { corePolicies } from "../support/evaluate.js";
import { REPO_ROOT } from "../support/paths.js";

const OWNER = "111122223333";
const MEMBER = "444455556666";
const ORG_ARN = `arn:aws:cloudtrail:us-east-1:${OWNER}:trail/org`;

function account(id: string, trails: Trail[] = []): AccountInventory {
  const a = emptyAccount(id, { address: `arn:aws:::account/${id}` }, true);
  a.accountId = id;
  a.regions = ["us-east-1"];
  a.trails = trails;
  return a;
}

function orgTrail(overrides: Partial<Trail> = {}): Trail {
  return trail({
    name: "org",
    id: ORG_ARN,
    arn: ORG_ARN,
    origin: { address: ORG_ARN },
    accountId: OWNER,
    homeRegion: "us-east-1",
    isOrganizationTrail: true,
    s3BucketName: "org-logs",
    ...overrides,
  });
}

function run(accounts: AccountInventory[]): Finding[] {
  for (const a of accounts) linkAccount(a);
  return evaluate({ root: REPO_ROOT, files: [], accounts, errors: [] }, corePolicies.rules);
}

const find = (findings: Finding[], account: string, ruleId: string, address?: string) =>
  findings.find(
    (f) =>
      f.account === account &&
      f.ruleId === ruleId &&
      (address === undefined || f.resource.address === address),
  );

describe("organization trails cover member accounts", () => {
  test("the member holds the owner's trail and what it uses, as shared, replacing the copy it listed", () => {
    const owner = account(OWNER, [orgTrail()]);
    owner.buckets = [bucket({ name: "org-logs", id: "arn:aws:s3:::org-logs" }), bucket({ name: "other" })];
    // AWS lists the organization trail in the member too: that copy (read with the member's rights) is replaced.
    const member = account(MEMBER, [orgTrail({ kmsKeyId: null, isLogging: true, links: {} })]);
    expect(coverByOrganizationTrails(member, owner)).toBe(1);
    expect(member.trails).toHaveLength(1);
    expect(member.trails[0]?.sharedFrom).toBe(OWNER);
    expect(member.buckets.map((b) => [b.name, b.sharedFrom])).toEqual([["org-logs", OWNER]]);
    // A trail of the owner that is not an organization trail covers nobody else.
    const plain = account(OWNER, [trail({ accountId: OWNER, isOrganizationTrail: false })]);
    expect(coverByOrganizationTrails(account(MEMBER), plain)).toBe(0);
  });

  test("rules about the trail are decided once in the owner; the member gets the pass or a pointer", () => {
    const owner = account(OWNER, [orgTrail({ kmsKeyId: null })]);
    const member = account(MEMBER);
    coverByOrganizationTrails(member, owner);
    const findings = run([owner, member]);
    expect(find(findings, OWNER, "trail.kms-encryption")?.status).toBe("fail");
    expect(find(findings, MEMBER, "trail.kms-encryption")).toMatchObject({
      status: "not-applicable",
      message: expect.stringContaining(`organization trail ${ORG_ARN} owned by ${OWNER}: fail there`),
    });
    expect(find(findings, MEMBER, "trail.multi-region")).toMatchObject({
      status: "pass",
      message: expect.stringContaining(`covered by organization trail ${ORG_ARN} owned by ${OWNER}`),
    });
    expect(find(findings, MEMBER, "trail.enabled")).toMatchObject({
      status: "pass",
      message: expect.stringContaining(`covered by organization trail ${ORG_ARN} owned by ${OWNER}`),
    });
    expect(findings.filter((f) => f.status === "fail" && f.account === MEMBER)).toEqual([]);
  });

  test("a member whose own trail passes says nothing of the organization trail", () => {
    const owner = account(OWNER, [orgTrail()]);
    const member = account(MEMBER, [trail({ name: "own", accountId: MEMBER })]);
    coverByOrganizationTrails(member, owner);
    const enabled = find(run([owner, member]), MEMBER, "trail.enabled");
    expect(enabled?.status).toBe("pass");
    expect(enabled?.message).not.toContain("covered by");
  });

  test("an account rule failing in the member but passing in the owner is the member's own failure", () => {
    // The owner is covered by a second trail of its own; the organization trail, which alone covers the member,
    // does not log: the member is not covered and fails.
    const owner = account(OWNER, [
      orgTrail({ isLogging: false }),
      trail({ name: "local", accountId: OWNER }),
    ]);
    const member = account(MEMBER);
    coverByOrganizationTrails(member, owner);
    const findings = run([owner, member]);
    expect(find(findings, OWNER, "trail.enabled")?.status).toBe("pass");
    expect(find(findings, MEMBER, "trail.enabled")?.status).toBe("fail");
  });

  test("without the owner in the scan, the member judges the trail from what it could read", () => {
    const member = account(MEMBER, [orgTrail({ kmsKeyId: null, sharedFrom: OWNER })]);
    const findings = run([member]);
    expect(find(findings, MEMBER, "trail.kms-encryption")?.status).toBe("fail");
  });

  test("an account that could not be entered has every account rule unknown, with the reason", () => {
    const locked = unreadableAccount(MEMBER, "aws", "AssumeRole: AccessDenied: no");
    const findings = run([locked]).filter((f) => f.account === MEMBER);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.status).toBe("unknown");
      expect(f.message).toContain("AssumeRole: AccessDenied: no");
    }
  });

  test("a snapshot of an organization scan keeps what is shared, so its scan judges the same way", () => {
    const owner = account(OWNER, [orgTrail({ kmsKeyId: null })]);
    const member = account(MEMBER);
    coverByOrganizationTrails(member, owner);
    const text = writeSnapshot([owner, member]);
    const read = readSnapshot({ path: "org.json", absolutePath: `${REPO_ROOT}/org.json`, text });
    expect(read?.errors).toEqual([]);
    const accounts = read?.accounts ?? [];
    expect(accounts[1]?.trails[0]?.sharedFrom).toBe(OWNER);
    const findings = run(accounts);
    expect(find(findings, MEMBER, "trail.kms-encryption")?.status).toBe("not-applicable");
    expect(findings.filter((f) => f.ruleId === "trail.kms-encryption" && f.status === "fail")).toHaveLength(
      1,
    );
  });
});
