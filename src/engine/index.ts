export { type EvaluateOptions, evaluate } from "./evaluate.js";
export {
  defaultFamily,
  type Framework,
  type FrameworkControl,
  type LoadedPack,
  type LoadedPolicies,
  type LoadedRule,
  loadPolicies,
} from "./packs.js";
