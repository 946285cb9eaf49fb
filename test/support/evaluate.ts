import { evaluate, loadPolicies } from "../../src/engine/index.js";
import type { Finding } from "../../src/model/index.js";
import { emptyAccount, linkAccount } from "../../src/model/index.js";
import { readTemplate } from "../../src/sources/cloudformation/index.js";
import { mergeFragment } from "../../src/sources/fragment.js";
import { POLICIES_DIR, REPO_ROOT } from "./paths.js";

const policies = loadPolicies(POLICIES_DIR);

/**
 * `scan()` options for the built-in packs, loaded once per test file: loading them again for every scan takes a
 * fifth of a second each, the largest part of scanning a small example.
 */
export const BUILT_IN_POLICIES = { policiesDir: POLICIES_DIR, policies } as const;
/** The built-in policies with the core pack's rules only (the CIS monitoring pack is tested through scan()). */
export const corePolicies = {
  ...policies,
  rules: policies.rules.filter((r) => r.pack === "cloudtrail-core"),
};

/** Reads one in-memory template and evaluates the core pack, as `trailguard scan` would for that file. */
export function findingsForTemplate(
  text: string,
  path = "template.yaml",
  completeAccount = false,
): Finding[] {
  const result = readTemplate({ path, absolutePath: `${REPO_ROOT}/${path}`, text });
  if (result.status !== "read") return [];
  const account = emptyAccount(
    path,
    { address: path, location: { file: path, line: 1, column: 1 } },
    completeAccount,
  );
  mergeFragment(account, result.fragment);
  linkAccount(account);
  return evaluate({ root: REPO_ROOT, files: [path], accounts: [account], errors: [] }, corePolicies.rules);
}

/** Verdict of one rule per resource address (`file#LogicalId`), or for the account. */
export function verdictsOf(findings: Finding[], ruleId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of findings) if (f.ruleId === ruleId) out[f.resource.address] = f.status;
  return out;
}

/**
 * The cases of a cfn-guard registry test file (`- name: … input: … expectations: …`), with each case's `input`
 * as template text. The input is cut out of the file as text, so CloudFormation short-form tags stay intact.
 */
export function guardCases(text: string): { name: string; input: string; expected: string }[] {
  const cases: { name: string; input: string; expected: string }[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const name = /^- name:\s*(.+)$/.exec(lines[i] ?? "")?.[1];
    if (!name) continue;
    let j = i + 1;
    while (j < lines.length && !/^\s+input:/.test(lines[j] ?? "")) j++;
    const inline = /^\s+input:\s*(\S.*)$/.exec(lines[j] ?? "")?.[1];
    const body: string[] = [];
    let k = j + 1;
    for (; k < lines.length && !/^\s+expectations:/.test(lines[k] ?? ""); k++) body.push(lines[k] ?? "");
    const expected = /:\s*(PASS|FAIL|SKIP)\s*$/.exec(lines.slice(k, k + 4).join("\n"))?.[1] ?? "?";
    const indent = Math.min(...body.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    const input = inline ?? body.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n");
    cases.push({ name: name.trim(), input, expected });
    i = k;
  }
  return cases;
}
