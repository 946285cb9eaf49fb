#!/usr/bin/env node
import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import e from"node:module";e.enableCompileCache?.();await import("./chunks/main-34WL4277.js");
