import type { Finding, Severity } from "../model/index.js";
import { compareImportance, fullMessage } from "../report/findings.js";
import { type Report, terminalText } from "../report/index.js";
import { severityRank } from "../report/severity.js";

export type AnnotationLevel = "error" | "warning" | "notice";
export const ANNOTATION_LEVELS: readonly AnnotationLevel[] = ["error", "warning", "notice"];

/** GitHub shows at most this many annotations of each level per step; the rest are dropped without a word. */
export const ANNOTATIONS_PER_LEVEL = 10;

export interface Annotation {
  level: AnnotationLevel;
  title: string;
  message: string;
  /** Relative to the repository's top. */
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
}

export interface AnnotationPlan {
  shown: Annotation[];
  /** Per level, how many were left out for GitHub's limit. */
  omitted: Record<AnnotationLevel, number>;
}

export interface AnnotationOptions {
  /** Findings below this severity are not annotated; `none` annotates nothing. */
  threshold: Severity | "none";
  /** Findings that fail the step (at or above fail-on): these are errors; other failures are notices. */
  isBlocking: (finding: Finding) => boolean;
  /** Where a finding's file is in the repository, or undefined when it is not a file of it. */
  repoPath: (file: string) => string | undefined;
  /** Only annotate findings in these files (changed-files-only); all when absent. */
  onlyFiles?: ReadonlySet<string>;
  /** Annotations of each level the step writes besides the findings' (input errors, the failure message). */
  reserved?: Partial<Record<AnnotationLevel, number>>;
}

/**
 * The annotations for the findings that need action: blocking failures are errors, unknowns warnings, other
 * failures at or above the threshold notices. Most severe first, at most ten per level, so that what GitHub keeps is
 * what matters most.
 */
export function planAnnotations(report: Report, options: AnnotationOptions): AnnotationPlan {
  const rules = new Map(report.rules.map((r) => [r.id, r]));
  const omitted: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  const shown: Annotation[] = [];
  const count: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 };
  if (options.threshold === "none") return { shown, omitted };
  const threshold = severityRank(options.threshold);

  const candidates = report.findings
    .filter(
      (f) =>
        f.suppression === undefined &&
        f.baseline !== "existing" &&
        (f.status === "fail" || f.status === "unknown" || f.status === "error") &&
        severityRank(f.severity) <= threshold,
    )
    .sort(compareImportance);
  for (const finding of candidates) {
    const file = finding.location ? options.repoPath(finding.location.file) : undefined;
    if (options.onlyFiles && (file === undefined || !options.onlyFiles.has(file))) continue;
    const level = levelOf(finding, options.isBlocking);
    if (count[level] + (options.reserved?.[level] ?? 0) >= ANNOTATIONS_PER_LEVEL) {
      omitted[level]++;
      continue;
    }
    count[level]++;
    const rule = rules.get(finding.ruleId);
    const title = rule?.title;
    const fix = finding.status === "fail" && rule?.remediation ? ` Fix: ${rule.remediation.trim()}` : "";
    shown.push({
      level,
      title: terminalText(title ? `${finding.ruleId}: ${title}` : finding.ruleId),
      message: terminalText(`${finding.resource.address}: ${fullMessage(finding)}${fix}`),
      ...(file !== undefined && finding.location
        ? {
            file,
            startLine: finding.location.line,
            endLine: finding.location.endLine ?? finding.location.line,
            ...(finding.location.endLine === undefined || finding.location.endLine === finding.location.line
              ? { startColumn: finding.location.column }
              : {}),
          }
        : {}),
    });
  }
  return { shown, omitted };
}

function levelOf(finding: Finding, isBlocking: (finding: Finding) => boolean): AnnotationLevel {
  if (finding.status === "error") return "error";
  if (finding.status === "unknown") return "warning";
  return isBlocking(finding) ? "error" : "notice";
}

/** `12 more annotations (3 errors, 9 warnings) were left out: GitHub shows ten of each kind per step.` */
export function omittedNote(omitted: Record<AnnotationLevel, number>): string | undefined {
  const parts = ANNOTATION_LEVELS.filter((l) => omitted[l] > 0).map(
    (l) => `${omitted[l]} ${l}${omitted[l] === 1 ? "" : "s"}`,
  );
  if (parts.length === 0) return undefined;
  const total = ANNOTATION_LEVELS.reduce((n, l) => n + omitted[l], 0);
  return (
    `${total} more ${total === 1 ? "annotation" : "annotations"} (${parts.join(", ")}) ` +
    `${total === 1 ? "was" : "were"} left out: GitHub shows ${ANNOTATIONS_PER_LEVEL} of each kind per step. ` +
    "The SARIF report has every finding."
  );
}
