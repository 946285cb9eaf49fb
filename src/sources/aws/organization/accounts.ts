import type { Account, ListChildrenCommandOutput } from "@aws-sdk/client-organizations";
import type { AwsClients } from "../clients.js";
import { describeError } from "../errors.js";

/** An account of the organization as Organizations lists it. */
export interface MemberAccount {
  id: string;
  name: string;
  /** `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`, `CLOSED`: only active accounts can be entered. */
  state: string;
}

/** Which accounts an organization scan reads. */
export interface AccountSelection {
  /** Only these account ids. */
  accounts?: string[];
  /** Not these account ids. */
  excludeAccounts?: string[];
  /** Only accounts under these organizational units (or roots), at any depth. */
  ous?: string[];
}

export type MemberListing = { ok: true; accounts: MemberAccount[] } | { ok: false; reason: string };

/**
 * The accounts of the organization, paged (ListAccounts gives at most 20 a page), or those under the selected OUs,
 * walked recursively (ListChildren for the OUs of each level, ListAccountsForParent for their accounts). Sorted by
 * id, then narrowed to the selection.
 */
export async function listMemberAccounts(
  clients: AwsClients,
  selection: AccountSelection,
): Promise<MemberListing> {
  const { organizations } = clients.sdk;
  const client = clients.organizations();
  const found = new Map<string, MemberAccount>();
  const add = (list: Account[] | undefined) => {
    for (const a of list ?? []) {
      if (!a.Id) continue;
      found.set(a.Id, { id: a.Id, name: a.Name ?? a.Id, state: String(a.State ?? a.Status ?? "UNKNOWN") });
    }
  };
  try {
    if (!selection.ous?.length) {
      let NextToken: string | undefined;
      do {
        const page = await labelled("ListAccounts", () =>
          client.send(new organizations.ListAccountsCommand({ NextToken })),
        );
        add(page.Accounts);
        NextToken = page.NextToken;
      } while (NextToken);
    } else {
      const seen = new Set<string>();
      let level = [...new Set(selection.ous)];
      while (level.length > 0) {
        const next: string[] = [];
        await Promise.all(
          level.map(async (parent) => {
            if (seen.has(parent)) return;
            seen.add(parent);
            let NextToken: string | undefined;
            do {
              const page = await labelled("ListAccountsForParent", () =>
                client.send(new organizations.ListAccountsForParentCommand({ ParentId: parent, NextToken })),
              );
              add(page.Accounts);
              NextToken = page.NextToken;
            } while (NextToken);
            let ChildToken: string | undefined;
            do {
              const children: ListChildrenCommandOutput = await labelled("ListChildren", () =>
                client.send(
                  new organizations.ListChildrenCommand({
                    ParentId: parent,
                    ChildType: "ORGANIZATIONAL_UNIT",
                    NextToken: ChildToken,
                  }),
                ),
              );
              for (const child of children.Children ?? []) if (child.Id) next.push(child.Id);
              ChildToken = children.NextToken;
            } while (ChildToken);
          }),
        );
        level = next;
      }
    }
  } catch (error) {
    const failed = error as Partial<Labelled>;
    return { ok: false, reason: describeError(failed.operation ?? "ListAccounts", failed.error ?? error) };
  }
  return { ok: true, accounts: select([...found.values()], selection) };
}

/** A failed call with the operation that failed (calls of an OU walk run side by side). */
interface Labelled {
  operation: string;
  error: unknown;
}

async function labelled<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw { operation, error } satisfies Labelled;
  }
}

export function select(accounts: MemberAccount[], selection: AccountSelection): MemberAccount[] {
  const only = selection.accounts?.length ? new Set(selection.accounts) : undefined;
  const not = new Set(selection.excludeAccounts ?? []);
  return accounts
    .filter((a) => (only === undefined || only.has(a.id)) && !not.has(a.id))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * What the calling account of an organization scan needs besides the read-only actions (IAM_ACTIONS), which the
 * member role needs: policies/iam/trailguard-organization.json lists exactly these (a test keeps the two equal).
 */
export const ORGANIZATION_IAM_ACTIONS: Record<string, string> = {
  "organizations:ListAccounts": "organizations:ListAccounts",
  "organizations:ListAccountsForParent": "organizations:ListAccountsForParent",
  "organizations:ListChildren": "organizations:ListChildren",
  "sts:AssumeRole": "sts:AssumeRole",
};
