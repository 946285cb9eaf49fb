import { Command, InvalidArgumentError, Option } from "commander";
import { version } from "../scan/install-paths.js";
import { EXIT } from "../scan/verdict.js";

export { EXIT };

const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
const FORMATS = ["text", "json", "sarif", "markdown"] as const;

export interface ScanCliOptions {
  format: string[];
  output: string[];
  pack: string[];
  rules: string[];
  skipRules: string[];
  failOn: (typeof SEVERITIES)[number] | "none";
  failOnUnknown: boolean;
  scope: "resource" | "account";
  includePassed: boolean;
  category: string;
  maxFileSize: number;
  quiet: boolean;
  color?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const list = (value: string, previous: string[]) => [
  ...previous,
  ...value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
];

/**
 * The command-line surface. Heavy modules (parsers, CEL, ajv) are imported inside the actions, so that
 * `--version` and `--help` start instantly.
 */
export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command("trailguard")
    .description("Compliance-as-code checks for AWS CloudTrail: CloudFormation templates, with SARIF output.")
    .version(version(), "-v, --version")
    .showHelpAfterError()
    .exitOverride();

  program
    .command("scan")
    .description("Scan files and folders, and report findings")
    .argument("[paths...]", "files or folders to scan", ["."])
    .option(
      "-f, --format <format>",
      `output format (${FORMATS.join(", ")}); repeat for several, paired in order with --output`,
      collect,
      [],
    )
    .option(
      "-o, --output <file>",
      "write the matching --format to this file (else standard output)",
      collect,
      [],
    )
    .option("--pack <file>", "add a rule pack (YAML); repeatable", collect, [])
    .option("--rules <ids>", "only these rules (comma-separated ids or globs such as bucket.*)", list, [])
    .option("--skip-rules <ids>", "leave these rules out (comma-separated ids or globs)", list, [])
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a finding at or above this severity fails")
        .choices([...SEVERITIES, "none"])
        .default("low"),
    )
    .option("--no-fail-on-unknown", "do not count undecidable (unknown) findings as failing for --fail-on")
    .addOption(
      new Option("--scope <scope>", "`account`: each path shows a whole account, so account rules apply")
        .choices(["resource", "account"])
        .default("resource"),
    )
    .option("--include-passed", "also report passing checks (SARIF, text, Markdown)", false)
    .option(
      "--category <id>",
      "SARIF automationDetails id (category/run), for several uploads",
      "trailguard/",
    )
    .option("--max-file-size <MB>", "skip and report files larger than this", parsePositive, 10)
    .option("-q, --quiet", "print nothing on standard output unless a format is sent there", false)
    .option("--no-color", "no ANSI colour in text output")
    .action(async (paths: string[], options: ScanCliOptions) => {
      const { runScan } = await import("./scan-command.js");
      setExitCode(await runScan(paths, options));
    });

  program
    .command("rules")
    .description("List the loaded rules")
    .option("--pack <file>", "add a rule pack (YAML); repeatable", collect, [])
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json", "markdown"])
        .default("text"),
    )
    .action(async (options: { pack: string[]; format: "text" | "json" | "markdown" }) => {
      const { runRules } = await import("./rules-command.js");
      setExitCode(await runRules(options));
    });

  return program;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
  return n;
}
