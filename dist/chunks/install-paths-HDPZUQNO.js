import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-3K2HU6WA.js";import"./chunk-BQBWHMYX.js";export{b as VERSION_OPTION,a as builtInPoliciesDir,c as version};
