import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { promisify } from "node:util";
import { startAwsCliFork } from "./aws-cli-fork.js";
import { exportAccount } from "./export-script.js";
import { MOTO_FORK_URL, type Moto, type MotoEndpoint, probeMoto, startMoto, startMotoFork } from "./moto.js";
import { scenarios } from "./scenarios.js";

const run = promisify(execFile);

/**
 * What the test files of one run share, served on a loopback port by the global setup: each piece of work is done
 * once, when a test file first asks for it, and its result is reused by every later file.
 *
 * - `POST /notice` (text): printed once when the run ends;
 * - `GET /moto`: whether moto_server runs here;
 * - `GET /scenario/<name>`: the account of a scenario of scenarios.ts, built on a moto_server of its own;
 * - `GET /export/<name>`: the folder the documented export script wrote for that account.
 *
 * A scenario's server is never changed after it is built, so files may read it side by side.
 */
export interface RunService {
  url: string;
  /** PATH for the run's processes: the fast client of the real `aws` CLI first (aws-cli-fork.ts), when it runs. */
  path: string;
  /**
   * Starts building every scenario account and its export now, when moto_server runs here, instead of when a test
   * file first asks: for a run of the whole suite, whose files need them all.
   */
  prepareAll(): void;
  close(): Promise<void>;
}

/** At most this many scenario builds and exports at once: each runs the aws CLI, a Python process per call. */
const PARALLEL_JOBS = 2;

export async function startRunService(): Promise<RunService> {
  const notices = new Set<string>();
  const servers: Moto[] = [];
  let closed = false;
  const work = await mkdtemp(join(tmpdir(), "trailguard-run-"));
  const awsCli = await startAwsCliFork(work);
  const path = awsCli ? `${awsCli.dir}${delimiter}${await awsFirstOnPath()}` : await awsFirstOnPath();
  const once = memo();
  const limit = limiter(PARALLEL_JOBS);
  let motoFork: ReturnType<typeof startMotoFork> | undefined;
  const startFork = () => {
    motoFork ??= startMotoFork(work);
    return motoFork;
  };

  const account = (name: string) =>
    once(`scenario ${name}`, async () => {
      const scenario = Object.values(scenarios).find((s) => s.name === name);
      if (!scenario) throw new Error(`no scenario ${name}`);
      const moto = await startMoto();
      if (closed) {
        await moto.stop();
        throw new Error("the run has ended");
      }
      servers.push(moto);
      const env = { ...moto.env, PATH: path };
      await limit(() => scenario.build({ ...moto, env }));
      return { endpoint: moto.endpoint, env } satisfies MotoEndpoint;
    });

  const exported = (name: string) =>
    once(`export ${name}`, async () => {
      const moto = await account(name);
      const dir = join(work, "exports", name);
      await limit(() => exportAccount(moto, dir));
      return { dir };
    });

  /**
   * The job asked for, then the same job for every other scenario: a file that needs one scenario account (or
   * export) soon needs the others, and building them while the tests of that first one run saves waiting later.
   */
  const ahead = <T>(job: (name: string) => Promise<T>, name: string): Promise<T> => {
    const asked = job(name);
    for (const scenario of Object.values(scenarios)) job(scenario.name).catch(ignore);
    return asked;
  };

  const routes: [RegExp, (match: RegExpMatchArray, body: string) => Promise<unknown>][] = [
    [/^POST \/notice$/, async (_, body) => notices.add(body) && {}],
    [/^GET \/moto$/, async () => ({ available: await once("moto", probeMoto) })],
    [/^GET \/moto-fork$/, async () => ({ socket: (await startFork())?.socket ?? null })],
    [/^GET \/scenario\/([\w-]+)$/, async ([, name]) => ahead(account, name ?? "")],
    [/^GET \/export\/([\w-]+)$/, async ([, name]) => ahead(exported, name ?? "")],
  ];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const request = `${req.method} ${req.url}`;
      const route = routes.find(([pattern]) => pattern.test(request));
      const match = route && request.match(route[0]);
      if (!route || !match) {
        res.writeHead(404).end(`no route for ${request}`);
        return;
      }
      route[1](match, Buffer.concat(chunks).toString("utf8")).then(
        (value) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(value)),
        (error: unknown) => res.writeHead(500).end(error instanceof Error ? error.message : String(error)),
      );
    });
  });
  // A scenario build may take minutes on a busy machine: the default request timeouts must not end it.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.env[MOTO_FORK_URL] = `http://127.0.0.1:${port}/moto-fork`; // for startMoto(), here and in the test files

  return {
    url: `http://127.0.0.1:${port}`,
    path,
    prepareAll() {
      once("moto", probeMoto).then((available) => {
        if (available && !closed)
          for (const scenario of Object.values(scenarios)) exported(scenario.name).catch(ignore);
      }, ignore);
    },
    async close() {
      closed = true;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all(servers.map((s) => s.stop()));
      await Promise.all([awsCli?.stop(), motoFork?.then((fork) => fork?.stop())]);
      // Work started ahead that no test waited for ends (it fails fast once the servers are gone) before its
      // folder is removed: otherwise an export still writing there makes the removal fail.
      await once.settled();
      await rm(work, { recursive: true, force: true });
      for (const text of notices) process.stderr.write(`\n${text}\n`);
    },
  };
}

/** A failure of work done ahead is reported to the test file that asks for its result. */
const ignore = () => {};

/** Runs each named job once; later callers get the same promise (and the same failure). */
function memo() {
  const jobs = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, job: () => Promise<T>): Promise<T> => {
    let promise = jobs.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = job();
      jobs.set(key, promise);
    }
    return promise;
  };
  /** Resolves when every job started so far has ended, in success or failure. */
  once.settled = async () => {
    await Promise.allSettled(jobs.values());
  };
  return once;
}

/** Runs at most `count` jobs at a time, in the order they were asked for. */
function limiter(count: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (running >= count) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await job();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}

/**
 * PATH with the directory of the real `aws` executable first when it is behind a pyenv shim: the shim costs a tenth
 * of a second per call, and the scenarios make a few hundred calls. Same CLI, same version.
 */
let fastPath: Promise<string> | undefined;
function awsFirstOnPath(): Promise<string> {
  const path = process.env.PATH ?? "";
  fastPath ??= run("pyenv", ["which", "aws"], { encoding: "utf8" }).then(
    ({ stdout }) => (stdout.trim() ? `${dirname(stdout.trim())}${delimiter}${path}` : path),
    () => path,
  );
  return fastPath;
}
