import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{a as e}from"./chunk-BQBWHMYX.js";function i(o){for(let r of o){let t=r.file?`${r.file}${r.line?`:${r.line}`:""}: `:"";process.stderr.write(`${r.severity}[${r.code}]: ${t}${r.message}
`)}}e(i,"printErrors");export{i as a};
