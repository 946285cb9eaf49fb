import { closeSync, openSync, readSync } from "node:fs";
import { basename, dirname } from "node:path/posix";
import type { Coverage, InputError, Maybe, ResourceListName } from "../../model/index.js";
import { KIND_OF_LIST, RESOURCE_LISTS } from "../../model/index.js";
import { readAccountId, readOrganization, readRegions } from "../aws-api/account.js";
import { whyNot } from "../aws-api/answers.js";
import { readBuckets } from "../aws-api/buckets.js";
import { COMMANDS, parseExportFileName, SELF_IDENTIFYING_FIRST_KEYS } from "../aws-api/commands.js";
import { readKeys } from "../aws-api/keys.js";
import { readEventDataStores } from "../aws-api/lake.js";
import { readAlarms, readLogGroups, readMetricFilters } from "../aws-api/monitoring.js";
import { readTopics } from "../aws-api/topics.js";
import { readTrails } from "../aws-api/trails.js";
import {
  emptyFragment,
  type GroupReadContext,
  type InventoryFragment,
  type SourceFileRef,
} from "../fragment.js";
import { ExportFolder } from "./folder.js";

/**
 * Splits a scan's files into export folders: a directory is one when it holds a file named after a command of
 * docs/exports.md, or a `describe-trails` output under another name. Its files with export names, and its JSON files
 * whose content shows a command's output, form the group; everything else (a CloudFormation template beside the
 * export) is left to the other readers.
 */
export function groupExports(files: SourceFileRef[]): SourceFileRef[][] {
  const byDir = new Map<string, SourceFileRef[]>();
  for (const file of files) {
    const dir = dirname(file.path);
    const list = byDir.get(dir) ?? [];
    list.push(file);
    byDir.set(dir, list);
  }
  const groups: SourceFileRef[][] = [];
  for (const dirFiles of byDir.values()) {
    const named = dirFiles.filter((f) => parseExportFileName(basename(f.path)));
    const others = dirFiles.filter((f) => f.path.endsWith(".json") && !parseExportFileName(basename(f.path)));
    const firstKeys = new Map(others.map((f) => [f, firstKeyOf(f.absolutePath)]));
    const isExport = named.length > 0 || others.some((f) => firstKeys.get(f) === "trailList");
    if (!isExport) continue;
    const recognized = others.filter((f) => SELF_IDENTIFYING_FIRST_KEYS.has(firstKeys.get(f) ?? ""));
    // The first file anchors the account: describe-trails when there is one.
    const rank = (f: SourceFileRef) => {
      const name = parseExportFileName(basename(f.path));
      if (name?.command.name === "describe-trails" && name.form === "json") return 0;
      if (firstKeys.get(f) === "trailList") return 1;
      return 2;
    };
    const group = [...named, ...recognized].sort(
      (a, b) => rank(a) - rank(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
    );
    groups.push(group);
  }
  return groups;
}

/** The first member name of a JSON object file, from its first kilobyte: enough to tell AWS CLI output apart. */
function firstKeyOf(absolutePath: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(absolutePath, "r");
    const buffer = Buffer.alloc(1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return /^\uFEFF?\s*\{\s*"([^"\\]{1,64})"\s*:/.exec(buffer.toString("utf8", 0, n))?.[1];
  } catch {
    // Unreadable: the scan reports it when the file is read for real.
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** What one export folder says about its account. */
export interface ExportRead {
  fragment: InventoryFragment;
  /** From `get-caller-identity`. */
  accountId: Maybe<string | null>;
  /** Enabled regions, from `describe-regions`. */
  regions: Maybe<string[] | null>;
  /**
   * Whether the folder shows the whole account for account-scope rules: true when `describe-trails` was read (it
   * lists the multi-region and organization trails of every region).
   */
  completeAccount: boolean;
  /** The lists the folder does not show whole (a listing file missing or holding an error). */
  coverage: Partial<Record<ResourceListName, Coverage>>;
}

/** Listings that make a folder a whole account; without one, resources of that kind are not collected. */
const LISTINGS = RESOURCE_LISTS.flatMap((list) =>
  COMMANDS.filter((c) => c.lists === list).map(
    (c) => [c.name, `${KIND_OF_LIST[list].title}s`, list] as const,
  ),
);

/** Reads one export folder (a group from `groupExports`). Never throws for bad input: problems become errors. */
export function readExportFolder(group: SourceFileRef[], ctx: GroupReadContext): ExportRead {
  const folder = new ExportFolder(group, ctx, (file) => parseExportFileName(basename(file.path)));
  const fragment = emptyFragment();
  const errors: InputError[] = [];
  const accountId = readAccountId(folder);
  const trails = readTrails(folder, errors);
  fragment.trails = trails.map((t) => t.trail);
  fragment.buckets = readBuckets(
    folder,
    accountId,
    trails.flatMap((t) => (t.bucketName ? [t.bucketName] : [])),
  );
  fragment.keys = readKeys(folder);
  fragment.logGroups = readLogGroups(folder);
  fragment.metricFilters = readMetricFilters(folder, fragment.logGroups);
  fragment.alarms = readAlarms(folder);
  fragment.topics = readTopics(folder);
  fragment.eventDataStores = readEventDataStores(folder);
  fragment.organization = readOrganization(folder);

  const absent: string[] = [];
  const coverage: ExportRead["coverage"] = {};
  for (const [command, what, list] of LISTINGS) {
    const answer = folder.answer(command);
    if (answer.kind === "absent") {
      coverage[list] = {
        state: "not-collected",
        reason: `the export has no ${basename(answer.expected ?? command)}`,
      };
      // describe-trails has its own error (readTrails): the folder is then no whole account.
      if (command !== "describe-trails") absent.push(`${basename(answer.expected ?? command)} (${what})`);
    } else if (answer.kind === "error" || answer.kind === "unusable" || answer.kind === "empty") {
      coverage[list] = { state: "not-collected", reason: whyNot(answer) };
    }
    if (answer.kind === "error" && command !== "describe-trails") {
      errors.push({
        code: "aws-error",
        file: answer.file,
        line: 1,
        column: 1,
        message: `${whyNot(answer)}: the account's ${what} are not in the inventory`,
        severity: "warning",
      });
    }
  }
  if (absent.length > 0) {
    errors.push({
      code: "export-missing",
      file: group[0]?.path,
      message: `the export has no ${absent.join(", ")}: resources of those kinds are not in the inventory`,
      severity: "warning",
    });
  }
  fragment.errors = [...folder.errors, ...errors];
  return {
    fragment,
    accountId,
    regions: readRegions(folder),
    completeAccount: folder.answer("describe-trails").kind === "json",
    coverage,
  };
}
