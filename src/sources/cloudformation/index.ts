import type { FileSourceReader } from "../fragment.js";
import { collectExports, ExportTable } from "./exports.js";
import { readTemplate } from "./read.js";

export { readTemplate };

/** Reads AWS CloudFormation templates (YAML or JSON) into the normalized inventory. */
export const cloudFormationReader: FileSourceReader = {
  name: "cloudformation",
  extensions: [".yaml", ".yml", ".json", ".template"],
  begin: collectExports,
  read: (file, context) => readTemplate(file, context instanceof ExportTable ? context : undefined),
};
