import { Command, InvalidArgumentError, Option } from "commander";
// These two small modules are imported directly, not through scan/index.ts, which would load the whole scan
// pipeline (parsers, CEL) before `--version` or `--help` could answer.
import { VERSION_OPTION, version } from "../scan/install-paths.js";
import type { LiveInput } from "../scan/live.js";
import { EXIT } from "../scan/verdict.js";
import { parseShard } from "../sources/aws/organization/shard.js";

export { EXIT };

const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
const FORMATS = ["text", "json", "sarif", "markdown", "html"] as const;

export interface ScanCliOptions {
  config?: string;
  baseline?: string;
  writeBaseline?: string;
  inlineSuppressions: boolean;
  format: string[];
  output: string[];
  pack: string[];
  rules: string[];
  skipRules: string[];
  framework: string[];
  cisExact: boolean;
  failOn: (typeof SEVERITIES)[number] | "none";
  failOnUnknown: boolean;
  scope: "resource" | "account";
  includePassed: boolean;
  category: string;
  maxFileSize: number;
  varFile: string[];
  maxInstances: number;
  quiet: boolean;
  color?: boolean;
}

/** Where and how to read a live AWS account (`--live`) or a whole organization (`--org`). */
export interface LiveCliOptions extends Omit<LiveInput, "org"> {
  live?: boolean;
  snapshot?: string;
  org?: boolean;
  roleName?: string;
  externalId?: string;
  accounts?: string[];
  excludeAccounts?: string[];
  ou?: string[];
  accountTimeout?: number;
  shard?: { index: number; count: number };
}

