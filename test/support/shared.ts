import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPO_ROOT } from "./paths.js";
import type { Requirement } from "./requirements.js";

/**
 * The research material kept beside the checkout, `../shared`, or the folder TRAILGUARD_SHARED names. No test of a
 * fresh clone may need it: the suites that read it are wrapped in `describeIf(corpus, …)`.
 */
export const SHARED_DIR = resolve(REPO_ROOT, process.env.TRAILGUARD_SHARED ?? "../shared");

/** Peers' public fixtures (Checkov, trivy-checks, cfn-guard), see corpus/MANIFEST.md there. */
export const CORPUS_DIR = join(SHARED_DIR, "corpus");

export const corpus: Requirement = {
  available: existsSync(CORPUS_DIR),
  missing: `the peer corpus is not at ${CORPUS_DIR} (set TRAILGUARD_SHARED to the folder that holds corpus/)`,
};
