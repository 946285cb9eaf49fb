import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as core from "@actions/core";
import type { Severity } from "../model/index.js";
import { reporters, summarize } from "../report/index.js";
import { builtInPoliciesDir, EXIT, exitCode, reportOf, scan, version } from "../scan/index.js";

const SEVERITIES = ["critical", "high", "medium", "low", "info", "none"] as const;

/** The GitHub Action: read inputs, run the same scan as the CLI, write SARIF, summary and outputs. Nothing else. */
export async function run(): Promise<void> {
  try {
    const failOn = core.getInput("fail-on") || "low";
    if (!(SEVERITIES as readonly string[]).includes(failOn)) {
      throw new Error(`fail-on must be one of ${SEVERITIES.join(", ")}, not ${failOn}`);
    }
    const scope = core.getInput("scope") || "resource";
    if (scope !== "resource" && scope !== "account")
      throw new Error(`scope must be resource or account, not ${scope}`);
    const threshold = {
      failOn: failOn as Severity | "none",
      failOnUnknown: core.getBooleanInput("fail-on-unknown"),
    };

    const outcome = await scan({
      paths: list(core.getInput("path") || "."),
      scope,
      policiesDir: builtInPoliciesDir(),
      packs: list(core.getInput("packs")),
      rules: list(core.getInput("rules")),
      skipRules: list(core.getInput("skip-rules")),
      cisExact: core.getInput("cis-exact") === "true",
    });
    const report = reportOf(outcome, version());
    const render = {
      includePassed: false,
      color: false,
      automationId: core.getInput("category") || "trailguard/",
    };

    const sarifFile = core.getInput("sarif-file") || "trailguard.sarif";
    mkdirSync(dirname(resolve(sarifFile)), { recursive: true });
    writeFileSync(sarifFile, reporters.sarif(report, render));

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
    core.setOutput("input-errors", outcome.errors.filter((e) => e.severity === "error").length);
    core.setOutput("exit-code", code);

    if (code !== EXIT.ok && !core.getBooleanInput("soft-fail")) {
      core.setFailed(
        code === EXIT.inputError
          ? "trailguard could not read some inputs (see the annotations)"
          : `trailguard found failing checks at or above ${failOn} (${counts.fail} failed, ${counts.unknown} unknown)`,
      );
    }
  } catch (error) {
    core.setFailed((error as Error).message);
  }
}

/** Comma- or newline-separated input. */
function list(value: string): string[] {
  return value
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
