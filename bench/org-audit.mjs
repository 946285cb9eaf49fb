// Organization audit at scale: `scan --org` of an organization of 100 and of 1,000 member accounts held by
// moto_server, behind a loopback proxy that adds latency (50 ms ± jitter) to every call and answers throttling
// errors above per-API, per-account quotas. Measured in a child process; printed beside the lower bound the calls
// imply and the targets.
//
//   node bench/org-audit.mjs                     (needs moto_server on the PATH; skipped with a message otherwise)
//   BENCH_ORG_ACCOUNTS=100,1000 BENCH_LATENCY_MS=50 BENCH_JITTER_MS=10 node bench/org-audit.mjs
//   BENCH_CT_RATE / BENCH_CT_BURST, BENCH_ORGS_RATE / BENCH_ORGS_BURST, BENCH_STS_RATE: the quotas (per second)
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = join(root, ".bench-tmp");
const env = process.env;
const COUNTS = (env.BENCH_ORG_ACCOUNTS ?? "100,1000").split(",").map(Number);
const LATENCY = Number(env.BENCH_LATENCY_MS ?? 50);
const JITTER = Number(env.BENCH_JITTER_MS ?? 10);
// CloudTrail reads: 10 TPS per account and region (not adjustable); STS: 600 per second per calling account and
// region; Organizations publishes no rate, so it is held near the rate that sequential paging reaches at 50 ms.
const QUOTAS = {
  cloudtrail: { rate: Number(env.BENCH_CT_RATE ?? 10), burst: Number(env.BENCH_CT_BURST ?? 2) },
  organizations: { rate: Number(env.BENCH_ORGS_RATE ?? 10), burst: Number(env.BENCH_ORGS_BURST ?? 2) },
  sts: { rate: Number(env.BENCH_STS_RATE ?? 600), burst: Number(env.BENCH_STS_BURST ?? 100) },
};
const REGIONS = 17; // enabled regions each account lists (Account ListRegions, answered as AWS answers it)
const PAGE = 20;
const CORES = availableParallelism(); // ListAccounts gives at most 20 accounts a page
const TARGETS = { wallSeconds: 60, ratio: 1.3, rssMb: 300, lost: 0 };

const bundle = (entry, outfile) =>
  build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: ["node20"],
    minify: env.BENCH_MINIFY !== "0",
    logLevel: "warning",
    banner: {
      js: 'import { createRequire as __r } from "node:module"; const require = __r(import.meta.url);',
    },
  });

const missed = [];
const line = (name, value, unit, target, better = "≤") => {
  const ok = target === undefined ? undefined : better === "≤" ? value <= target : value >= target;
  if (ok === false) missed.push(name);
  const shown = (Number.isInteger(value) ? String(value) : value.toFixed(2)).padStart(9);
  const goal = target === undefined ? "" : `  target ${better} ${target} ${unit}  ${ok ? "ok" : "OVER"}`;
  console.log(`${name.padEnd(48)} ${shown} ${unit.padEnd(5)}${goal}`);
};

if (spawnSync("moto_server", ["--help"], { stdio: "ignore" }).status !== 0) {
  console.log("organization audit: moto_server is not installed; skipped");
} else {
  await measure();
  if (missed.length > 0) {
    console.log(`\norganization audit missed: ${missed.join("; ")}`);
    process.exitCode = 1;
  }
}

