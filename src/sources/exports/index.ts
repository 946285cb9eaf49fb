import { emptyAccount, markCoverage, type ResourceListName } from "../../model/index.js";
import { type GroupSourceReader, mergeFragment } from "../fragment.js";
import { EXPORT_FILES } from "./files.js";
import { groupExports, readExportFolder } from "./read.js";

export type { ExportRead } from "./read.js";
export { readExportFolder };

/**
 * Reads folders of AWS CLI output (`aws cloudtrail describe-trails > describe-trails.json`, ...): one folder is one
 * account. File naming and the commands that produce each file: docs/exports.md.
 */
export const awsCliExportsReader: GroupSourceReader = {
  ...EXPORT_FILES,
  group: (files) => groupExports(files),
  read(group, ctx) {
    const read = readExportFolder(group, ctx);
    const first = group[0]?.path ?? ".";
    const folder = first.includes("/") ? first.slice(0, first.lastIndexOf("/")) : ".";
    const address = typeof read.accountId === "string" ? `arn:aws:::account/${read.accountId}` : folder;
    const account = emptyAccount(
      folder,
      { address, location: { file: first, line: 1, column: 1 } },
      read.completeAccount,
    );
    account.accountId = read.accountId;
    account.regions = read.regions;
    for (const [list, coverage] of Object.entries(read.coverage) as [
      ResourceListName,
      typeof read.coverage.trails,
    ][]) {
      if (coverage && coverage.state !== "complete")
        markCoverage(account, list, coverage.state, coverage.reason ?? "");
    }
    mergeFragment(account, read.fragment);
    return { accounts: [account], errors: read.fragment.errors };
  },
};
