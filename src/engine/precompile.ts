import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "@bufbuild/cel";
import { ExprSchema } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";
import { create, toBinary } from "@bufbuild/protobuf";
import type { InputError } from "../model/index.js";
import { loadPolicies } from "./packs.js";
import { PRECOMPILED_FILE, type PrecompiledPolicies, toPrecompiled } from "./precompiled.js";

/**
 * Build step: loads the YAML policies of `policiesDir` with every check and writes their precompiled form beside
 * them. Any problem, even a warning, fails: built-in policies must load cleanly.
 */
export function precompilePolicies(policiesDir: string): PrecompiledPolicies {
  // An existing precompiled form is not read: the YAML is what gets checked.
  const loaded = loadPolicies(policiesDir, [], policiesDir, { precompiled: false });
  if (loaded.errors.length > 0) throw new Error(`built-in policies do not load:\n${describe(loaded.errors)}`);
  const precompiled = toPrecompiled(policiesDir, loaded, (source) =>
    // Parsed again: the loaded rules' trees are already instrumented by the meter (cel-budget.ts).
    Buffer.from(toBinary(ExprSchema, parse(source).expr ?? create(ExprSchema))).toString("base64"),
  );
  writeFileSync(join(policiesDir, PRECOMPILED_FILE), `${JSON.stringify(precompiled)}\n`);
  return precompiled;
}

function describe(errors: InputError[]): string {
  return errors.map((e) => `  ${e.file ?? ""}:${e.line ?? 0}: ${e.severity}: ${e.message}`).join("\n");
}
