import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{g as a,h as b}from"./chunk-4Y52DOUO.js";import"./chunk-7LKY2E7G.js";import"./chunk-KG5VPPRA.js";import"./chunk-PPUS7BYI.js";import"./chunk-RLWIBWP5.js";import"./chunk-BQBWHMYX.js";export{b as collectAccount,a as collectLive};
