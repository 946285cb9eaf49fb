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
