// Preloaded with `node --import`: writes what the program loads to the file RECORD_LOADS_FILE names, one line each:
// `url <url>` for every ES module (through the loader's hooks, which see dynamic imports too) and `builtin <name>`
// for every Node built-in module loaded by the end (process.moduleLoadList, which also sees require()).
import { appendFileSync } from "node:fs";
import { register } from "node:module";

const file = process.env.RECORD_LOADS_FILE;
if (!file) throw new Error("RECORD_LOADS_FILE is not set");
register("./record-loads-hooks.mjs", import.meta.url, { data: { file } });
process.on("exit", () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith("NativeModule "));
  appendFileSync(file, builtins.map((m) => `builtin ${m.slice("NativeModule ".length)}\n`).join(""));
});
