import * as github from "@actions/github";

type Octokit = ReturnType<typeof github.getOctokit>;

/** The pull request the workflow runs for, as the event payload gives it. */
export interface PullRequest {
  owner: string;
  repo: string;
  number: number;
  /** Opened from a fork: the workflow's token cannot write to the base repository. */
  fromFork: boolean;
}

/** The pull request of a `pull_request` or `pull_request_target` event; none for other events. */
export function currentPullRequest(): PullRequest | undefined {
  const { payload, eventName } = github.context;
  if (eventName !== "pull_request" && eventName !== "pull_request_target") return undefined;
  const pr = payload.pull_request;
  if (!pr || typeof pr.number !== "number") return undefined;
  const { owner, repo } = github.context.repo;
  const head = (pr.head as { repo?: { full_name?: string } | null } | undefined)?.repo;
  const base = payload.repository?.full_name ?? `${owner}/${repo}`;
  // A deleted fork has no head repository: treat it as a fork, its token is read-only too.
  const fromFork = eventName === "pull_request" && (head?.full_name ?? "") !== base;
  return { owner, repo, number: pr.number, fromFork };
}

export function client(token: string): Octokit {
  return github.getOctokit(token);
}

/** Every file the pull request changes (paths relative to the repository's top), removed files aside. */
export async function changedFiles(octokit: Octokit, pr: PullRequest): Promise<Set<string>> {
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  });
  return new Set(files.filter((f) => f.status !== "removed").map((f) => f.filename));
}

/** The hidden line that tells trailguard's comment (of one category) from every other comment of the thread. */
export function commentMarker(category: string): string {
  return `<!-- trailguard:comment ${encodeURIComponent(category)} -->`;
}

export type CommentOutcome = "created" | "updated" | "unchanged" | "none";

/**
 * Keeps one comment per pull request and category: updates it when there is one, creates it only when there is
 * something to say (`body` set); with nothing to say an existing comment becomes `allClear`.
 */
export async function upsertComment(
  octokit: Octokit,
  pr: PullRequest,
  category: string,
  content: { body?: string; allClear: string },
): Promise<CommentOutcome> {
  const marker = commentMarker(category);
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  const existing = comments.find((c) => c.body?.startsWith(marker));
  const text = `${marker}\n${content.body ?? content.allClear}`;
  if (existing) {
    if (existing.body === text) return "unchanged";
    await octokit.rest.issues.updateComment({
      owner: pr.owner,
      repo: pr.repo,
      comment_id: existing.id,
      body: text,
    });
    return "updated";
  }
  if (content.body === undefined) return "none";
  await octokit.rest.issues.createComment({
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    body: text,
  });
  return "created";
}

/** Whether a GitHub API error says the token may not do it (a fork's read-only token, missing permissions). */
export function isPermissionError(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === 401 || status === 403 || status === 404;
}
