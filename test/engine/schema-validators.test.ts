import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { validateFramework, validatePack } from "../../src/engine/generated/schema-validators.js";
import { REPO_ROOT } from "../support/paths.js";
import { PROCESS_TIMEOUT_MS } from "../support/timeouts.js";

test(
  "the generated validators match policies/schema (node scripts/schema-validators.mjs)",
  () => {
    const fresh = execFileSync(
      process.execPath,
      [join(REPO_ROOT, "scripts/schema-validators.mjs"), "--stdout"],
      {
        encoding: "utf8",
      },
    );
    expect(readFileSync(join(REPO_ROOT, "src/engine/generated/schema-validators.js"), "utf8")).toBe(fresh);
  },
  PROCESS_TIMEOUT_MS,
);

test.each([
  [{ pack: { id: "p", title: "P" }, rules: [] }, false],
  [
    {
      pack: { id: "p", title: "P" },
      rules: [
        {
          id: "x.y",
          title: "t",
          description: "d",
          severity: "low",
          scope: "trail",
          assert: "true",
          remediation: "r",
        },
      ],
    },
    true,
  ],
  [
    {
      pack: { id: "p", title: "P" },
      rules: [
        {
          id: "x.y",
          title: "t",
          description: "d",
          severity: "urgent",
          scope: "trail",
          assert: "true",
          remediation: "r",
        },
      ],
    },
    false,
  ],
  [
    {
      pack: { id: "p", title: "P" },
      rules: [
        {
          id: "x.y",
          title: "t",
          description: "d",
          severity: "low",
          scope: "trail",
          assert: "true",
          remediation: "r",
          extra: 1,
        },
      ],
    },
    false,
  ],
  [
    {
      pack: { id: "p", title: "P" },
      rules: [
        {
          id: "x.y",
          title: "t",
          description: "d",
          severity: "low",
          scope: "trail",
          assert: "true",
          remediation: "r",
          helpUri: "not a uri",
        },
      ],
    },
    false,
  ],
])("pack schema: %j → %s", (pack, valid) => {
  expect(validatePack(pack)).toBe(valid);
});

test("framework schema requires rules per control", () => {
  expect(validateFramework({ framework: { id: "f", title: "F" }, controls: [{ id: "1", title: "t" }] })).toBe(
    false,
  );
  expect(
    validateFramework({
      framework: { id: "f", title: "F" },
      controls: [{ id: "1", title: "t", rules: ["a.b"] }],
    }),
  ).toBe(true);
});
