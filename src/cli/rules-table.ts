import type { Rule } from "../model/index.js";

/** The rule table for the README. */
export function rulesTable(rules: Rule[]): string {
  const rows = rules.map(
    (rule) =>
      `| [\`${rule.id}\`](docs/rules.md#${anchor(rule.id)}) | ${rule.scope} | ${rule.severity} | ${cell(rule.title)} |`,
  );
  return ["| Rule | Scope | Severity | Checks |", "|---|---|---|---|", ...rows, ""].join("\n");
}

/** One section per rule, with an explicit anchor (SARIF `helpUri` links to it). */
export function rulesReference(rules: Rule[]): string {
  return rules
    .map((rule) => {
      const controls = rule.controls.map((c) => `\`${c.ref}\`${c.title ? ` ${c.title}` : ""}`);
      return [
        `<a id="${anchor(rule.id)}"></a>`,
        `### ${rule.id}`,
        "",
        `**${rule.title}** — ${rule.severity}, scope \`${rule.scope}\`, pack \`${rule.pack}\``,
        "",
        rule.description,
        "",
        ...(rule.when ? ["Applies when:", "", "```cel", rule.when.trim(), "```", ""] : []),
        "Passes when:",
        "",
        "```cel",
        rule.assert.trim(),
        "```",
        "",
        `Remediation: ${rule.remediation}`,
        "",
        ...(controls.length > 0 ? [`Controls: ${controls.join("; ")}`, ""] : []),
      ].join("\n");
    })
    .join("\n");
}

/** Rule ids are valid HTML ids as they are; SARIF help links use the same form. */
export function anchor(ruleId: string): string {
  return ruleId;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
