import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InputError } from "../../src/model/index.js";
import { collectFiles } from "../../src/scan/collect.js";
import { scan } from "../../src/scan/index.js";
import { BUILT_IN_POLICIES } from "../support/evaluate.js";

const TRAIL = `Resources:
  Audit:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: audit-logs
      IsMultiRegionTrail: false
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "trailguard-collect-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const collect = (path: string) => {
  const errors: InputError[] = [];
  const files = [...collectFiles([path], dir, [".yaml", ".yml", ".tf"], errors).values()].flat();
  return { paths: files.map((f) => f.path), errors };
};

const scanned = (...paths: string[]) =>
  scan({ paths, scope: "resource", ...BUILT_IN_POLICIES, cwd: dir, rules: ["trail.multi-region"] });

describe("the scan's file walk", () => {
  it("follows a symlinked template: a folder whose only template is a link is scanned", async () => {
    mkdirSync(join(dir, "real"));
    writeFileSync(join(dir, "real/trail.yaml"), TRAIL);
    mkdirSync(join(dir, "stack"));
    symlinkSync(join(dir, "real/trail.yaml"), join(dir, "stack/linked.yaml"));
    const outcome = await scanned("stack");
    expect(outcome.findings.map((f) => [f.resource.address, f.status])).toEqual([
      ["stack/linked.yaml#Audit", "fail"],
    ]);
    expect(outcome.errors).toEqual([]);
  });

  it("follows a symlinked folder and reports a link back into its own ancestors instead of looping", () => {
    mkdirSync(join(dir, "infra/nested"), { recursive: true });
    writeFileSync(join(dir, "infra/nested/main.yml"), TRAIL);
    symlinkSync(join(dir, "infra"), join(dir, "infra/nested/back"));
    mkdirSync(join(dir, "root"));
    symlinkSync("../infra", join(dir, "root/shared"));
    const { paths, errors } = collect(join(dir, "root"));
    expect(paths).toEqual(["root/shared/nested/main.yml"]);
    expect(errors).toEqual([
      expect.objectContaining({ code: "skipped", file: "root/shared/nested/back", severity: "warning" }),
    ]);
  });

  it("recognizes a loop back to a folder scanned through a link to it", () => {
    mkdirSync(join(dir, "real/deep/er"), { recursive: true });
    writeFileSync(join(dir, "real/deep/er/main.yml"), TRAIL);
    symlinkSync(join(dir, "real"), join(dir, "alias"));
    symlinkSync(join(dir, "real/deep"), join(dir, "real/deep/er/up"));
    const { paths, errors } = collect(join(dir, "alias"));
    expect(paths).toEqual(["alias/deep/er/main.yml"]);
    expect(errors).toEqual([
      expect.objectContaining({ code: "skipped", file: "alias/deep/er/up", severity: "warning" }),
    ]);
  });

  it("reports a dangling link named like an input instead of dropping it", () => {
    symlinkSync(join(dir, "gone.tf"), join(dir, "main.tf"));
    const { paths, errors } = collect(dir);
    expect(paths).toEqual([]);
    expect(errors).toEqual([
      expect.objectContaining({ code: "file-unreadable", file: "main.tf", severity: "error" }),
    ]);
  });

  it("lists a skipped hidden folder, but not tool folders such as .git or node_modules", () => {
    for (const sub of [".infra", ".git", "node_modules/pkg", "visible"])
      mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, ".infra/t.yaml"), TRAIL);
    writeFileSync(join(dir, "visible/t.yaml"), TRAIL);
    const { paths, errors } = collect(dir);
    expect(paths).toEqual(["visible/t.yaml"]);
    expect(errors).toEqual([
      expect.objectContaining({ code: "skipped", file: ".infra", severity: "warning" }),
    ]);
  });

  it("never opens a FIFO, named on the command line or met in a folder", async () => {
    execFileSync("mkfifo", [join(dir, "named.yaml"), join(dir, "inside.tf")]);
    const outcome = await scanned("named.yaml", ".");
    const codes = outcome.errors.map((e) => [e.code, e.file, e.severity]);
    expect(codes).toEqual([
      ["file-unreadable", "named.yaml", "error"],
      ["file-unreadable", "inside.tf", "error"],
      ["file-unreadable", "named.yaml", "error"],
    ]);
  });

  it("never opens a FIFO that a Terraform module source points at", async () => {
    mkdirSync(join(dir, "stack"));
    mkdirSync(join(dir, "module"));
    writeFileSync(join(dir, "stack/main.tf"), 'module "logging" {\n  source = "../module"\n}\n');
    execFileSync("mkfifo", [join(dir, "module/main.tf")]);
    const outcome = await scanned("stack");
    expect(outcome.errors).toContainEqual(
      expect.objectContaining({ code: "file-unreadable", file: "module/main.tf", severity: "error" }),
    );
  });
});