async function measure() {
  mkdirSync(tmp, { recursive: true });
  const fixture = join(tmp, "org-fixture.mjs");
  const child = join(tmp, "org-scan.mjs");
  await Promise.all([bundle("bench/org-fixture.ts", fixture), bundle("bench/org-scan.ts", child)]);
  const { awsAnswers, startMoto, startProxy, createOrganization, grow, throttle } = await import(
    pathToFileURL(fixture).href
  );
  const asAws = awsAnswers(REGIONS);
  const moto = await startMoto();
  const proxy = await startProxy(moto.endpoint);
  try {
    const org = await createOrganization(moto.endpoint);
    console.log(
      `\ntrailguard organization audit — latency ${LATENCY} ± ${JITTER} ms a call; quotas per account and region: ` +
        `CloudTrail ${QUOTAS.cloudtrail.rate}/s, Organizations ${QUOTAS.organizations.rate}/s, STS ${QUOTAS.sts.rate}/s; ` +
        `load average ${loadAverage()}`,
    );
    for (const count of COUNTS) {
      const setupStart = performance.now();
      await grow(moto.endpoint, org, count);
      const setupSeconds = (performance.now() - setupStart) / 1000;
      proxy.reset();
      const limits = throttle(QUOTAS);
      const spans = new Map();
      proxy.intercept = (request, body, key) => {
        const t = performance.now();
        const span = spans.get(key) ?? { times: [], cloudtrail: 0 };
        span.times.push(t);
        if (request.service === "cloudtrail") span.cloudtrail++;
        spans.set(key, span);
        return asAws(request, body, key) ?? limits.intercept(request, body, key);
      };
      proxy.latency = () => LATENCY + (Math.random() * 2 - 1) * JITTER;
      const cpuBefore = cpuSeconds(moto.pid);
      const proxyBefore = process.cpuUsage();
      const result = await runChild(child, proxy.endpoint, moto.env, count + 1);
      const motoCpu = cpuSeconds(moto.pid) - cpuBefore;
      const proxyUsage = process.cpuUsage(proxyBefore);
      const proxyCpu = (proxyUsage.user + proxyUsage.system) / 1e6;
      const calls = proxy.requests.length;
      const bound = lowerBound(proxy.requests, spans, count + 1);
      // The emulator and the proxy share the machine's cores with the scan; moto serves on one core (the GIL).
      const rigBound = Math.max(bound.seconds, motoCpu, (motoCpu + proxyCpu) / CORES);
      console.log(
        `\n${count} member accounts (+ the management account): organization built in ${setupSeconds.toFixed(1)} s; ` +
          `load average ${loadAverage()}`,
      );
      line(
        `${count}: wall time of the scan`,
        result.wallMs / 1000,
        "s",
        count >= 1000 ? TARGETS.wallSeconds : undefined,
      );
      line(`${count}: lower bound`, bound.seconds, "s");
      console.log(`    ${bound.why}`);
      line(`${count}: wall time / lower bound`, result.wallMs / 1000 / bound.seconds, "x");
      line(`${count}: CPU time of moto_server (one core: GIL)`, motoCpu, "s");
      line(`${count}: CPU time of the proxy`, proxyCpu, "s");
      line(`${count}: CPU time of the scan`, result.cpuSeconds, "s");
      line(
        `${count}: wall time / max(lower bound, emulator CPU)`,
        result.wallMs / 1000 / rigBound,
        "x",
        TARGETS.ratio,
      );
      line(`${count}: calls (at the endpoint, retries included)`, calls, "");
      line(`${count}: calls per account`, calls / (count + 1), "");
      console.log(`    per account: ${perOperation(proxy.requests, count + 1)}`);
      line(
        `${count}: throttled (Organizations, STS, CloudTrail)`,
        Object.values(limits.throttled).reduce((a, b) => a + b, 0),
        "",
      );
      console.log(`    ${JSON.stringify(limits.throttled)}`);
      line(`${count}: peak RSS of the scan`, result.maxRssMb, "MB", TARGETS.rssMb);
      line(`${count}: accounts lost (missing or unreachable)`, count + 1 - result.entered, "", TARGETS.lost);
      line(`${count}: accounts with an unread API`, result.withErrors, "", TARGETS.lost);
      if (result.errors > 0) console.log(`    first errors: ${JSON.stringify(result.firstErrors)}`);
    }
  } finally {
    await proxy.close();
    await moto.stop();
    rmSync(fixture, { force: true });
    rmSync(child, { force: true });
  }
}

