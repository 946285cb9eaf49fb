import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{B as e}from"./chunk-FVCGM5L2.js";import{a as o}from"./chunk-BQBWHMYX.js";function s(t){for(let r of t){let i=r.file?`${e(r.file)}${r.line?`:${r.line}`:""}: `:"";process.stderr.write(`${r.severity}[${r.code}]: ${i}${e(r.message)}
`)}}o(s,"printErrors");export{s as a};
