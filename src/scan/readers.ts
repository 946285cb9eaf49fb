import { cloudFormationReader } from "../sources/cloudformation/index.js";
import type { FileSourceReader, GroupSourceReader } from "../sources/fragment.js";

/** Sources that read files together (a Terraform folder, a folder of exports); they see a scan's files first. */
export const groupReaders: GroupSourceReader[] = [];

/** Single-file formats, tried in order; the first that recognizes a file reads it. */
export const fileReaders: FileSourceReader[] = [cloudFormationReader];
