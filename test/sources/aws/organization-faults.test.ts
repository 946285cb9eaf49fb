import { describe, expect, test } from "vitest";
import { collectOrganization } from "../../../src/sources/aws/organization/collect.js";
import type {
  OrganizationProgress,
  ProgressListener,
} from "../../../src/sources/aws/organization/progress.js";
import { awsError, mockAwsAccount } from "./aws-shaped.js";
import { findingsOf, liveOptions } from "./helpers.js";

const MEMBER = "444455556666";
const assumed = {
  Credentials: {
    AccessKeyId: "ASIAMEMBER",
    SecretAccessKey: "secret",
    SessionToken: "token",
    Expiration: new Date(Date.now() + 3600_000),
  },
};
const members =
  (...accounts: { Id: string; State: string }[]) =>
  () => ({
    Accounts: [{ Id: "123456789012", Name: "management", State: "ACTIVE" }, ...accounts],
  });

/** The AWS-shaped account stands for every account; Organizations and STS answers are given per test. */
async function collect(
  overrides: Parameters<typeof mockAwsAccount>[0],
  accountTimeoutMs?: number,
  onProgress?: ProgressListener,
) {
  const mocked = mockAwsAccount({ AssumeRole: () => assumed, ...overrides });
  try {
    return await collectOrganization({
      ...liveOptions("http://127.0.0.1:9", { lake: false }),
      organization: {
        ...(accountTimeoutMs ? { accountTimeoutMs } : {}),
        ...(onProgress ? { onProgress } : {}),
      },
    });
  } finally {
    mocked.restore();
  }
}

describe("members that cannot be read are kept", () => {
  test("a member slower than the account timeout is reported and unknown; the others are read", async () => {
    let first = true;
    const result = await collect(
      {
        ListAccounts: members({ Id: MEMBER, State: "ACTIVE" }),
        // The calling account's ListTrails answers at once; the member's never in time.
        ListTrails: async () => {
          if (!first) await new Promise((r) => setTimeout(r, 2_000));
          first = false;
          return { Trails: [] };
        },
      },
      200,
    );
    const member = result.accounts.find((a) => a.key === MEMBER);
    expect(member?.coverage.trails.state).toBe("not-collected");
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        code: "account-unreachable",
        account: MEMBER,
        message: expect.stringContaining("not read within 0.2 s (the account timeout)"),
      }),
    );
    const verdicts = findingsOf(result.accounts).filter((f) => f.account === MEMBER);
    expect(verdicts.length).toBeGreaterThan(0);
    expect(verdicts.every((f) => f.status === "unknown")).toBe(true);
  });

  test("a calling account slower than the account timeout is kept, unknown with the reason", async () => {
    let first = true;
    let identities = 0;
    const result = await collect(
      {
        ListAccounts: members({ Id: MEMBER, State: "ACTIVE" }),
        // The fixture answers for every account: the first identity asked is the calling account's.
        GetCallerIdentity: () => {
          const id = identities++ === 0 ? "123456789012" : MEMBER;
          return { Account: id, Arn: `arn:aws:iam::${id}:user/audit`, UserId: "AIDA" };
        },
        // The calling account's ListTrails never answers in time; the member's at once.
        ListTrails: async () => {
          const slow = first;
          first = false;
          if (slow) await new Promise((r) => setTimeout(r, 2_000));
          return { Trails: [] };
        },
      },
      200,
    );
    const caller = result.accounts.find((a) => a.key === "123456789012");
    expect(caller?.coverage.trails.state).toBe("not-collected");
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        code: "account-unreachable",
        account: "123456789012",
        message: expect.stringContaining(
          "(the calling account): not read within 0.2 s (the account timeout)",
        ),
      }),
    );
    const findings = findingsOf(result.accounts);
    const own = findings.filter((f) => f.account === "123456789012");
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((f) => f.status === "unknown" && f.unknowns.length + f.message.length > 0)).toBe(true);
    expect(own.some((f) => JSON.stringify(f).includes("the account timeout"))).toBe(true);
    // The member is read all the same.
    expect(result.accounts.find((a) => a.key === MEMBER)?.coverage.trails.state).toBe("complete");
  });

  test("progress: the accounts to read, then each account as it is read, failed ones marked", async () => {
    const events: OrganizationProgress[] = [];
    await collect(
      {
        ListAccounts: members({ Id: MEMBER, State: "ACTIVE" }, { Id: "777788889999", State: "SUSPENDED" }),
      },
      undefined,
      (e) => events.push(e),
    );
    expect(events.find((e) => e.type === "listed")).toEqual({ type: "listed", total: 3 });
    const read = events.filter((e) => e.type === "account");
    expect(read.map((e) => [e.id, e.failed]).sort()).toEqual([
      ["123456789012", false],
      [MEMBER, false],
      ["777788889999", true],
    ]);
  });

  test("a suspended member is listed with a warning and unknown verdicts, never entered", async () => {
    let assumes = 0;
    const result = await collect({
      ListAccounts: members({ Id: MEMBER, State: "SUSPENDED" }),
      AssumeRole: () => {
        assumes++;
        return assumed;
      },
    });
    expect(assumes).toBe(0);
    expect(result.errors).toContainEqual({
      code: "account-unreachable",
      message: `account ${MEMBER} (${MEMBER}): the account is SUSPENDED; its rules are unknown`,
      severity: "warning",
      account: MEMBER,
    });
    expect(result.accounts.map((a) => a.key)).toContain(MEMBER);
  });

  test("a refused account listing is an error; the calling account is still read", async () => {
    const result = await collect({
      ListAccounts: () => {
        throw awsError("AccessDeniedException", "You don't have permissions to access this resource.");
      },
    });
    expect(result.accounts).toHaveLength(1);
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        code: "aws-error",
        severity: "error",
        message: expect.stringContaining("ListAccounts: AccessDeniedException"),
      }),
    );
  });
});
