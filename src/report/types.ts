import type { Finding, InputError, Rule } from "../model/index.js";

/** Everything a reporter needs; reporters are pure functions of it. */
export interface Report {
  tool: { name: string; version: string; informationUri: string };
  /** Absolute directory that file paths in findings are relative to. */
  root: string;
  rules: Rule[];
  findings: Finding[];
  errors: InputError[];
  /** Files read, relative to `root`; the first one anchors results that have no location of their own. */
  files: string[];
  /** What suppressions and a baseline did; absent: neither was used. */
  review?: Review;
}

export interface Review {
  /** Inline suppressions not honoured (`--no-inline-suppressions`). */
  inlineIgnored: number;
  /** Set when a baseline was applied. */
  baseline?: {
    file: string;
    /** Findings the baseline recorded (shown as existing). */
    matched: number;
    /** Entries of the baseline that no longer occur. */
    fixed: FixedFinding[];
  };
}

/** A baseline entry whose finding no longer occurs. */
export interface FixedFinding {
  ruleId: string;
  resource: string;
  account: string;
  region?: string;
  file?: string;
}

export interface RenderOptions {
  /** Emit passing results too (SARIF `kind: pass`, text and Markdown rows). */
  includePassed: boolean;
  /** ANSI colour (text only; the CLI turns it on for a TTY). */
  color: boolean;
  /** SARIF `runs[0].automationDetails.id`, `category/run-id`. */
  automationId: string;
}

export type Reporter = (report: Report, options: RenderOptions) => string;