/** `ListTrails 1, GetTrailStatus 1.01, …`: the calls of each operation, per account, most first. */
function perOperation(requests, accounts) {
  const counts = new Map();
  for (const r of requests) {
    const name = `${r.service}:${r.operation}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([name, n]) => `${name} ${(n / accounts).toFixed(2)}`)
    .join(", ");
}

/** Requests one after the other: a gap of more than half the latency starts a new wave. */
function waves(times) {
  let n = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of [...times].sort((a, b) => a - b)) {
    if (t - last > (LATENCY - JITTER) / 2) n++;
    last = t;
  }
  return n;
}

/** User and system CPU seconds of a process (Linux), 0 where it cannot be read. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").pop().split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function loadAverage() {
  return (
    spawnSync("cat", ["/proc/loadavg"], { encoding: "utf8" }).stdout.split(" ").slice(0, 3).join(" ") ||
    "unknown"
  );
}

/**
 * What no scan could beat with these calls: the accounts are known only page by page (ListAccounts, one page after
 * the other, at the latency and the Organizations rate), and the last page's accounts still need their own chain of
 * dependent calls (the shortest one any member took); no quota bucket can serve its calls faster than its rate.
 */
function lowerBound(requests, spans, accounts) {
  const pages = Math.ceil(accounts / PAGE);
  const orgs = QUOTAS.organizations;
  const paging = Math.max((pages * LATENCY) / 1000, Math.max(0, pages - orgs.burst) / orgs.rate);
  // A member's chain of dependent calls: its requests arrive in waves, a wave waiting for the previous one's answers
  // (at least one latency later); the least delayed member shows the shortest chain, AssumeRole one wave more.
  let depth = Number.POSITIVE_INFINITY;
  for (const [key, span] of spans) {
    if (key !== "testing") depth = Math.min(depth, waves(span.times));
  }
  if (!Number.isFinite(depth)) depth = 0;
  const chain = ((depth + 1) * LATENCY) / 1000;
  const bucketTime = (calls, quota) => Math.max(0, calls - quota.burst) / quota.rate;
  const sts = requests.filter((r) => r.operation === "AssumeRole").length;
  const stsBound = bucketTime(sts, QUOTAS.sts);
  let cloudtrail = 0;
  for (const span of spans.values())
    cloudtrail = Math.max(cloudtrail, bucketTime(span.cloudtrail, QUOTAS.cloudtrail));
  const parts = {
    "paging + member chain": paging + chain,
    "STS rate": stsBound,
    "CloudTrail rate of one account": cloudtrail,
  };
  const [name, seconds] = Object.entries(parts).sort((x, y) => y[1] - x[1])[0];
  return {
    seconds,
    why:
      `${name}: ${pages} ListAccounts pages ≥ ${paging.toFixed(2)} s, then the shortest member chain ` +
      `(${depth + 1} calls one after the other) ${chain.toFixed(2)} s; ${sts} AssumeRole at ${QUOTAS.sts.rate}/s ` +
      `≥ ${stsBound.toFixed(2)} s; one account's CloudTrail calls ≥ ${cloudtrail.toFixed(2)} s`,
  };
}

function runChild(script, endpoint, motoEnv, expected) {
  return new Promise((resolvePromise, reject) => {
    // e.g. BENCH_SCAN_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" profiles the scan alone
    const nodeArgs = (env.BENCH_SCAN_NODE_ARGS ?? "").split(" ").filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, script], {
      cwd: root,
      env: {
        ...process.env,
        ...motoEnv,
        AWS_ENDPOINT_URL: endpoint,
        BENCH_EXPECTED_ACCOUNTS: String(expected),
        BENCH_POLICIES: join(root, "policies"),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      try {
        resolvePromise(JSON.parse(last));
      } catch {
        reject(new Error(`the scan exited with ${code}: ${out.slice(-2000)}`));
      }
    });
  });
}
