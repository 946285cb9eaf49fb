import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { parseDocument } from "yaml";
import { STARTER_CONFIG } from "../../src/cli/init-command.js";
import { validateConfig } from "../../src/engine/generated/schema-validators.js";
import { findConfig, loadConfig, resolveConfig, settingsOf } from "../../src/scan/index.js";
import { REPO_ROOT } from "../support/paths.js";
import { example, scanWithConfig, workspace } from "./support.js";

const ws = workspace();
const load = (name: string, text: string) => {
  ws.write(name, text);
  return loadConfig(name, ws.dir);
};

describe("the config file", () => {
  test("trailguard init's starter file passes the schema and loads without a problem", () => {
    expect(validateConfig(parseDocument(STARTER_CONFIG).toJS()), JSON.stringify(validateConfig.errors)).toBe(
      true,
    );
    const { config, errors } = load("starter.yml", STARTER_CONFIG);
    expect(errors).toEqual([]);
    expect(config).toMatchObject({ failOn: "low", failOnUnknown: true, scope: "resource", waivers: [] });
    // Its commented waiver example is a valid waiver once uncommented.
    const waiverExample = STARTER_CONFIG.slice(STARTER_CONFIG.indexOf("waivers: []\n") + 12).replace(
      /^#/gm,
      "",
    );
    const example = load("uncommented.yml", `waivers:\n${waiverExample}`);
    expect(example.errors).toEqual([]);
    expect(example.config?.waivers).toHaveLength(1);
  });

  test("the README's complete example is a valid config", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Project config"));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toContain("waivers:");
    const { config, errors } = load("readme.yml", yaml ?? "");
    expect(errors).toEqual([]);
    expect(config?.waivers.map((w) => w.permanent)).toEqual([false, true]);
  });

  test("loads every key, with paths relative to the file's folder", () => {
    const { config, errors } = load(
      "sub/full.yml",
      `version: 1
packs: [packs/extra.yaml]
rules: ["trail.*", bucket.versioning]
skip-rules: [trail.insights]
severity: { "bucket.*": high }
frameworks: [cis-aws-5.0.0]
fail-on: medium
fail-on-unknown: false
scope: account
output:
  - format: sarif
    file: out/trailguard.sarif
  - format: text
baseline: .trailguard-baseline.json
inline-suppressions: false
waivers:
  - rule: trail.insights
    resource: "*"
    reason: Insights are not worth their cost here.
    permanent: true
`,
    );
    expect(errors).toEqual([]);
    expect(config).toMatchObject({
      file: "sub/full.yml",
      packs: [join(ws.dir, "sub/packs/extra.yaml")],
      rules: ["trail.*", "bucket.versioning"],
      skipRules: ["trail.insights"],
      severity: { "bucket.*": "high" },
      frameworks: ["cis-aws-5.0.0"],
      failOn: "medium",
      failOnUnknown: false,
      scope: "account",
      output: [{ format: "sarif", file: join(ws.dir, "sub/out/trailguard.sarif") }, { format: "text" }],
      baseline: join(ws.dir, "sub/.trailguard-baseline.json"),
      inlineSuppressions: false,
    });
    expect(config?.waivers).toEqual([
      {
        rule: "trail.insights",
        resource: "*",
        reason: "Insights are not worth their cost here.",
        permanent: true,
        location: { file: join(ws.dir, "sub/full.yml"), line: 17, column: 1 },
      },
    ]);
  });

  test("a waiver without a reason is an error naming the config line; the other waivers still apply", () => {
    const { config, errors } = load(
      "noreason.yml",
      `fail-on: high
waivers:
  - rule: trail.insights
    resource: "*"
    reason: Insights are not worth their cost here.
    expires: 2026-12-31
  - rule: bucket.versioning
    resource: TrailBucket
    expires: 2026-12-31
`,
    );
    expect(errors).toEqual([
      {
        code: "waiver-invalid",
        file: "noreason.yml",
        line: 7,
        message: expect.stringContaining("waiver has no reason"),
        severity: "error",
      },
    ]);
    expect(config?.waivers.map((w) => w.rule)).toEqual(["trail.insights"]);
    expect(config?.failOn).toBe("high");
  });

  test.each([
    ["a reason of one word", "    reason: legacy\n    expires: 2026-12-31\n", "at least a sentence", 4],
    ["no expiry", "    reason: The bucket is replaced next quarter.\n", "waiver has no expiry", 2],
    [
      "an expiry and permanent",
      "    reason: The bucket is replaced next quarter.\n    expires: 2026-12-31\n    permanent: true\n",
      "a permanent waiver has no expiry",
      5,
    ],
    [
      "an expiry that is no date",
      "    reason: The bucket is replaced next quarter.\n    expires: 2026-13-01\n",
      "YYYY-MM-DD",
      5,
    ],
    [
      "an unquoted account id",
      "    account: 123456789012\n    reason: The bucket is replaced next quarter.\n    expires: 2026-12-31\n",
      "quote account ids",
      4,
    ],
  ])("a waiver with %s is refused at its line", (_name, body, message, line) => {
    const { config, errors } = load(
      "bad-waiver.yml",
      `waivers:\n  - rule: bucket.versioning\n    resource: TrailBucket\n${body}`,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      code: "waiver-invalid",
      file: "bad-waiver.yml",
      line,
      severity: "error",
    });
    expect(errors[0]?.message).toContain(message);
    expect(config?.waivers).toEqual([]);
  });

  test("an unknown key or a wrong value is config-invalid at its line; the rest of the file applies", () => {
    const { config, errors } = load("typo.yml", "fail-on: severe\nscope: account\nwaiver: []\n");
    expect(errors.map((e) => [e.code, e.line, e.severity])).toEqual([
      ["config-invalid", 1, "error"],
      ["config-invalid", 1, "error"],
    ]);
    const messages = errors.map((e) => e.message).join("\n");
    expect(messages).toContain("(waiver)");
    expect(messages).toContain("/fail-on must be one of critical, high, medium, low, info, none");
    expect(config?.failOn).toBeUndefined();
    expect(config?.scope).toBe("account");
  });

  test("a file that does not parse is config-invalid at the line of the problem", () => {
    const { config, errors } = load("broken.yml", "fail-on: high\nwaivers:\n  - rule: [\n");
    expect(config).toBeUndefined();
    expect(errors[0]).toMatchObject({ code: "config-invalid", file: "broken.yml", severity: "error" });
    expect(errors[0]?.line).toBeGreaterThanOrEqual(3);
  });

  test("is found by walking up from the scan root, and the walk stops at the repository's top", () => {
    const repo = join(ws.dir, "repo");
    mkdirSync(join(repo, "infra/stacks"), { recursive: true });
    mkdirSync(join(repo, ".git"));
    expect(findConfig(join(repo, "infra/stacks"))).toBeUndefined();
    writeFileSync(join(ws.dir, ".trailguard.yml"), "fail-on: high\n");
    // The file above the repository is not the repository's.
    expect(findConfig(join(repo, "infra/stacks"))).toBeUndefined();
    writeFileSync(join(repo, ".trailguard.yml"), "fail-on: critical\n");
    expect(findConfig(join(repo, "infra/stacks"))).toBe(join(repo, ".trailguard.yml"));
    writeFileSync(join(repo, "infra/.trailguard.yaml"), "fail-on: medium\n");
    expect(findConfig(join(repo, "infra/stacks"))).toBe(join(repo, "infra/.trailguard.yaml"));
    expect(resolveConfig(undefined, "repo/infra/stacks", ws.dir).config?.failOn).toBe("medium");
    expect(resolveConfig("missing.yml", ".", ws.dir).errors[0]).toMatchObject({
      code: "config-invalid",
      file: "missing.yml",
      severity: "error",
    });
  });

  test("what the front end was given explicitly overrides the file; the rest comes from it, else defaults", () => {
    const { config } = load("over.yml", "fail-on: high\nrules: [trail.*]\nscope: account\n");
    const settings = settingsOf({ failOn: "critical", rules: [] }, config);
    expect(settings).toMatchObject({
      failOn: "critical",
      rules: ["trail.*"],
      scope: "account",
      failOnUnknown: true,
    });
    expect(settingsOf({}, undefined)).toMatchObject({
      failOn: "low",
      scope: "resource",
      inlineSuppressions: true,
    });
  });

  test("severity overrides and rule selection apply to the scan", async () => {
    ws.write("sev/stack.yaml", example("examples/cloudformation/noncompliant.yaml"));
    ws.write(
      "sev/.trailguard.yml",
      'rules: ["bucket.*"]\nskip-rules: [bucket.tls-only]\nseverity:\n  "bucket.*": low\n  bucket.versioning: critical\n  nothing.*: high\n',
    );
    const { outcome } = await scanWithConfig(ws.dir, ["sev"], "sev/.trailguard.yml");
    const ids = new Set(outcome.findings.map((f) => f.ruleId));
    expect([...ids].every((id) => id.startsWith("bucket."))).toBe(true);
    expect(ids.has("bucket.tls-only")).toBe(false);
    const severity = (id: string) => outcome.findings.find((f) => f.ruleId === id)?.severity;
    expect(severity("bucket.versioning")).toBe("critical");
    expect(severity("bucket.public-access-blocked")).toBe("low");
    expect(outcome.errors).toContainEqual(
      expect.objectContaining({ code: "rule-selection", message: expect.stringContaining("nothing.*") }),
    );
  });
});
