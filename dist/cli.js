#!/usr/bin/env node
import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{b as e,c as r}from"./chunks/chunk-3K2HU6WA.js";import"./chunks/chunk-BQBWHMYX.js";import{writeSync as i}from"node:fs";import n from"node:module";var o=process.argv.slice(2);o.length===1&&e.words.includes(o[0])?i(1,`${r()}
`):(n.enableCompileCache?.(),await import("./chunks/main-6XXX4N6I.js"));
