import path from "node:path";
import { fileURLToPath } from "node:url";
import { isUnknown, type Unknown } from "../../../src/model/index.js";
import { readTemplate } from "../../../src/sources/cloudformation/index.js";
import type { InventoryFragment, SourceFile } from "../../../src/sources/fragment.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const fixturesRoot = path.join(repoRoot, "test/fixtures/cloudformation");

export function sourceFile(text: string, filePath = "template.yaml"): SourceFile {
  return { path: filePath, absolutePath: path.join(repoRoot, filePath), text };
}

/** Reads a template that must be recognized as CloudFormation. */
export function read(text: string, filePath = "template.yaml"): InventoryFragment {
  const result = readTemplate(sourceFile(text, filePath));
  if (result.status !== "read") throw new Error(`${filePath} was not recognized as CloudFormation`);
  return result.fragment;
}

/** The Unknown's reason; fails when the value is known. */
export function reasonOf(value: unknown): string {
  if (!isUnknown(value)) throw new Error(`expected Unknown, got ${JSON.stringify(value)}`);
  return (value as Unknown).reason;
}

export function errorsOf(fragment: InventoryFragment, severity: "error" | "warning") {
  return fragment.errors.filter((e) => e.severity === severity);
}

/** The model without positions (also those quoted in reasons), so the same template in YAML and JSON compares equal. */
export function withoutLocations(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v) => {
      if (key === "location" || key === "fieldLocations" || key === "line" || key === "column")
        return undefined;
      return typeof v === "string" ? v.replace(/line \d+/g, "line N").replace(/:\d+\)/g, ":N)") : v;
    }),
  );
}
