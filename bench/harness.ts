// In-process entry points for the benchmark, bundled by bench/run.mjs with the same esbuild settings as dist/.
export { scan } from "../src/scan/index.js";
export { parseText } from "../src/sources/cloudformation/parse.js";
