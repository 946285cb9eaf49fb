#!/usr/bin/env node
// The program's entry. `trailguard --version` is answered here, without loading the CLI or node's streams.
// Otherwise it turns on V8's compile cache where Node has one (22.1 and later), so that each run after the first
// skips compiling the bundle, then loads the CLI. The cache must be on before the CLI's modules are compiled, hence
// this tiny module and the dynamic import. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import { writeSync } from "node:fs";
import nodeModule from "node:module";
import { VERSION_OPTION, version } from "../scan/install-paths.js";

const args = process.argv.slice(2);
if (args.length === 1 && (VERSION_OPTION.words as readonly string[]).includes(args[0] as string)) {
  // Straight to the file descriptor: `process.stdout` would load node's stream modules first.
  writeSync(1, `${version()}\n`);
} else {
  nodeModule.enableCompileCache?.();
  await import("./main.js");
}
