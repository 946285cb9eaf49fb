import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../support/paths.js";

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
}

export const actionYml = parse(readFileSync(join(REPO_ROOT, "action.yml"), "utf8")) as ActionYml;

/** The runner's name for an input's variable: `INPUT_` and the name upper-cased, spaces as underscores. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replaceAll(" ", "_").toUpperCase()}`;
}

/**
 * Every input as the runner sets it: the default of action.yml unless the step gives a value. Expressions in
 * defaults are evaluated by the runner; the only one, `${{ github.token }}`, becomes the job's token.
 */
export function inputEnvironment(
  given: Record<string, string>,
  token = "ghs_test-token",
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, spec] of Object.entries(actionYml.inputs)) {
    const value = given[name] ?? spec.default ?? "";
    env[inputVariable(name)] = value === "${{ github.token }}" ? token : value;
  }
  for (const name of Object.keys(given)) {
    if (!(name in actionYml.inputs)) throw new Error(`${name} is not an input of action.yml`);
  }
  return env;
}

/** Outputs from a GITHUB_OUTPUT file (`name<<delimiter`, the value, `delimiter`). */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) {
    outputs[match[1] as string] = match[3] as string;
  }
  return outputs;
}
