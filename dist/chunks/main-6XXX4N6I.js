import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{a as t,c as s}from"./chunk-4HLUYT6G.js";import{a as o}from"./chunk-HXN5TCCQ.js";import"./chunk-RY3X5Q5J.js";import"./chunk-3K2HU6WA.js";import"./chunk-BQBWHMYX.js";process.stdout.on("error",r=>{throw r.code==="EPIPE"&&process.exit(process.exitCode??0),r});var e=o.ok,i=s(r=>{e=r});try{await i.parseAsync(process.argv)}catch(r){r instanceof t?e=r.exitCode===0?o.ok:o.inputError:(process.stderr.write(`trailguard: ${r.stack??String(r)}
`),e=o.inputError)}process.exitCode=e;
