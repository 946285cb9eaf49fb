import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { REPO_ROOT } from "../support/paths.js";
import { PROCESS_TIMEOUT_MS } from "../support/timeouts.js";
import { FakeGitHub } from "./fake-github.js";
import { actionYml, inputEnvironment, parseOutputs } from "./runner-env.js";

const REPOSITORY = "octo-org/infra";
const HEAD_SHA = "0123456789abcdef0123456789abcdef01234567";
const temporaryFolders: string[] = [];

interface Workspace {
  dir: string;
  event: string;
}

/** A checked-out repository with the examples under infra/, and a pull_request event payload for it. */
function workspace(options: { fork?: boolean } = {}): Workspace {
  const root = mkdtempSync(join(tmpdir(), "trailguard-runner-"));
  const dir = join(root, "repo");
  mkdirSync(join(dir, "infra"), { recursive: true });
  cpSync(join(REPO_ROOT, "examples/cloudformation"), join(dir, "infra"), { recursive: true });
  const event = join(root, "event.json");
  const headRepo = options.fork ? "someone/infra" : REPOSITORY;
  writeFileSync(
    event,
    JSON.stringify({
      action: "synchronize",
      number: 7,
      pull_request: {
        number: 7,
        head: { sha: HEAD_SHA, ref: "feature", repo: { full_name: headRepo } },
        base: { sha: "f".repeat(40), ref: "main", repo: { full_name: REPOSITORY } },
      },
      repository: { full_name: REPOSITORY, name: "infra", owner: { login: "octo-org" } },
    }),
  );
  return { dir, event };
}

interface ActionResult {
  status: number | null;
  stdout: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs dist/index.js in a child process with what a runner gives a step (asynchronously: the fake API answers). */
async function runAction(
  ws: Workspace,
  api: string,
  inputs: Record<string, string>,
  eventName = "pull_request",
): Promise<ActionResult> {
  const runnerTemp = mkdtempSync(join(tmpdir(), "trailguard-runner-temp-"));
  const output = join(runnerTemp, "output");
  const summary = join(runnerTemp, "summary.md");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? runnerTemp,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: eventName,
    GITHUB_EVENT_PATH: ws.event,
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_SHA: "9".repeat(40),
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_API_URL: api,
    GITHUB_WORKSPACE: ws.dir,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: runnerTemp,
    ...inputEnvironment(inputs),
  };
  const child = spawn(process.execPath, [join(REPO_ROOT, "dist/index.js")], { cwd: ws.dir, env });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.resume();
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const result = {
    status,
    stdout,
    outputs: parseOutputs(readFileSync(output, "utf8")),
    summary: readFileSync(summary, "utf8"),
  };
  temporaryFolders.push(runnerTemp);
  return result;
}

/** Workflow commands of one level on stdout: `::error file=…,line=…::message`. */
function annotations(stdout: string, level: "error" | "warning" | "notice") {
  return [...stdout.matchAll(new RegExp(`^::${level}( [^:]*)?::(.*)$`, "gm"))].map((m) => ({
    properties: m[1]?.trim() ?? "",
    message: m[2] ?? "",
  }));
}

