import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { evaluate } from "../../../src/engine/index.js";
import type { Finding } from "../../../src/model/index.js";
import {
  type AccountInventory,
  emptyAccount,
  type InputError,
  linkAccount,
} from "../../../src/model/index.js";
import { collectFiles, toPosix } from "../../../src/scan/collect.js";
import { awsCliExportsReader, readExportFolder } from "../../../src/sources/exports/index.js";
import type { GroupReadContext, SourceFileRef } from "../../../src/sources/fragment.js";
import { mergeFragment } from "../../../src/sources/fragment.js";
import { corePolicies } from "../../support/evaluate.js";
import { REPO_ROOT } from "../../support/paths.js";

export const FIXTURES = resolve(REPO_ROOT, "test/fixtures/exports");

export interface ReadExport {
  groups: SourceFileRef[][];
  account: AccountInventory;
  errors: InputError[];
  findings: Finding[];
}

/**
 * Reads the export folders under `path` as the scan does with `--scope account` (group readers first, through the
 * scan's file listing), links the account and evaluates the core pack.
 */
export function readExport(path: string, root = resolve(path, "..")): ReadExport {
  const errors: InputError[] = [];
  const files = [...collectFiles([path], root, awsCliExportsReader.extensions, errors).values()].flat();
  const ctx: GroupReadContext = {
    root,
    readText: (absolutePath) => {
      try {
        return readFileSync(absolutePath, "utf8");
      } catch (error) {
        errors.push({
          code: "file-unreadable",
          file: toPosix(relative(root, absolutePath)),
          message: String(error),
          severity: "error",
        });
        return undefined;
      }
    },
    relativePath: (absolutePath) => toPosix(relative(root, absolutePath)),
  };
  const groups = awsCliExportsReader.group(files, ctx);
  const key = toPosix(relative(root, path)) || ".";
  const account = emptyAccount(key, { address: key }, true);
  for (const group of groups) {
    const read = readExportFolder(group, ctx);
    account.anchor.location ??= { file: group[0]?.path ?? key, line: 1, column: 1 };
    account.accountId = read.accountId;
    account.regions = read.regions;
    account.completeAccount = read.completeAccount;
    errors.push(...read.fragment.errors);
    mergeFragment(account, read.fragment);
  }
  linkAccount(account);
  const findings = evaluate({ root, files: [], accounts: [account], errors: [] }, corePolicies.rules);
  return { groups, account, errors, findings };
}

/** Verdict of one rule per resource (by name, or `account`). */
export function verdicts(findings: Finding[], ruleId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of findings) {
    if (f.ruleId === ruleId)
      out[f.resource.kind === "account" ? "account" : (f.resource.name ?? f.resource.id)] = f.status;
  }
  return out;
}

/** The reasons a finding is unknown, joined, for assertions on what the reason names. */
export function unknownReasons(findings: Finding[], ruleId: string): string {
  return findings
    .filter((f) => f.ruleId === ruleId && f.status === "unknown")
    .flatMap((f) => f.unknowns.map((u) => u.reason))
    .join("\n");
}
