/**
 * Time limit of a test that starts another process (the CLI, the action, cfn-lint, terraform, the aws CLI, a build
 * script). vitest's default of five seconds is a unit test's budget; starting a process on a slow or busy machine
 * takes longer than that (a live scan of moto took over a minute on a two-core machine loaded twentyfold). A limit
 * against a hang, not a claim about speed.
 */
export const PROCESS_TIMEOUT_MS = 300_000;
