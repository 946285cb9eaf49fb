// Preloaded (`node --import`) into a benchmarked CLI run: writes the process's peak resident set size, in kB, to the
// file named by BENCH_RSS_FILE when it exits.
import { writeFileSync } from "node:fs";

const out = process.env.BENCH_RSS_FILE;
if (out) process.on("exit", () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
