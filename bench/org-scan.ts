// The measured side of the organization benchmark, run in a child process: one `scan --org` of the organization
// behind AWS_ENDPOINT_URL, printed as one JSON line (wall time, peak RSS, what the report holds per account).
import { scan } from "../src/scan/index.js";

const expected = Number(process.env.BENCH_EXPECTED_ACCOUNTS ?? 0);
const start = performance.now();
const outcome = await scan({
  paths: [],
  scope: "resource",
  policiesDir: process.env.BENCH_POLICIES ?? "policies",
  version: "bench",
  live: {
    region: "us-east-1",
    regions: [],
    lakeRegions: "home",
    org: {},
    ...(process.env.BENCH_CONCURRENCY ? { concurrency: Number(process.env.BENCH_CONCURRENCY) } : {}),
  },
});
const wallMs = performance.now() - start;
const reported = new Set(outcome.findings.map((f) => f.account).filter((a) => a !== undefined));
const accountsOf = (keep: (e: (typeof outcome.errors)[number]) => boolean) =>
  new Set(outcome.errors.flatMap((e) => (keep(e) && e.account ? [e.account] : [])));
const unreachable = accountsOf((e) => e.code === "account-unreachable");
const withErrors = accountsOf((e) => e.severity === "error");
console.log(
  JSON.stringify({
    wallMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    expected,
    reported: reported.size,
    entered: [...reported].filter((a) => !unreachable.has(a)).length,
    withErrors: withErrors.size,
    errors: outcome.errors.length,
    firstErrors: outcome.errors.slice(0, 3).map((e) => e.message),
    findings: outcome.findings.length,
  }),
);
