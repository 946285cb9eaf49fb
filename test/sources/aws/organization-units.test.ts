import * as organizations from "@aws-sdk/client-organizations";
import * as sts from "@aws-sdk/client-sts";
import { describe, expect, test } from "vitest";
import type { AwsClients } from "../../../src/sources/aws/clients.js";
import { listMemberAccounts } from "../../../src/sources/aws/organization/accounts.js";
import { assumeRoleProvider, SESSION_NAME } from "../../../src/sources/aws/organization/assume.js";
import { inShard } from "../../../src/sources/aws/organization/shard-members.js";

type Send = (command: { constructor: { name: string }; input: Record<string, unknown> }) => Promise<unknown>;

/** Just enough of the client factory: the SDK modules and one `send` for every client. */
function fakeClients(send: Send): AwsClients {
  const client = { send };
  return {
    sdk: { sts, organizations },
    homeRegion: "eu-west-1",
    sts: () => client,
    organizations: () => client,
  } as unknown as AwsClients;
}

describe("assuming the member role", () => {
  test("one AssumeRole in the home region, shared by concurrent callers, renewed before it expires", async () => {
    let now = Date.parse("2026-12-01T10:00:00Z");
    const seen: Record<string, unknown>[] = [];
    const clients = fakeClients(async (command) => {
      seen.push(command.input);
      return {
        Credentials: {
          AccessKeyId: `AKIA${seen.length}`,
          SecretAccessKey: "secret",
          SessionToken: "token",
          Expiration: new Date(now + 60 * 60 * 1000),
        },
      };
    });
    const provider = assumeRoleProvider(
      clients,
      { roleArn: "arn:aws:iam::444455556666:role/Audit", externalId: "x-1" },
      () => now,
    );
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(a.accessKeyId).toBe("AKIA1");
    expect(b.accessKeyId).toBe("AKIA1");
    expect(seen).toEqual([
      { RoleArn: "arn:aws:iam::444455556666:role/Audit", RoleSessionName: SESSION_NAME, ExternalId: "x-1" },
    ]);
    now += 50 * 60 * 1000;
    expect((await provider()).accessKeyId).toBe("AKIA1");
    // Within five minutes of the expiry the role is assumed again.
    now += 6 * 60 * 1000;
    expect((await provider()).accessKeyId).toBe("AKIA2");
    expect(seen).toHaveLength(2);
  });

  test("a refusal reaches the caller, and the next call tries again", async () => {
    let calls = 0;
    const provider = assumeRoleProvider(
      fakeClients(async () => {
        calls++;
        throw Object.assign(new Error("not authorized"), { name: "AccessDenied" });
      }),
      { roleArn: "arn:aws:iam::444455556666:role/Audit" },
    );
    await expect(provider()).rejects.toThrow("not authorized");
    await expect(provider()).rejects.toThrow("not authorized");
    expect(calls).toBe(2);
  });
});

describe("listing the organization's accounts", () => {
  const account = (Id: string, State = "ACTIVE") => ({ Id, Name: `n${Id}`, State });

  test("every page of ListAccounts, narrowed to --accounts / --exclude-accounts, sorted", async () => {
    const pages: Record<string, unknown> = {
      "": { Accounts: [account("333"), account("111")], NextToken: "p2" },
      p2: { Accounts: [account("222", "SUSPENDED")], NextToken: "p3" },
      // Organizations may answer an empty page with a token: paging goes on.
      p3: { Accounts: [], NextToken: "p4" },
      p4: { Accounts: [account("444")] },
    };
    const clients = fakeClients(async (command) => pages[String(command.input.NextToken ?? "")]);
    const all = await listMemberAccounts(clients, {});
    expect(all).toEqual({
      ok: true,
      accounts: [
        { id: "111", name: "n111", state: "ACTIVE" },
        { id: "222", name: "n222", state: "SUSPENDED" },
        { id: "333", name: "n333", state: "ACTIVE" },
        { id: "444", name: "n444", state: "ACTIVE" },
      ],
    });
    const some = await listMemberAccounts(clients, {
      accounts: ["333", "111", "444"],
      excludeAccounts: ["444"],
    });
    expect(some.ok && some.accounts.map((a) => a.id)).toEqual(["111", "333"]);
  });

  test("--ou walks the OU tree at every depth", async () => {
    const children: Record<string, string[]> = { "ou-a": ["ou-b"], "ou-b": ["ou-c"], "ou-c": [] };
    const accounts: Record<string, string[]> = { "ou-a": ["1"], "ou-b": [], "ou-c": ["2", "3"] };
    const clients = fakeClients(async (command) => {
      const parent = String(command.input.ParentId);
      if (command.constructor.name === "ListChildrenCommand") {
        return { Children: (children[parent] ?? []).map((Id) => ({ Id, Type: "ORGANIZATIONAL_UNIT" })) };
      }
      return { Accounts: (accounts[parent] ?? []).map((id) => account(id)) };
    });
    const listed = await listMemberAccounts(clients, { ous: ["ou-a"] });
    expect(listed.ok && listed.accounts.map((a) => a.id)).toEqual(["1", "2", "3"]);
  });

  test("a refusal during the OU walk names the call that was refused", async () => {
    const clients = fakeClients(async (command) => {
      if (command.constructor.name === "ListChildrenCommand") {
        throw Object.assign(new Error("no"), { name: "AccessDeniedException" });
      }
      return { Accounts: [account("1")] };
    });
    expect(await listMemberAccounts(clients, { ous: ["ou-a", "ou-b"] })).toEqual({
      ok: false,
      reason: "ListChildren: AccessDeniedException: no",
    });
  });

  test("a refused listing is reported with the operation and the error", async () => {
    const clients = fakeClients(async () => {
      throw Object.assign(new Error("You don't have permissions"), { name: "AccessDeniedException" });
    });
    expect(await listMemberAccounts(clients, {})).toEqual({
      ok: false,
      reason: "ListAccounts: AccessDeniedException: You don't have permissions",
    });
  });
});

describe("shards", () => {
  test("split the accounts into disjoint parts of similar size", () => {
    const ids = Array.from({ length: 300 }, (_, i) => String(100000000000 + i * 7919));
    const shardOf = (id: string, count: number) =>
      Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(id, { index, count }));
    for (const id of ids) expect(shardOf(id, 3)).toHaveLength(1);
    const sizes = [1, 2, 3].map((index) => ids.filter((id) => inShard(id, { index, count: 3 })).length);
    for (const size of sizes) expect(size).toBeGreaterThan(60);
  });
});
