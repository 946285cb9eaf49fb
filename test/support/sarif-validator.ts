import { execFile } from "node:child_process";
import { constants } from "node:fs";
import { access, chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import multitool from "@microsoft/sarif-multitool";

const run = promisify(execFile);

/**
 * Microsoft's SARIF validator (the Sarif.Multitool of @microsoft/sarif-multitool) with the rules GitHub code
 * scanning applies on upload ("Gh") and the SARIF specification's own ("Sarif"), the schema included.
 */
export const RULE_KINDS = "Gh;Sarif";

/** One process takes a few seconds to start; on a slow, busy machine much longer. */
export const SARIF_VALIDATION_TIMEOUT_MS = 120_000;

export interface SarifProblem {
  ruleId: string;
  level: string;
  /** Where in the log, as the validator gives it (a JSON path such as `runs[0].results[1].message`). */
  path: string;
  message: string;
}

interface ValidatorLog {
  runs: {
    tool: { driver: { rules?: { id: string; messageStrings?: Record<string, { text: string }> }[] } };
    results?: {
      ruleId: string;
      level?: string;
      message: { id?: string; text?: string; arguments?: string[] };
      locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
    }[];
  }[];
}

/**
 * npm may install the bundled binary without its execute bit (npm 11 does not run the package's postinstall,
 * which would chmod it): give it one.
 */
async function executable(): Promise<string> {
  const binary = multitool;
  try {
    await access(binary, constants.X_OK);
  } catch {
    await chmod(binary, (await stat(binary)).mode | 0o111);
  }
  return binary;
}

/**
 * Validates several SARIF logs in one run of the validator. Returns each log's problems, every level included;
 * an empty list is a log GitHub accepts and the specification allows.
 */
export async function validateSarif(logs: Record<string, unknown>): Promise<Record<string, SarifProblem[]>> {
  const dir = await mkdtemp(join(tmpdir(), "trailguard-sarif-"));
  try {
    const files = new Map<string, string>();
    for (const [name, log] of Object.entries(logs)) {
      const file = join(dir, `${files.size}.sarif`);
      await writeFile(file, typeof log === "string" ? log : JSON.stringify(log, null, 2));
      files.set(pathToFileURL(file).href, name);
    }
    const output = join(dir, "validation.sarif");
    await run(
      await executable(),
      [
        "validate",
        "--rule-kind",
        RULE_KINDS,
        "--output",
        output,
        ...[...files.keys()].map((u) => new URL(u).pathname),
      ],
      {
        timeout: SARIF_VALIDATION_TIMEOUT_MS,
        maxBuffer: 64 * 1024 * 1024,
        // The validator needs no culture data; without this a machine without libicu could not run it.
        env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1", DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
      },
    );
    const report = JSON.parse(await readFile(output, "utf8")) as ValidatorLog;
    const problems: Record<string, SarifProblem[]> = Object.fromEntries(
      Object.keys(logs).map((n) => [n, []]),
    );
    for (const validatorRun of report.runs) {
      const rules = new Map((validatorRun.tool.driver.rules ?? []).map((r) => [r.id, r]));
      for (const result of validatorRun.results ?? []) {
        const uri = result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? "";
        const name = files.get(uri);
        if (name === undefined) throw new Error(`the validator reported on an unknown file ${uri}`);
        const args = result.message.arguments ?? [];
        const template =
          result.message.text ??
          rules.get(result.ruleId)?.messageStrings?.[result.message.id ?? ""]?.text ??
          result.message.id ??
          "";
        problems[name]?.push({
          ruleId: result.ruleId,
          level: result.level ?? "warning",
          path: args[0] ?? "",
          message: template.replace(/\{(\d+)\}/g, (_, i: string) => args[Number(i)] ?? ""),
        });
      }
    }
    return problems;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Problems as lines, for an assertion's message. */
export function describeProblems(problems: SarifProblem[]): string {
  return problems.map((p) => `${p.ruleId} (${p.level}) ${p.path}: ${p.message}`).join("\n");
}
