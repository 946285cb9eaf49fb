import { isAbsolute, relative, resolve, sep } from "node:path";
import * as core from "@actions/core";
import * as github from "@actions/github";
import type { Finding, Severity } from "../model/index.js";
import { append } from "../model/index.js";
import { MARKDOWN_MAX_CHARS, type Report, reporters, terminalText } from "../report/index.js";
import { renderMarkdown } from "../report/markdown.js";
import { EXIT, failingFindings, type Threshold } from "../scan/index.js";
import { type Annotation, omittedNote, planAnnotations } from "./annotations.js";
import {
  changedFiles,
  client,
  commentMarker,
  currentPullRequest,
  isPermissionError,
  type PullRequest,
  upsertComment,
} from "./pull-request.js";

export const COMMENT_MODES = ["off", "on-failure", "always"] as const;
export type CommentMode = (typeof COMMENT_MODES)[number];

/** What the scan gave and what the inputs ask to do with it. */
export interface ActionRun {
  report: Report;
  code: number;
  threshold: Threshold;
  category: string;
  annotate: Severity | "none";
  comment: CommentMode;
  changedFilesOnly: boolean;
  jobSummary: boolean;
  token: string;
  /** The step will be marked failed: its message is one more error annotation. */
  failsStep: boolean;
}

/** Annotations, the pull-request comment and the job summary; GitHub's refusals are notes, never a failed step. */
export async function publish(run: ActionRun): Promise<void> {
  const { report } = run;
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const repoPath = (file: string): string | undefined => {
    const rel = relative(workspace, resolve(report.root, file));
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
    return rel.split(sep).join("/");
  };
  const notes: string[] = [];
  const pr = currentPullRequest();
  const octokit = pr && run.token ? client(run.token) : undefined;

  let onlyFiles: Set<string> | undefined;
  if (run.changedFilesOnly && pr && octokit) {
    try {
      onlyFiles = await changedFiles(octokit, pr);
    } catch (error) {
      notes.push(
        `The pull request's changed files could not be listed (${reason(error)}): every file is shown.`,
      );
    }
  } else if (run.changedFilesOnly && !pr) {
    notes.push("changed-files-only applies to pull requests only: every file is shown.");
  }

  for (const error of report.errors) {
    const file = error.file === undefined ? undefined : repoPath(error.file);
    const properties = { file, startLine: error.line, startColumn: error.column, title: "trailguard" };
    const message = terminalText(error.message);
    if (error.severity === "error") core.error(message, properties);
    else core.warning(message, properties);
  }
  const plan = planAnnotations(report, {
    threshold: run.annotate,
    isBlocking: blocking(run),
    repoPath,
    onlyFiles,
    reserved: {
      error: report.errors.filter((e) => e.severity === "error").length + Number(run.failsStep),
      warning: report.errors.filter((e) => e.severity !== "error").length,
    },
  });
  for (const annotation of plan.shown) emit(annotation);
  const omitted = omittedNote(plan.omitted);
  if (omitted) notes.push(omitted);

  if (run.comment !== "off" && pr) {
    append(notes, await comment(run, pr, octokit, onlyFiles, repoPath));
  }

  if (run.jobSummary) {
    const links = fileLinks(repoPath);
    const body = reporters.markdown(report, {
      includePassed: false,
      color: false,
      automationId: run.category,
      fileLink: links,
    });
    const summary = core.summary.addRaw(body);
    for (const note of notes) summary.addRaw(`\n> [!NOTE]\n> ${note}\n`);
    await summary.write();
  }
  for (const note of notes) core.info(note);
}

async function comment(
  run: ActionRun,
  pr: PullRequest,
  octokit: ReturnType<typeof client> | undefined,
  onlyFiles: Set<string> | undefined,
  repoPath: (file: string) => string | undefined,
): Promise<string[]> {
  if (pr.fromFork) {
    return ["This pull request comes from a fork, whose token cannot comment: see this summary instead."];
  }
  if (!octokit) return ["No github-token was given: the pull request gets no comment."];
  const inScope = (f: Finding) => {
    if (!onlyFiles) return true;
    const file = f.location ? repoPath(f.location.file) : undefined;
    return file !== undefined && onlyFiles.has(file);
  };
  const shown: Report = { ...run.report, findings: run.report.findings.filter(inScope) };
  const needsAttention =
    run.code === EXIT.inputError || failingFindings(shown.findings, run.threshold).length > 0;
  const wanted = run.comment === "always" || needsAttention;
  const limit = MARKDOWN_MAX_CHARS - commentMarker(run.category).length - 1;
  const render = {
    includePassed: false,
    color: false,
    automationId: run.category,
    fileLink: fileLinks(repoPath),
  };
  try {
    await upsertComment(octokit, pr, run.category, {
      body: wanted ? renderMarkdown(shown, render, limit) : undefined,
      allClear: `## trailguard: all clear\n\nNo failing or unknown findings${onlyFiles ? " in the files this pull request changes" : ""}.\n`,
    });
  } catch (error) {
    if (!isPermissionError(error)) throw error;
    return [
      `The pull-request comment could not be written (${reason(error)}): does the token have pull-requests: write?`,
    ];
  }
  return [];
}

function blocking(run: ActionRun): (finding: Finding) => boolean {
  return (finding) => failingFindings([finding], run.threshold).length > 0;
}

/** The file's line in the repository at the commit the workflow runs on (the pull request's head). */
function fileLinks(repoPath: (file: string) => string | undefined) {
  const server = process.env.GITHUB_SERVER_URL || "https://github.com";
  const repository = process.env.GITHUB_REPOSITORY;
  const headSha = (github.context.payload.pull_request?.head as { sha?: string } | undefined)?.sha;
  const sha = headSha || process.env.GITHUB_SHA;
  if (!repository || !sha) return undefined;
  return (file: string, line: number) => {
    const path = repoPath(file);
    if (path === undefined) return undefined;
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    return `${server}/${repository}/blob/${sha}/${encoded}#L${line}`;
  };
}

function emit(annotation: Annotation): void {
  const properties = {
    title: annotation.title,
    file: annotation.file,
    startLine: annotation.startLine,
    endLine: annotation.endLine,
    startColumn: annotation.startColumn,
  };
  if (annotation.level === "error") core.error(annotation.message, properties);
  else if (annotation.level === "warning") core.warning(annotation.message, properties);
  else core.notice(annotation.message, properties);
}

function reason(error: unknown): string {
  const status = (error as { status?: number }).status;
  const message = terminalText((error as Error).message ?? String(error));
  return status ? `HTTP ${status}: ${message}` : message;
}
