import * as core from "@actions/core";
import type { Severity } from "../model/index.js";
import { plural, reporters, summarize } from "../report/index.js";
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

const SEVERITIES = ["critical", "high", "medium", "low", "info", "none"] as const;

/** The GitHub Action: read inputs, run the same scan as the CLI, write SARIF, summary and outputs. Nothing else. */
export async function run(): Promise<void> {
  try {
    const paths = list(core.getInput("path") || ".");
    const loaded = resolveConfig(core.getInput("config") || undefined, paths[0] ?? ".");
    const settings = settingsOf(givenSettings(), loaded.config);
    const threshold = { failOn: settings.failOn, failOnUnknown: settings.failOnUnknown };

    const mode = core.getInput("mode") || "iac";
    if (mode !== "iac" && mode !== "live") throw new Error(`mode must be iac or live, not ${mode}`);
    const outcome = await scan({
      ...scanOptionsOf(settings),
      paths: mode === "iac" ? paths : [],
      live:
        mode === "live"
          ? {
              regions: list(core.getInput("regions")),
              lakeRegions: "home",
              snapshot: core.getInput("snapshot") || "trailguard-snapshot.json",
            }
          : undefined,
      version: version(),
      errors: loaded.errors,
      policiesDir: builtInPoliciesDir(),
      cisExact: core.getInput("cis-exact") === "true",
    });
    const report = reportOf(outcome, version());
    const render = {
      includePassed: false,
      color: false,
      automationId: core.getInput("category") || "trailguard/",
    };

    const sarifFile = core.getInput("sarif-file") || "trailguard.sarif";
    writeFileAtomic(sarifFile, reporters.sarif(report, render));

    for (const error of outcome.errors) {
      const properties = {
        file: error.file,
        startLine: error.line,
        startColumn: error.column,
        title: "trailguard",
      };
      if (error.severity === "error") core.error(error.message, properties);
      else core.warning(error.message, properties);
    }
    if (core.getBooleanInput("job-summary")) {
      await core.summary.addRaw(reporters.markdown(report, render)).write();
    }

    const counts = summarize(report);
    const code = exitCode(outcome, threshold);
    core.setOutput("sarif-file", sarifFile);
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

/** The inputs that were given (not empty), in the settings' terms; the config file fills in the others. */
function givenSettings(): Partial<ScanSettings> {
  const out: Partial<ScanSettings> = {};
  const failOn = core.getInput("fail-on");
  if (failOn) {
    if (!(SEVERITIES as readonly string[]).includes(failOn)) {
      throw new Error(`fail-on must be one of ${SEVERITIES.join(", ")}, not ${failOn}`);
    }
    out.failOn = failOn as Severity | "none";
  }
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
