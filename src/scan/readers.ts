import { cloudFormationReader } from "../sources/cloudformation/index.js";
import type { FileSourceReader } from "../sources/fragment.js";

/** File formats trailguard reads, tried in order; the first that recognizes a file reads it. */
export const fileReaders: FileSourceReader[] = [cloudFormationReader];
