import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-I2AL2SLW.js";import"./chunk-XUY6VN4S.js";import"./chunk-BQBWHMYX.js";export{b as SNAPSHOT_MARKER,a as SNAPSHOT_VERSION,d as looksLikeSnapshot,e as readSnapshot,f as snapshotReader,c as writeSnapshot};
