import { cloudFormationReader } from "../sources/cloudformation/index.js";
import { EXPORT_FILES } from "../sources/exports/files.js";
import type { FileSourceReader, GroupSourceReader } from "../sources/fragment.js";
import { snapshotReader } from "../sources/snapshot/index.js";
import { TERRAFORM_FILES, TERRAFORM_PLAN_FILES } from "../sources/terraform/files.js";

/**
 * A group reader whose code is imported by its `prepare()`, which the scan awaits before the first group when it has
 * files of the reader's extensions: a scan of YAML templates loads neither the Terraform nor the exports reader (a
 * JSON file may be a plan or an export, so it loads both).
 */
function onDemand(
  files: { name: string; extensions: string[] },
  load: () => Promise<GroupSourceReader>,
): GroupSourceReader {
  let reader: GroupSourceReader | undefined;
  const loaded = (): GroupSourceReader => {
    if (reader === undefined) throw new Error(`the ${files.name} reader is used before its prepare()`);
    return reader;
  };
  return {
    ...files,
    async prepare(mine) {
      reader ??= await load();
      await reader.prepare?.(mine);
    },
    group: (group, ctx) => loaded().group(group, ctx),
    read: (group, ctx) => loaded().read(group, ctx),
  };
}

const terraform = () => import("../sources/terraform/index.js");

/** Sources that read files together (a Terraform folder, a folder of exports); they see a scan's files first. */
export const groupReaders: GroupSourceReader[] = [
  // A plan claims the `.tf` files beside it (they locate its resources), so it comes before the folder reader.
  onDemand(TERRAFORM_PLAN_FILES, async () => (await terraform()).terraformPlanReader),
  onDemand(TERRAFORM_FILES, async () => (await terraform()).terraformReader),
  // A folder of AWS CLI output is one account; JSON it does not recognize is left to the file readers.
  onDemand(EXPORT_FILES, async () => (await import("../sources/exports/index.js")).awsCliExportsReader),
];

/** Single-file formats, tried in order; the first that recognizes a file reads it. */
export const fileReaders: FileSourceReader[] = [snapshotReader, cloudFormationReader];