/** The live input the options ask for: `--org` reads the organization, `--live` the calling account. */
export function liveInputOf(options: LiveCliOptions): LiveInput | undefined {
  if (!options.live && !options.org) return undefined;
  return {
    profile: options.profile,
    region: options.region,
    regions: options.regions,
    lakeRegions: options.lakeRegions,
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.org
      ? {
          org: {
            roleName: options.roleName,
            externalId: options.externalId,
            accounts: options.accounts,
            excludeAccounts: options.excludeAccounts,
            ous: options.ou,
            ...(options.accountTimeout ? { accountTimeoutSeconds: options.accountTimeout } : {}),
            ...(options.shard ? { shard: options.shard } : {}),
          },
        }
      : {}),
  };
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
    .description(
      "Compliance-as-code checks for AWS CloudTrail in CloudFormation, Terraform, AWS CLI exports, snapshots and " +
        "live accounts, with SARIF output.",
    )
    .version(version(), VERSION_OPTION.flags)
    .showHelpAfterError()
    .exitOverride();

  program
    .command("scan")
    .description("Scan files and folders (or a live account), and report findings")
    .argument("[paths...]", "files or folders to scan (default: . unless --live)")
    .option("--pack <file>", "add a rule pack (YAML); repeatable", collect, [])
    .option("--rules <ids>", "only these rules (comma-separated ids or globs such as bucket.*)", list, [])
    .option("--skip-rules <ids>", "leave these rules out (comma-separated ids or globs)", list, [])
    .option(
      "--framework <id>",
      "add a per-control compliance section for this framework (see `trailguard frameworks`); repeatable, or all",
      collect,
      [],
    )
    .option(
      "--cis-exact",
      "CIS monitoring rules also require each metric filter to be the exact CIS/Security Hub text",
      false,
    )
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
    .option("--max-file-size <MB>", "skip and report files larger than this", parsePositive, 10)
    .option(
      "--var-file <file>",
      "Terraform variable file, as with terraform -var-file; repeatable",
      collect,
      [],
    )
    .option(
      "--max-instances <n>",
      "Terraform count / for_each instances per resource beyond which it is reported, not expanded",
      parsePositive,
      10000,
    )
    .option("-q, --quiet", "print nothing on standard output unless a format is sent there", false)
    .option("--no-color", "no ANSI colour in text output")
    .option("--live", "also read the AWS account of the current credentials (default chain, or --profile)")
    .option(
      "--snapshot <file>",
      "with --live: write the collected inventory there, and point findings into it",
    )
    .option(
      "--config <file>",
      "project config (else the first .trailguard.yml from the scan root up to the repository's top)",
    )
    .option("--baseline <file>", "findings recorded in this baseline are existing: shown, not failing")
    .option("--write-baseline <file>", "record the current failing and unknown findings as a baseline")
    .option(
      "--no-inline-suppressions",
      "ignore trailguard:ignore comments in the scanned files (and say how many)",
    )
    .action(async (paths: string[], options: ScanCliOptions & LiveCliOptions, command: Command) => {
      const { runScan } = await import("./scan-command.js");
      // The config file fills in what the command line did not say.
      const given = new Set(
        command.options
          .map((o) => o.attributeName())
          .filter((name) => command.getOptionValueSource(name) === "cli"),
      );
      setExitCode(await runScan(paths, options, given));
    });
  addReportOptions(program.commands.at(-1) as Command);
  addLiveOptions(program.commands.at(-1) as Command);

  const exporter = program
    .command("export")
    .description(
      "Write a snapshot of a live AWS account's CloudTrail set-up (scan it later with `trailguard scan`)",
    )
    .option("--live", "read the AWS account of the current credentials")
    .requiredOption("-o, --output <file>", "the snapshot file to write")
    .action(async (options: LiveCliOptions & { output: string }) => {
      const { runExport } = await import("./export-command.js");
      setExitCode(await runExport(options));
    });
  addLiveOptions(exporter);

  const merge = program
    .command("merge")
    .description(
      "Merge the reports or snapshots of several scans (the shards of an organization scan) into one report",
    )
    .argument("<inputs...>", "JSON reports, SARIF logs or snapshots of the scans to merge")
    .option(
      "--framework <id>",
      "for snapshots: add a per-control compliance section for this framework; repeatable, or all",
      collect,
      [],
    );
  addReportOptions(merge);
  merge.action(async (files: string[], options: import("./merge-command.js").MergeCliOptions) => {
    const { runMerge } = await import("./merge-command.js");
    setExitCode(await runMerge(files, options));
  });

  program
    .command("init")
    .description("Write a commented starter config file (.trailguard.yml)")
    .option("-o, --output <file>", "where to write it", ".trailguard.yml")
    .option("--force", "overwrite an existing file", false)
    .action(async (options: { output: string; force: boolean }) => {
      const { runInit } = await import("./init-command.js");
      setExitCode(runInit(options));
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

  program
    .command("frameworks")
    .description("List the compliance frameworks, their controls and the rules that evidence each")
    .option("--framework <id>", "only this framework; repeatable", collect, [])
    .addOption(
      new Option("-f, --format <format>", "output format")
        .choices(["text", "json", "markdown"])
        .default("text"),
    )
    .action(async (options: { framework: string[]; format: "text" | "json" | "markdown" }) => {
      const { runFrameworks } = await import("./frameworks-command.js");
      setExitCode(await runFrameworks(options));
    });

  return program;
}

/** The report options scan and merge share: formats paired with outputs, passes, the SARIF category. */
function addReportOptions(command: Command): void {
  command
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
    .option("--include-passed", "also report passing checks (SARIF, text, Markdown)", false)
    .option(
      "--category <id>",
      "SARIF automationDetails id (category/run), for several uploads",
      "trailguard/",
    );
}

function addLiveOptions(command: Command): void {
  command
    .option("--profile <name>", "AWS profile for --live (else the default credential chain)")
    .option("--region <region>", "home region for --live: account-wide and global calls")
    .option("--regions <list>", "with --live, only these regions (comma-separated)", list, [])
    .addOption(
      new Option(
        "--lake-regions <where>",
        "where --live lists CloudTrail Lake event data stores: the home region, all regions (one call each), none",
      )
        .choices(["home", "all", "none"])
        .default("home"),
    )
    .option("--org", "read every account of the organization (from the management or a delegated account)")
    .option(
      "--role-name <name>",
      "with --org, the role assumed in each member account",
      "OrganizationAccountAccessRole",
    )
    .option("--external-id <id>", "with --org, the external id the member role requires")
    .option("--accounts <ids>", "with --org, only these account ids (comma-separated)", list, [])
    .option("--exclude-accounts <ids>", "with --org, not these account ids (comma-separated)", list, [])
    .option(
      "--ou <ids>",
      "with --org, only accounts under these OUs, at any depth (comma-separated)",
      list,
      [],
    )
    .option("--concurrency <n>", "AWS calls in flight at once, over every account", parsePositive)
    .option(
      "--account-timeout <seconds>",
      "with --org, time one account (the calling one included) may take",
      parsePositive,
    )
    .option(
      "--shard <i/n>",
      "with --org, only shard i of n of the accounts (stable: by a hash of the account id); merge the reports",
      shardOf,
    );
}

function shardOf(value: string): { index: number; count: number } {
  const shard = parseShard(value);
  if (!shard) throw new InvalidArgumentError("expected i/n with 1 <= i <= n, such as 2/3");
  return shard;
}

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("expected a positive number");
  return n;
}
