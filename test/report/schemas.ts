import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { REPO_ROOT } from "../support/paths.js";

// ajv-formats is CommonJS; under NodeNext the default import is `module.exports`, whose `default` is the export.
const addFormats = addFormatsModule.default;

/** trailguard's own JSON report schema (draft-07), in strict mode. SARIF is checked by sarif-validator.ts. */
export function jsonReportValidator(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const schema = path.resolve(REPO_ROOT, "policies/schema/json-report.schema.json");
  return ajv.compile(JSON.parse(readFileSync(schema, "utf8")) as object);
}

export function errorsOf(validate: ValidateFunction): string {
  return JSON.stringify(validate.errors, null, 2);
}
