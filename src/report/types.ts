import type { Framework } from "../engine/packs.js";
import type { Finding, InputError, Rule } from "../model/index.js";

/** What a report was judged from, so that an auditor can tie it to exactly those inputs and rules. */
export interface Provenance {
  /** When the scan ran, ISO 8601 UTC. */
  scannedAt: string;
  packs: { id: string; version: string | null }[];
  /** Every file or snapshot read, relative to `root`, with the SHA-256 of its bytes. */
  inputs: { path: string; sha256: string | null }[];
  /** Accounts read live, with the regions collected. */
  live: { account: string; regions: string[] }[];
}

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
  /** Frameworks to report control by control (`--framework`); none: no compliance section. */
  frameworks?: Framework[];
  provenance?: Provenance;
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
  /**
   * Markdown: the web address of a file's line (the repository at the commit), for a location of a finding; none:
   * locations are plain text.
   */
  fileLink?: (file: string, line: number) => string | undefined;
}

export type Reporter = (report: Report, options: RenderOptions) => string;
