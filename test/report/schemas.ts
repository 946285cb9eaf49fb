import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import Ajv04Module from "ajv-draft-04";
import addFormatsModule from "ajv-formats";

// These packages are CommonJS; under NodeNext the default import is `module.exports`, whose `default` is the export.
const Ajv04 = Ajv04Module.default;
const addFormats = addFormatsModule.default;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The shared folder next to the checkout, or `TRAILGUARD_SHARED`. */
const sharedDir = process.env.TRAILGUARD_SHARED ?? path.resolve(repoRoot, "../shared");

export const sarifSchemaPath = path.resolve(sharedDir, "schemas/sarif-schema-2.1.0.json");

function readJson(file: string): object {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as object;
  } catch (error) {
    throw new Error(
      `cannot read schema ${file} (set TRAILGUARD_SHARED to the shared folder): ${String(error)}`,
    );
  }
}

/** The official OASIS SARIF 2.1.0 (errata01) schema, draft-04. */
export function sarifValidator(): ValidateFunction {
  const ajv = new Ajv04({ allErrors: true, strictRequired: false });
  addFormats(ajv);
  return ajv.compile(readJson(sarifSchemaPath));
}

/** trailguard's own JSON report schema (draft-07), in strict mode. */
export function jsonReportValidator(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(readJson(path.resolve(repoRoot, "policies/schema/json-report.schema.json")));
}

export function errorsOf(validate: ValidateFunction): string {
  return JSON.stringify(validate.errors, null, 2);
}
