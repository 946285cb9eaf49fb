import { REPO_ROOT } from "../support/paths.js";
import { actionYml } from "./runner-env.js";

/** @actions/core as the action sees it, with what the step would write recorded. */
export const step = {
  inputs: {} as Record<string, string>,
  read: new Set<string>(),
  outputs: {} as Record<string, unknown>,
  failed: [] as string[],
  annotations: [] as { level: string; message: string; properties?: { file?: string; title?: string } }[],
  summaries: [] as string[],
};

/** The functions of @actions/core the action calls, recording into `step`. */
export const mockCore = (() => {
  const getInput = (name: string) => {
    step.read.add(name);
    return step.inputs[name] ?? "";
  };
  const record = (level: string) => (message: string, properties?: { file?: string; title?: string }) => {
    step.annotations.push({ level, message, properties });
  };
  const summary = {
    text: "",
    addRaw(text: string) {
      summary.text += text;
      return summary;
    },
    async write() {
      step.summaries.push(summary.text);
      summary.text = "";
      return summary;
    },
  };
  return {
    getInput,
    getBooleanInput: (name: string) => {
      const value = getInput(name);
      if (["true", "True", "TRUE"].includes(value)) return true;
      if (["false", "False", "FALSE"].includes(value)) return false;
      throw new TypeError(`Input does not meet YAML 1.2 "Core Schema" specification: ${name}`);
    },
    setOutput: (name: string, value: unknown) => {
      step.outputs[name] = value;
    },
    setFailed: (message: string) => {
      step.failed.push(message);
    },
    error: record("error"),
    warning: record("warning"),
    notice: record("notice"),
    info: () => {},
    summary,
  };
})();

/** action.yml's defaults, as the runner passes them; the token is left empty (no API in these tests). */
const defaults = Object.fromEntries(
  Object.entries(actionYml.inputs).map(([name, spec]) => [
    name,
    spec.default === "${{ github.token }}" ? "" : (spec.default ?? ""),
  ]),
);

/** Runs the action's run() once with the inputs over action.yml's defaults, in the repository's top folder. */
export async function runStep(run: () => Promise<void>, inputs: Record<string, string>, cwd = REPO_ROOT) {
  step.inputs = { ...defaults, ...inputs };
  step.read.clear();
  step.outputs = {};
  step.failed = [];
  step.annotations = [];
  step.summaries = [];
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    await run();
  } finally {
    process.chdir(previous);
  }
}
