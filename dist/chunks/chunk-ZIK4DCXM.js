import { createRequire as __tgCreateRequire } from "node:module"; const require = __tgCreateRequire(import.meta.url);
var e={name:"aws-cli-exports",extensions:[".json",".error.txt"]};export{e as a};
