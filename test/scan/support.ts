import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import { reporters } from "../../src/report/index.js";
import {
  builtInPoliciesDir,
  loadConfig,
  reportOf,
  type ScanOptions,
  scan,
  scanOptionsOf,
  settingsOf,
} from "../../src/scan/index.js";
import { REPO_ROOT } from "../support/paths.js";

/** The scans' clock: waivers and inline expiries are judged against it, never against the real date. */
export const NOW = new Date("2026-03-01T12:00:00Z");

/** A fresh folder per test file, removed afterwards; the folder holds a `.git` so config lookup stops there. */
export function workspace(): { dir: string; write: (path: string, text: string) => string } {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-review-"));
  writeFileSync(join(dir, ".git"), "");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    write: (path, text) => {
      const file = join(dir, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
  };
}

export function example(path: string): string {
  return readFileSync(join(REPO_ROOT, path), "utf8");
}

/** Copies the recorded export folder to `target`, as account `accountId`. */
export function exportFolder(target: string, accountId: string): void {
  const source = join(REPO_ROOT, "test/fixtures/exports/aws-recorded");
  cpSync(source, target, { recursive: true });
  for (const name of readdirSync(target)) {
    const file = join(target, name);
    writeFileSync(file, readFileSync(file, "utf8").replaceAll("111122223333", accountId));
  }
}

/** Scans `paths` in `cwd` with the config file's settings (when one is given), as the front ends do. */
export async function scanWithConfig(
  cwd: string,
  paths: string[],
  config?: string,
  extra: Partial<ScanOptions> = {},
) {
  const loaded = config ? loadConfig(config, cwd) : { errors: [] };
  const settings = settingsOf({}, loaded.config);
  const outcome = await scan({
    ...scanOptionsOf(settings),
    paths,
    cwd,
    errors: loaded.errors,
    policiesDir: builtInPoliciesDir(),
    now: NOW,
    ...extra,
  });
  const report = reportOf(outcome, "0.0.0-test");
  const render = (format: keyof typeof reporters) =>
    reporters[format](report, { includePassed: false, color: false, automationId: "trailguard/" });
  return { outcome, report, render, settings };
}
