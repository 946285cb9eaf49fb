import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { INPUT_ERROR_CODES } from "../../src/model/index.js";

const codes = Object.keys(INPUT_ERROR_CODES).sort();

describe("input error codes", () => {
  it("are documented in docs/errors.md, one row each, with the model's meaning", () => {
    const doc = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
    const rows = [...doc.matchAll(/^\| `([a-z-]+)` \| (.+) \|$/gm)];
    expect(rows.map((r) => r[1]).sort()).toEqual(codes);
    for (const [, code, meaning] of rows) {
      expect(meaning?.replaceAll("`", "")).toBe(INPUT_ERROR_CODES[code as keyof typeof INPUT_ERROR_CODES]);
    }
  });

  it("are the JSON report schema's enum", () => {
    const schema = JSON.parse(
      readFileSync(new URL("../../policies/schema/json-report.schema.json", import.meta.url), "utf8"),
    );
    expect([...schema.definitions.inputError.properties.code.enum].sort()).toEqual(codes);
  });
});
