import { cloudFormationReader } from "../sources/cloudformation/index.js";
import { awsCliExportsReader } from "../sources/exports/index.js";
import type { FileSourceReader, GroupSourceReader } from "../sources/fragment.js";
import { snapshotReader } from "../sources/snapshot/index.js";
import { terraformPlanReader, terraformReader } from "../sources/terraform/index.js";

/** Sources that read files together (a Terraform folder, a folder of exports); they see a scan's files first. */
export const groupReaders: GroupSourceReader[] = [
  // A plan claims the `.tf` files beside it (they locate its resources), so it comes before the folder reader.
  terraformPlanReader,
  terraformReader,
  // A folder of AWS CLI output is one account; JSON it does not recognize is left to the file readers.
  awsCliExportsReader,
];

/** Single-file formats, tried in order; the first that recognizes a file reads it. */
export const fileReaders: FileSourceReader[] = [snapshotReader, cloudFormationReader];
