#!/usr/bin/env node
// The program's entry: it turns on V8's compile cache where Node has one (22.1 and later), so that each run after
// the first skips compiling the bundle, then loads the CLI. The cache must be on before the CLI's modules are
// compiled, hence this tiny module and the dynamic import. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
import nodeModule from "node:module";

nodeModule.enableCompileCache?.();
await import("./main.js");
