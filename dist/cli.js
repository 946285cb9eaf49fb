#!/usr/bin/env node
import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{e as t,h as o,i as s}from"./chunks/chunk-S4HII55H.js";process.stdout.on("error",r=>{throw r.code==="EPIPE"&&process.exit(process.exitCode??0),r});var e=o.ok,i=s(r=>{e=r});try{await i.parseAsync(process.argv)}catch(r){r instanceof t?e=r.exitCode===0?o.ok:o.inputError:(process.stderr.write(`trailguard: ${r.stack??String(r)}
`),e=o.inputError)}process.exitCode=e;
