import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../support/paths.js";
import { PROCESS_TIMEOUT_MS } from "../support/timeouts.js";

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

describe("dist/", () => {
  const fresh = mkdtempSync(join(tmpdir(), "trailguard-dist-"));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  test(
    "is what `npm run build` makes from the current src/ and policies/ (rebuild and commit it)",
    () => {
      execFileSync(process.execPath, [join(REPO_ROOT, "scripts/build.mjs"), fresh], { cwd: REPO_ROOT });
      const committed = join(REPO_ROOT, "dist");
      expect(listFiles(committed)).toEqual(listFiles(fresh));
      for (const file of listFiles(fresh)) {
        const same = readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file)));
        expect(same, `dist/${file} is stale: run npm run build`).toBe(true);
      }
    },
    PROCESS_TIMEOUT_MS,
  );
});
