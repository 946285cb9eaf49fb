import type { Finding } from "../model/index.js";
import type { Report } from "./types.js";

/** One account's share of a report: what the organization summary shows per account. */
export interface AccountSummary {
  account: string;
  fail: number;
  unknown: number;
  pass: number;
  notApplicable: number;
  suppressed: number;
  inputErrors: number;
  warnings: number;
  /** Why the account could not be entered (`account-unreachable`); null when it was read. */
  unreachable: string | null;
}

const AWS_ACCOUNT = /^\d{12}$/;

/**
 * Findings and input problems grouped by account, sorted by account. Counted like the report's summary: a
 * suppressed or baseline-existing finding is counted once, as suppressed or not at all.
 */
export function accountSummaries(report: Report): AccountSummary[] {
  const rows = new Map<string, AccountSummary>();
  const row = (account: string) => {
    let r = rows.get(account);
    if (!r) {
      r = {
        account,
        fail: 0,
        unknown: 0,
        pass: 0,
        notApplicable: 0,
        suppressed: 0,
        inputErrors: 0,
        warnings: 0,
        unreachable: null,
      };
      rows.set(account, r);
    }
    return r;
  };
  for (const f of report.findings) count(row(f.account), f);
  for (const e of report.errors) {
    if (e.account === undefined) continue;
    const r = row(e.account);
    if (e.severity === "error") r.inputErrors++;
    else r.warnings++;
    if (e.code === "account-unreachable") r.unreachable ??= e.message;
  }
  return [...rows.values()].sort((a, b) => a.account.localeCompare(b.account));
}

function count(r: AccountSummary, f: Finding): void {
  if (f.suppression !== undefined) {
    r.suppressed++;
    return;
  }
  if (f.baseline === "existing") return;
  if (f.status === "fail") r.fail++;
  else if (f.status === "unknown") r.unknown++;
  else if (f.status === "pass") r.pass++;
  else if (f.status === "not-applicable") r.notApplicable++;
}

/** A report of several AWS accounts (an organization scan) shows the per-account table; one account does not. */
export function isMultiAccount(summaries: AccountSummary[]): boolean {
  return summaries.filter((s) => AWS_ACCOUNT.test(s.account)).length > 1;
}

/** The per-account table's headers and cells, shared by the text and Markdown reports. */
export const ACCOUNT_TABLE_HEADERS = ["Account", "Failed", "Unknown", "Passed", "Input errors", "Note"];

export function accountTableRows(summaries: AccountSummary[]): string[][] {
  return summaries.map((s) => [
    s.account,
    String(s.fail),
    String(s.unknown),
    String(s.pass),
    String(s.inputErrors),
    s.unreachable === null ? "" : "not entered",
  ]);
}
