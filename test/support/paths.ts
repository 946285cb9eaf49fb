import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const POLICIES_DIR = resolve(REPO_ROOT, "policies");
/** The shared material beside the checkout (corpus, schemas); TRAILGUARD_SHARED overrides. */
export const SHARED_DIR = process.env.TRAILGUARD_SHARED ?? resolve(REPO_ROOT, "../shared");
export const hasShared = existsSync(SHARED_DIR);
