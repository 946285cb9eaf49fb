import { type Framework, loadPolicies } from "../engine/index.js";
import { CONTROL_STATUSES } from "../report/compliance.js";
import { escapeCell } from "../report/markdown.js";
import { builtInPoliciesDir } from "../scan/install-paths.js";
import { EXIT } from "../scan/verdict.js";

const STATUS_MEANING: Record<(typeof CONTROL_STATUSES)[number], string> = {
  met: "every rule that evidences the control passes, and they cover it fully",
  "not met": "a rule that evidences the control fails",
  partly: "the rules pass but cover only part of the control; the rest needs other evidence",
  unknown: "a rule could not be decided (an input that could not be read, or a rule error); none fails",
  manual: "a person must decide: the benchmark says manual, or no configuration check can",
  "not assessed": "no rule evidences the control, or its rules applied to nothing or were not run",
};

function controlRules(rules: string[]): string {
  return rules.length > 0 ? rules.join(", ") : "(none)";
}

function text(frameworks: Framework[]): string {
  const out: string[] = [];
  for (const f of frameworks) {
    out.push(`${f.id}  ${f.title}${f.version ? ` (version ${f.version})` : ""}`);
    const width = Math.max(...f.controls.map((c) => c.id.length));
    for (const c of f.controls) {
      const kind = c.manual ? "manual" : c.rules.length === 0 ? "no rule" : c.coverage;
      out.push(`  ${c.id.padEnd(width)}  ${(kind ?? "").padEnd(7)}  ${c.title}`);
      if (c.rules.length > 0) out.push(`  ${" ".repeat(width + 11)}rules: ${controlRules(c.rules)}`);
    }
    out.push("");
  }
  out.push("Control statuses in scan reports (--framework):");
  for (const s of CONTROL_STATUSES) out.push(`  ${s.padEnd(12)}  ${STATUS_MEANING[s]}`);
  return `${out.join("\n")}\n`;
}

function markdown(frameworks: Framework[]): string {
  const out: string[] = [];
  for (const f of frameworks) {
    out.push(`## ${escapeCell(f.title)} (\`${f.id}\`)`, "");
    out.push("| Control | Title | Family | Coverage | Manual | Rules |", "|---|---|---|---|---|---|");
    for (const c of f.controls) {
      const cells = [
        c.id,
        c.title,
        c.family,
        c.coverage ?? "—",
        c.manual ? "yes" : "",
        controlRules(c.rules),
      ];
      out.push(`| ${cells.map(escapeCell).join(" | ")} |`);
    }
    out.push("");
  }
  out.push("## Control statuses", "", "| Status | Meaning |", "|---|---|");
  for (const s of CONTROL_STATUSES) out.push(`| ${s} | ${STATUS_MEANING[s]} |`);
  return `${out.join("\n")}\n`;
}

function json(frameworks: Framework[]): string {
  const statuses = CONTROL_STATUSES.map((s) => ({ status: s, meaning: STATUS_MEANING[s] }));
  return `${JSON.stringify({ statuses, frameworks }, null, 2)}\n`;
}

/** `trailguard frameworks`: the built-in frameworks, their controls and the rules that evidence each. */
export async function runFrameworks(options: {
  framework: string[];
  format: "text" | "json" | "markdown";
}): Promise<number> {
  const policies = loadPolicies(builtInPoliciesDir());
  let failed = policies.errors.some((e) => e.severity === "error");
  for (const error of policies.errors) {
    process.stderr.write(
      `${error.severity}: ${error.file ?? ""}${error.line ? `:${error.line}` : ""}: ${error.message}\n`,
    );
  }
  let frameworks = policies.frameworks;
  if (options.framework.length > 0 && !options.framework.includes("all")) {
    const known = new Set(frameworks.map((f) => f.id));
    for (const id of options.framework.filter((id) => !known.has(id))) {
      process.stderr.write(
        `trailguard: unknown framework ${JSON.stringify(id)} (${[...known].join(", ")}, or all)\n`,
      );
      failed = true;
    }
    frameworks = frameworks.filter((f) => options.framework.includes(f.id));
  }
  const render = { text, json, markdown }[options.format];
  process.stdout.write(render(frameworks));
  return failed ? EXIT.inputError : EXIT.ok;
}
