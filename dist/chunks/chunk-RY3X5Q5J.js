import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{a as t}from"./chunk-BQBWHMYX.js";function d(u){let n=/^(\d+)\/(\d+)$/.exec(u.trim());if(!n)return;let r=Number(n[1]),e=Number(n[2]);if(!(!Number.isSafeInteger(e)||e<1||r<1||r>e))return{index:r,count:e}}t(d,"parseShard");export{d as a};
