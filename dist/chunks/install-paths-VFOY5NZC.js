import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{a,b}from"./chunk-7WL2V7ZY.js";import"./chunk-BQBWHMYX.js";export{a as builtInPoliciesDir,b as version};
