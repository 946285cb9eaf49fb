import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../support/paths.js";
import { PROCESS_TIMEOUT_MS } from "../support/timeouts.js";

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

describe("the npm package", { timeout: PROCESS_TIMEOUT_MS }, () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-package-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const npm = (args: string[], cwd: string) =>
    execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd,
      encoding: "utf8",
      env: { ...process.env, npm_config_cache: join(dir, "npm-cache"), npm_config_update_notifier: "false" },
    });
  const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", dir], REPO_ROOT))[0] as PackResult;

  test("holds dist/, policies/, README.md, LICENSE and package.json, nothing else", () => {
    const tops = new Set(packed.files.map((f) => f.path.split("/")[0]));
    expect([...tops].sort()).toEqual(["LICENSE", "README.md", "dist", "package.json", "policies"]);
  });

  test("has no runtime dependencies: the bundle in dist/ carries what it uses", () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bin.trailguard).toBe("dist/cli.js");
  });

  test("installs offline from the tarball in an empty folder, and `npx trailguard scan` runs", () => {
    const project = join(dir, "project");
    cpSync(join(REPO_ROOT, "examples"), join(project, "examples"), { recursive: true });
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "adopter", private: true }));
    npm(["install", "--offline", join(dir, packed.filename)], project);
    const run = spawnSync(
      "npx",
      ["--offline", "--no", "trailguard", "scan", "examples", "--format", "json"],
      {
        cwd: project,
        encoding: "utf8",
      },
    );
    expect(run.status, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.summary.fail).toBeGreaterThan(5);
    expect(report.summary.inputErrors).toBe(0);
  });
});
