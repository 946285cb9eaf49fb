import { loadPolicies } from "../engine/index.js";
import { builtInPoliciesDir } from "../scan/install-paths.js";
import { EXIT } from "../scan/verdict.js";
import { rulesReference, rulesTable } from "./rules-table.js";

export async function runRules(options: {
  pack: string[];
  format: "text" | "json" | "markdown";
}): Promise<number> {
  const policies = loadPolicies(builtInPoliciesDir(), options.pack);
  for (const error of policies.errors) {
    process.stderr.write(
      `${error.severity}: ${error.file ?? ""}${error.line ? `:${error.line}` : ""}: ${error.message}\n`,
    );
  }
  if (options.format === "json") {
    const rules = policies.rules.map(
      ({ whenExpr: _w, assertExpr: _a, messageExprs: _m, examples: _e, declaredAt: _d, ...rule }) => rule,
    );
    process.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
  } else if (options.format === "markdown") {
    process.stdout.write(`${rulesTable(policies.rules)}\n${rulesReference(policies.rules)}`);
  } else {
    for (const rule of policies.rules) {
      process.stdout.write(
        `${rule.id.padEnd(32)} ${rule.severity.padEnd(9)} ${rule.scope.padEnd(17)} ${rule.title}\n`,
      );
    }
  }
  return policies.errors.some((e) => e.severity === "error") ? EXIT.inputError : EXIT.ok;
}
