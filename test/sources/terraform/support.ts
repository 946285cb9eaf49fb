import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { evaluate } from "../../../src/engine/index.js";
import type { Finding } from "../../../src/model/index.js";
import {
  type AccountInventory,
  emptyAccount,
  type InputError,
  linkAccount,
} from "../../../src/model/index.js";
import {
  type GroupReadContext,
  isRecordedAccounts,
  mergeFragment,
  type SourceFileRef,
} from "../../../src/sources/fragment.js";
import { loadHclParser, terraformPlanReader, terraformReader } from "../../../src/sources/terraform/index.js";
import { corePolicies } from "../../support/evaluate.js";

// The scan awaits the readers' `prepare()` before reading; these helpers read synchronously, so load it up front.
await loadHclParser();

const toPosix = (p: string) => p.split(sep).join("/");

/** Writes files (relative path → text) into a fresh temporary directory and returns it. */
export function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "trailguard-tf-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

export interface ReadOutcome {
  account: AccountInventory;
  errors: InputError[];
  groups: string[][];
}

/** Reads every Terraform input under `paths` (relative to `root`) as the scan would: plans first, then folders. */
export function readTree(root: string, paths: string[] = ["."], completeAccount = false): ReadOutcome {
  const errors: InputError[] = [];
  const ctx: GroupReadContext = {
    root,
    readText: (p) => {
      try {
        return readFileSync(p, "utf8");
      } catch {
        errors.push({
          code: "file-unreadable",
          file: toPosix(relative(root, p)),
          message: "cannot read",
          severity: "error",
        });
        return undefined;
      }
    },
    relativePath: (p) => toPosix(relative(root, p)),
  };
  let files: SourceFileRef[] = paths
    .flatMap((p) => {
      const abs = join(root, p);
      return statSync(abs).isDirectory() ? walk(abs) : [abs];
    })
    .map((absolutePath) => ({ absolutePath, path: toPosix(relative(root, absolutePath)) }));
  const account = emptyAccount(paths.join(","), { address: paths.join(",") }, completeAccount);
  const groups: string[][] = [];
  for (const reader of [terraformPlanReader, terraformReader]) {
    const mine = files.filter((f) => reader.extensions.some((e) => f.path.endsWith(e)));
    const claimed = new Set<string>();
    for (const group of reader.group(mine, ctx)) {
      groups.push(group.map((f) => f.path));
      for (const f of group) claimed.add(f.absolutePath);
      const fragment = reader.read(group, ctx);
      if (isRecordedAccounts(fragment)) throw new Error(`${reader.name} returned whole accounts`);
      errors.push(...fragment.errors);
      mergeFragment(account, fragment);
    }
    files = files.filter((f) => !claimed.has(f.absolutePath));
  }
  linkAccount(account);
  return { account, errors, groups };
}

export function findingsOf(outcome: ReadOutcome, root: string): Finding[] {
  return evaluate({ root, files: [], accounts: [outcome.account], errors: [] }, corePolicies.rules);
}

/** Reads in-memory files and evaluates the core pack. */
export function scanFiles(files: Record<string, string>, completeAccount = false) {
  const root = writeTree(files);
  const outcome = readTree(root, ["."], completeAccount);
  return { ...outcome, root, findings: findingsOf(outcome, root) };
}

/** Rule verdicts by resource address. */
export function verdicts(findings: Finding[], ruleId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of findings) if (f.ruleId === ruleId) out[f.resource.address] = f.status;
  return out;
}
