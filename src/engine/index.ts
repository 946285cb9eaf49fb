export { type EvaluateOptions, evaluate } from "./evaluate.js";
export { type Framework, type LoadedPolicies, type LoadedRule, loadPolicies } from "./packs.js";
