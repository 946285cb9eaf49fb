import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { ExprSchema } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";
import { fromBinary } from "@bufbuild/protobuf";
import type { Rule } from "../model/index.js";
import { type CompiledExpression, compileOnUse } from "./cel.js";
import type { Framework, LoadedPack, LoadedRule } from "./packs.js";

/**
 * The built-in packs and frameworks as the build left them (scripts/build.mjs): read, schema-validated,
 * field-checked and type-checked once, stored as JSON beside the YAML. Starting from it skips the YAML parse and
 * the static checks, and each CEL expression is compiled only when a rule is first evaluated. It is used only
 * while the YAML files it was made from are unchanged (their digest); otherwise the YAML is loaded and checked.
 * Packs given by the user never take this path.
 */
export const PRECOMPILED_FILE = "precompiled.json";

export interface PrecompiledPolicies {
  digest: string;
  /** File paths relative to the policies folder. */
  packs: LoadedPack[];
  rules: PrecompiledRule[];
  frameworks: Framework[];
}

type PrecompiledRule = Rule & {
  messages?: { pass?: string; fail?: string };
  declaredAt: { file: string; line: number };
  /** Each expression's syntax tree as the CEL parser made it (protobuf, base64), by expression source. */
  parsed: Record<string, string>;
};

/** The pack and framework files a policies folder holds, in load order. */
export function policyFiles(policiesDir: string): string[] {
  return ["packs", "frameworks"].flatMap((sub) => {
    try {
      return readdirSync(join(policiesDir, sub))
        .filter((name) => /\.ya?ml$/.test(name))
        .sort()
        .map((name) => join(policiesDir, sub, name));
    } catch {
      return [];
    }
  });
}

/** Identifies the exact YAML a precompiled form was made from: names and contents of every policy file. */
export function policiesDigest(policiesDir: string): string {
  const hash = createHash("sha256");
  for (const file of policyFiles(policiesDir)) {
    hash.update(relative(policiesDir, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex");
}

/**
 * The serialisable form of policies loaded from `policiesDir` (with `cwd` = `policiesDir`, so paths are relative).
 * `encode` gives an expression's parsed syntax tree, stored so that starting does not run the CEL parser.
 */
export function toPrecompiled(
  policiesDir: string,
  loaded: { rules: LoadedRule[]; packs: LoadedPack[]; frameworks: Framework[] },
  encode: (source: string) => string,
): PrecompiledPolicies {
  return {
    digest: policiesDigest(policiesDir),
    packs: loaded.packs,
    rules: loaded.rules.map(
      ({ whenExpr, assertExpr, messageExprs, examples: _e, ...rule }): PrecompiledRule => ({
        ...rule,
        parsed: Object.fromEntries(
          [whenExpr, assertExpr, messageExprs?.pass, messageExprs?.fail].flatMap((e) =>
            e ? [[e.source, encode(e.source)]] : [],
          ),
        ),
        ...(messageExprs
          ? {
              messages: {
                ...(messageExprs.pass ? { pass: messageExprs.pass.source } : {}),
                ...(messageExprs.fail ? { fail: messageExprs.fail.source } : {}),
              },
            }
          : {}),
      }),
    ),
    frameworks: loaded.frameworks,
  };
}

/** The precompiled built-in policies of `policiesDir`, when present and made from its current YAML files. */
export function readPrecompiled(
  policiesDir: string,
  cwd: string,
): { rules: LoadedRule[]; packs: LoadedPack[]; frameworks: Framework[] } | undefined {
  let stored: PrecompiledPolicies;
  try {
    stored = JSON.parse(readFileSync(join(policiesDir, PRECOMPILED_FILE), "utf8")) as PrecompiledPolicies;
  } catch {
    return undefined;
  }
  if (stored.digest !== policiesDigest(policiesDir)) return undefined;
  const shown = (file: string) => relative(cwd, join(policiesDir, file)) || file;
  const rules = stored.rules.map(({ messages, declaredAt, parsed, ...rule }): LoadedRule => {
    const expression = (source: string) => {
      const tree = parsed[source];
      return compileOnUse(source, tree === undefined ? undefined : () => decode(tree));
    };
    const messageExprs: { pass?: CompiledExpression; fail?: CompiledExpression } = {};
    if (messages?.pass !== undefined) messageExprs.pass = expression(messages.pass);
    if (messages?.fail !== undefined) messageExprs.fail = expression(messages.fail);
    return {
      ...rule,
      assertExpr: expression(rule.assert),
      ...(rule.when !== undefined ? { whenExpr: expression(rule.when) } : {}),
      ...(messages ? { messageExprs } : {}),
      declaredAt: { file: shown(declaredAt.file), line: declaredAt.line },
    };
  });
  return {
    rules,
    packs: stored.packs.map((pack) => ({ ...pack, file: shown(pack.file) })),
    frameworks: stored.frameworks,
  };
}

function decode(tree: string) {
  return fromBinary(ExprSchema, Buffer.from(tree, "base64"));
}
