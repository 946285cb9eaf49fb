import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, relative, resolve } from "node:path";
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
import type { Moto } from "../../support/moto.js";
import { REPO_ROOT } from "../../support/paths.js";

export const DOCS = resolve(REPO_ROOT, "docs/exports.md");
export const FIXTURES = resolve(REPO_ROOT, "test/fixtures/exports");

/** The export script exactly as docs/exports.md gives it to users. */
export function documentedExportScript(): string {
  const text = readFileSync(DOCS, "utf8");
  const marker = text.indexOf("<!-- export-script");
  const start = text.indexOf("```bash\n", marker);
  const end = text.indexOf("\n```", start + 8);
  if (marker < 0 || start < 0 || end < 0) throw new Error("docs/exports.md has no export script");
  return text.slice(start + "```bash\n".length, end + 1);
}

/** Exports the emulated account into `dir` by running the documented script with the real `aws` CLI. */
export function exportAccount(moto: Moto, dir: string): void {
  execFileSync("bash", ["-c", documentedExportScript(), "export-account.sh", dir], {
    env: { ...process.env, ...moto.env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  // The aws CLI cannot reach S3 Control on a loopback endpoint: it puts the account id in the host name. The
  // scenarios set no account-level block, which S3 Control answers with this error (the live tests read it).
  const s3control = join(dir, "s3control-get-public-access-block.error.txt");
  if (existsSync(s3control) && readFileSync(s3control, "utf8").includes("Could not connect")) {
    writeFileSync(s3control, "NoSuchPublicAccessBlockConfiguration\n");
  }
}

/**
 * Puts the directory of the real `aws` executable first on PATH when it is behind a pyenv shim: the shim costs a
 * tenth of a second per call, and the scenarios make a few hundred calls. Same CLI, same version.
 */
export function bypassAwsShim(): void {
  try {
    const real = execFileSync("pyenv", ["which", "aws"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    if (real.trim()) process.env.PATH = `${dirname(real.trim())}${delimiter}${process.env.PATH ?? ""}`;
  } catch {
    // No pyenv: `aws` is whatever PATH finds.
  }
}

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