describe("the bundled action as a runner runs it", { timeout: PROCESS_TIMEOUT_MS }, () => {
  const github = new FakeGitHub();
  let api = "";
  const roots: string[] = [];
  beforeAll(async () => {
    api = await github.start();
  });
  afterAll(async () => {
    await github.stop();
    for (const dir of [...roots, ...temporaryFolders]) rmSync(dir, { recursive: true, force: true });
  });
  const fresh = (options?: { fork?: boolean }) => {
    const ws = workspace(options);
    roots.push(join(ws.dir, ".."));
    github.requests.length = 0;
    github.comments.length = 0;
    github.refuseWrites = undefined;
    return ws;
  };

  test("a failing pull request: annotations on the lines, one sticky comment updated by the next run, summary and outputs", async () => {
    const ws = fresh();
    // More files than one page of the files API, the scanned template on the second page.
    github.files = [
      ...Array.from({ length: 120 }, (_, i) => ({ filename: `docs/page-${i}.md`, status: "modified" })),
      { filename: "infra/noncompliant.yaml", status: "modified" },
    ];
    const first = await runAction(ws, api, {
      path: "infra/noncompliant.yaml",
      "fail-on": "high",
      "changed-files-only": "true",
    });
    expect(first.status).toBe(1);
    // Both pages of the files API were read: the template's annotations need the second.
    const pages = github.requests.filter((r) => r.path.startsWith(`/repos/${REPOSITORY}/pulls/7/files`));
    expect(pages.map((r) => new URL(r.path, "http://x").searchParams.get("page") ?? "1")).toEqual(["1", "2"]);
    const errors = annotations(first.stdout, "error");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.length).toBeLessThanOrEqual(10);
    expect(errors[0]?.properties).toMatch(/file=infra\/noncompliant\.yaml,line=\d+/);
    expect(errors[0]?.properties).toMatch(/title=[\w.-]+%3A /);
    // The message names the resource and the fix.
    expect(errors[0]?.message).toMatch(/^\S+: .+ Fix: \S/);
    expect(first.outputs["exit-code"]).toBe("1");
    expect(Number(first.outputs.failed)).toBeGreaterThan(5);
    expect(first.outputs["sarif-file"]).toBe("trailguard.sarif");
    expect(
      JSON.parse(readFileSync(join(ws.dir, "trailguard.sarif"), "utf8")).runs[0].results.length,
    ).toBeGreaterThan(5);
    // Links to the lines at the pull request's head commit.
    expect(first.summary).toContain(
      `https://github.com/${REPOSITORY}/blob/${HEAD_SHA}/infra/noncompliant.yaml#L`,
    );
    expect(first.summary).toContain("trail.multi-region");

    const created = github.writes();
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({ method: "POST", path: `/repos/${REPOSITORY}/issues/7/comments` });
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toMatch(/^<!-- trailguard:comment trailguard%2F -->\n/);
    expect(github.comments[0]?.body).toContain("trail.multi-region");

    // The same pull request after a fix: the same comment, now all clear; nothing created.
    writeFileSync(
      join(ws.dir, "infra/noncompliant.yaml"),
      readFileSync(join(ws.dir, "infra/compliant.yaml"), "utf8"),
    );
    github.requests.length = 0;
    const second = await runAction(ws, api, {
      path: "infra/noncompliant.yaml",
      "fail-on": "high",
      "changed-files-only": "true",
    });
    expect(second.status).toBe(0);
    expect(github.writes()).toEqual([
      expect.objectContaining({
        method: "PATCH",
        path: `/repos/${REPOSITORY}/issues/comments/${github.comments[0]?.id}`,
      }),
    ]);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toContain("all clear");
  });

  test("a clean pull request gets no comment with the default on-failure", async () => {
    const ws = fresh();
    const result = await runAction(ws, api, { path: "infra/compliant.yaml" });
    expect(result.status).toBe(0);
    expect(result.outputs.failed).toBe("0");
    expect(result.outputs.suppressed).toBe("1");
    expect(github.writes()).toEqual([]);
  });

  test("changed-files-only: annotations and the comment keep to the changed files, SARIF keeps every result", async () => {
    const ws = fresh();
    github.files = [{ filename: "infra/compliant.yaml", status: "modified" }];
    const result = await runAction(ws, api, {
      path: "infra",
      "fail-on": "high",
      "changed-files-only": "true",
    });
    // The failures are in the unchanged noncompliant.yaml: still failing the step and in SARIF, not annotated.
    expect(result.status).toBe(1);
    expect(annotations(result.stdout, "error").filter((a) => a.properties.includes("file="))).toEqual([]);
    const sarif = JSON.parse(readFileSync(join(ws.dir, "trailguard.sarif"), "utf8"));
    expect(
      sarif.runs[0].results.some(
        (r: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
          r.locations[0]?.physicalLocation.artifactLocation.uri.endsWith("noncompliant.yaml"),
      ),
    ).toBe(true);
    // The comment is about the changed files only: nothing fails there, so no comment is created.
    expect(github.writes()).toEqual([]);
    expect(github.requests.some((r) => r.path.startsWith(`/repos/${REPOSITORY}/pulls/7/files`))).toBe(true);
  });

  test("a fork's pull request gets the summary with a note, no comment request, and no failure for it", async () => {
    const ws = fresh({ fork: true });
    const result = await runAction(ws, api, {
      path: "infra/noncompliant.yaml",
      "fail-on": "high",
      "soft-fail": "true",
    });
    expect(result.status).toBe(0);
    expect(github.writes()).toEqual([]);
    expect(result.summary).toContain("comes from a fork");
  });

  test("a token that may not comment: a note, not a failed step", async () => {
    const ws = fresh();
    github.refuseWrites = 403;
    const result = await runAction(ws, api, {
      path: "infra/noncompliant.yaml",
      "fail-on": "high",
      "soft-fail": "true",
    });
    expect(result.status).toBe(0);
    expect(result.summary).toContain("could not be written (HTTP 403");
  });

  test("at most ten annotations of a level, the most severe first, and the summary says how many were left out", async () => {
    const ws = fresh();
    for (let i = 0; i < 4; i++) {
      cpSync(join(ws.dir, "infra/noncompliant.yaml"), join(ws.dir, `infra/copy-${i}.yaml`));
    }
    const result = await runAction(ws, api, { path: "infra", "fail-on": "low", comment: "off" });
    // Nine for findings: the step's failure message is the tenth error annotation.
    const errors = annotations(result.stdout, "error");
    expect(errors.filter((a) => a.properties.includes("file="))).toHaveLength(9);
    expect(errors).toHaveLength(10);
    expect(result.summary).toMatch(/\d+ more annotations \(\d+ errors/);
    expect(github.writes()).toEqual([]);
  });

  test("outside pull requests: no API call, the reports are written and named in the outputs", async () => {
    const ws = fresh();
    const result = await runAction(ws, api, { path: "infra/noncompliant.yaml", "soft-fail": "true" }, "push");
    expect(result.status).toBe(0);
    expect(github.requests).toEqual([]);
    expect(
      JSON.parse(readFileSync(result.outputs["report-json"] ?? "", "utf8")).summary.fail,
    ).toBeGreaterThan(0);
    expect(result.outputs.markdown).toMatch(/trailguard-report\.md$/);
  });

  test("a bad input value fails with a clear message", async () => {
    const ws = fresh();
    const result = await runAction(ws, api, { path: "infra", "fail-on": "severe" });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain("fail-on must be one of");
  });
});

describe("action.yml", () => {
  test("runs dist/index.js on node24", () => {
    expect((actionYml as unknown as { runs: unknown }).runs).toEqual({
      using: "node24",
      main: "dist/index.js",
    });
  });
});
