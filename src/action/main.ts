import { tmpdir } from "node:os";
import { join } from "node:path";
import * as core from "@actions/core";
import type { Severity } from "../model/index.js";
import { plural, renderPieces, reporters, summarize } from "../report/index.js";
import { withProgress } from "../report/progress.js";
import {
  builtInPoliciesDir,
  EXIT,
  exitCode,
  reportOf,
  resolveConfig,
  type ScanSettings,
  scan,
  scanOptionsOf,
  settingsOf,
  version,
  writeFileAtomic,
} from "../scan/index.js";
import type { OrganizationInput } from "../scan/live.js";
import { parseShard } from "../sources/aws/organization/shard.js";
import { type ActionRun, COMMENT_MODES, publish } from "./publish.js";

const SEVERITIES = ["critical", "high", "medium", "low", "info", "none"] as const;
const MODES = ["iac", "live", "org"] as const;
const LAKE_REGIONS = ["home", "all", "none"] as const;

/**
 * The GitHub Action: read inputs, run the same scan as the CLI, write the reports, then tell GitHub (annotations,
 * job summary, pull-request comment, outputs).
 */
export async function run(): Promise<void> {
  try {
    const paths = list(core.getInput("path") || ".");
    const loaded = resolveConfig(core.getInput("config") || undefined, paths[0] ?? ".");
    const settings = settingsOf(givenSettings(), loaded.config);
    const threshold = { failOn: settings.failOn, failOnUnknown: settings.failOnUnknown };

    const mode = oneOf("mode", MODES, "iac");
    const comment = oneOf("comment", COMMENT_MODES, "on-failure");
    const live = {
      regions: list(core.getInput("regions")),
      lakeRegions: oneOf("lake-regions", LAKE_REGIONS, "home"),
      snapshot: core.getInput("snapshot") || "trailguard-snapshot.json",
    };
    const org = organizationInput();
    const annotate = core.getInput("annotate") ? oneOf("annotate", SEVERITIES, "low") : settings.failOn;

    // An organization scan's progress goes to the job log, a plain line every few seconds.
    const progress = mode === "org" ? withProgress({ ...live, org }, false) : undefined;
    const outcome = await scan({
      ...scanOptionsOf(settings),
      paths: mode === "iac" ? paths : [],
      live: mode === "iac" ? undefined : { ...live, ...(progress?.input ?? {}) },
      version: version(),
      errors: loaded.errors,
      policiesDir: builtInPoliciesDir(),
      cisExact: core.getInput("cis-exact") === "true",
    }).finally(() => progress?.finish());
    const report = reportOf(outcome, version());
    const code = exitCode(outcome, threshold);
    const category = core.getInput("category") || "trailguard/";
    const render = { includePassed: false, color: false, automationId: category };

    const reportDir = process.env.RUNNER_TEMP || tmpdir();
    const files = {
      sarif: core.getInput("sarif-file") || "trailguard.sarif",
      json: core.getInput("report-json") || join(reportDir, "trailguard-report.json"),
      markdown: core.getInput("markdown-file") || join(reportDir, "trailguard-report.md"),
    };
    writeFileAtomic(files.sarif, reporters.sarif(report, render));
    writeFileAtomic(files.json, renderPieces("json", report, render));
    writeFileAtomic(files.markdown, reporters.markdown(report, render));

    const actionRun: ActionRun = {
      report,
      code,
      threshold,
      category,
      annotate,
      comment,
      changedFilesOnly: core.getBooleanInput("changed-files-only"),
      jobSummary: core.getBooleanInput("job-summary"),
      token: core.getInput("github-token"),
      failsStep: code !== EXIT.ok && !core.getBooleanInput("soft-fail"),
    };
    await publish(actionRun);

    const counts = summarize(report);
    core.setOutput("sarif-file", files.sarif);
    core.setOutput("report-json", files.json);
    core.setOutput("markdown", files.markdown);
    core.setOutput("failed", counts.fail);
    core.setOutput("unknown", counts.unknown);
    core.setOutput("passed", counts.pass);
    core.setOutput("suppressed", counts.suppressed);
    core.setOutput("existing", counts.existing);
    core.setOutput("input-errors", counts.inputErrors);
    core.setOutput("warnings", counts.warnings);
    core.setOutput("exit-code", code);

    if (code !== EXIT.ok && !core.getBooleanInput("soft-fail")) {
      core.setFailed(
        code === EXIT.inputError
          ? `trailguard could not read some inputs (${plural(counts.inputErrors, "input error", "input errors")}, ${plural(counts.warnings, "warning", "warnings")}; see the annotations)`
          : `trailguard found failing checks at or above ${settings.failOn} (${counts.fail} failed, ${counts.unknown} unknown)`,
      );
    }
  } catch (error) {
    core.setFailed((error as Error).message);
  }
}

/** Which member accounts `mode: org` reads, and how it enters them. */
function organizationInput(): OrganizationInput {
  const shardText = core.getInput("shard");
  const shard = shardText ? parseShard(shardText) : undefined;
  if (shardText && !shard)
    throw new Error(`shard must be i/n with 1 ≤ i ≤ n (such as 2/3), not ${shardText}`);
  const accounts = list(core.getInput("accounts"));
  return {
    roleName: core.getInput("role-name") || undefined,
    externalId: core.getInput("external-id") || undefined,
    ...(accounts.length > 0 ? { accounts } : {}),
    ...(shard ? { shard } : {}),
  };
}

/** An input that must be one of a few words; empty gives the default. */
function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = core.getInput(name) || fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new Error(`${name} must be one of ${allowed.join(", ")}, not ${value}`);
  }
  return value as T;
}

/** The inputs that were given (not empty), in the settings' terms; the config file fills in the others. */
function givenSettings(): Partial<ScanSettings> {
  const out: Partial<ScanSettings> = {};
  if (core.getInput("fail-on")) out.failOn = oneOf("fail-on", SEVERITIES, "low") as Severity | "none";
  const scope = core.getInput("scope");
  if (scope) {
    if (scope !== "resource" && scope !== "account") {
      throw new Error(`scope must be resource or account, not ${scope}`);
    }
    out.scope = scope;
  }
  if (core.getInput("fail-on-unknown")) out.failOnUnknown = core.getBooleanInput("fail-on-unknown");
  if (core.getInput("inline-suppressions")) {
    out.inlineSuppressions = core.getBooleanInput("inline-suppressions");
  }
  const packs = list(core.getInput("packs"));
  if (packs.length > 0) out.packs = packs;
  const rules = list(core.getInput("rules"));
  if (rules.length > 0) out.rules = rules;
  const skipRules = list(core.getInput("skip-rules"));
  if (skipRules.length > 0) out.skipRules = skipRules;
  const frameworks = list(core.getInput("frameworks"));
  if (frameworks.length > 0) out.frameworks = frameworks;
  const baseline = core.getInput("baseline");
  if (baseline) out.baseline = baseline;
  return out;
}

/** Comma- or newline-separated input. */
function list(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
