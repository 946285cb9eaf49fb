import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{g as a,h as b,i as c,j as d,k as e,l as f}from"./chunk-FUHXBPF6.js";import"./chunk-4RVNYHT7.js";import"./chunk-BQBWHMYX.js";export{b as SNAPSHOT_MARKER,a as SNAPSHOT_VERSION,d as looksLikeSnapshot,e as readSnapshot,f as snapshotReader,c as writeSnapshot};
