// The loader hooks of record-loads.mjs. They run on the loader's own thread, so each load is written at once.
import { appendFileSync } from "node:fs";

let file;

export function initialize(data) {
  file = data.file;
}

export async function load(url, context, nextLoad) {
  appendFileSync(file, `url ${url}\n`);
  return nextLoad(url, context);
}
