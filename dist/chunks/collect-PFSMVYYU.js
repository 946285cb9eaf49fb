import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
import{h as a,i as b}from"./chunk-MAJ37VK5.js";import"./chunk-DAQEXJT3.js";import"./chunk-GGW2EEIV.js";import"./chunk-3EJYPSLA.js";import"./chunk-PPUS7BYI.js";import"./chunk-RLWIBWP5.js";import"./chunk-BQBWHMYX.js";export{b as collectAccount,a as collectLive};
