import type { Framework, FrameworkControl } from "../engine/packs.js";
import type { Finding, Status } from "../model/index.js";
import { compareText } from "./findings.js";

/**
 * What a compliance report says of one control in one account:
 * - `met`: every rule that evidences it passes (and they cover it fully);
 * - `not met`: one of them fails;
 * - `partly`: they all pass but cover only part of the control;
 * - `unknown`: one could not be decided (an unread input, a rule error), none fails;
 * - `manual`: a person must decide (the rules' results, if any, are evidence for them);
 * - `not assessed`: no rule evidences it, or a rule applied to nothing or was not run.
 */
export type ControlStatus = "met" | "not met" | "partly" | "unknown" | "manual" | "not assessed";
export const CONTROL_STATUSES: readonly ControlStatus[] = [
  "met",
  "not met",
  "partly",
  "unknown",
  "manual",
  "not assessed",
];

/** What a rule showed in one account: its findings folded into one status. */
export type RuleOutcomeStatus = Status | "not-run";

export interface RuleOutcome {
  ruleId: string;
  status: RuleOutcomeStatus;
  /** The account's findings of this rule, in report order. */
  findings: Finding[];
}

export interface ControlResult {
  control: FrameworkControl;
  status: ControlStatus;
  /** Why: which rules failed, what was unknown, what is missing. */
  reason: string;
  rules: RuleOutcome[];
}

export type StatusCounts = Record<ControlStatus, number>;

export interface FrameworkResult {
  framework: Framework;
  /** Account id, or the scanned path for infrastructure code. */
  account: string;
  controls: ControlResult[];
  counts: StatusCounts;
  families: { family: string; counts: StatusCounts }[];
}

export interface Compliance {
  /** The accounts judged, sorted; empty when the scan found nothing to judge. */
  accounts: string[];
  /** One result per framework and account, frameworks in the order asked, then accounts sorted. */
  results: FrameworkResult[];
}

/** The status counts of a control list, every status present. */
export function countStatuses(controls: readonly ControlResult[]): StatusCounts {
  const counts = Object.fromEntries(CONTROL_STATUSES.map((s) => [s, 0])) as StatusCounts;
  for (const c of controls) counts[c.status]++;
  return counts;
}

/** One status per rule: a failure anywhere wins, then rule errors, then unknowns; all not-applicable is that. */
function foldStatus(findings: readonly Finding[]): Status {
  const order: Status[] = ["fail", "error", "unknown", "pass"];
  for (const status of order) if (findings.some((f) => f.status === status)) return status;
  return "not-applicable";
}

function unknownReasons(outcomes: readonly RuleOutcome[]): string {
  const reasons = new Set<string>();
  for (const outcome of outcomes) {
    for (const f of outcome.findings) {
      if (f.status === "error") reasons.add(`${outcome.ruleId}: rule error: ${f.message}`);
      else if (f.status === "unknown") {
        if (f.unknowns.length === 0) reasons.add(`${outcome.ruleId}: ${f.message}`);
        for (const u of f.unknowns) reasons.add(`${outcome.ruleId}: ${u.path} (${u.reason})`);
      }
    }
  }
  return [...reasons].join("; ");
}

/** The status of one control from its rules' outcomes; the order of the checks is the order of precedence. */
export function controlStatus(
  control: FrameworkControl,
  outcomes: readonly RuleOutcome[],
): { status: ControlStatus; reason: string } {
  const ids = (statuses: RuleOutcomeStatus[]) =>
    outcomes.filter((o) => statuses.includes(o.status)).map((o) => o.ruleId);
  if (outcomes.length === 0) {
    return control.manual
      ? { status: "manual", reason: "needs a person: no configuration check decides it" }
      : { status: "not assessed", reason: "no trailguard rule evidences this control" };
  }
  const failing = ids(["fail"]);
  if (failing.length > 0) return { status: "not met", reason: `fails: ${failing.join(", ")}` };
  if (ids(["error", "unknown"]).length > 0) {
    return { status: "unknown", reason: unknownReasons(outcomes) };
  }
  const notRun = ids(["not-run"]);
  const notApplicable = ids(["not-applicable"]);
  if (notRun.length > 0 || notApplicable.length > 0) {
    const parts = [
      ...(notApplicable.length > 0 ? [`applied to nothing here: ${notApplicable.join(", ")}`] : []),
      ...(notRun.length > 0 ? [`not run: ${notRun.join(", ")}`] : []),
    ];
    return { status: control.manual ? "manual" : "not assessed", reason: parts.join("; ") };
  }
  if (control.manual)
    return { status: "manual", reason: "rules pass; the benchmark leaves the decision to a person" };
  if (control.coverage === "partly") {
    return { status: "partly", reason: "rules pass; they evidence only part of this control" };
  }
  return { status: "met", reason: "every evidencing rule passes" };
}

/**
 * Per-control status of each framework in each account, from the findings alone. `ruleIds` are the rules that
 * were run: a control's rule that was not run (left out by --rules, or a pack not loaded) is `not-run`, never a
 * pass. Suppressed findings count with their status: a waiver is not evidence that a control is met.
 */
export function assessCompliance(
  frameworks: readonly Framework[],
  findings: readonly Finding[],
  ruleIds: Iterable<string>,
): Compliance {
  const run = new Set(ruleIds);
  const byAccount = new Map<string, Map<string, Finding[]>>();
  for (const finding of findings) {
    const rules = byAccount.get(finding.account) ?? new Map<string, Finding[]>();
    byAccount.set(finding.account, rules);
    rules.set(finding.ruleId, [...(rules.get(finding.ruleId) ?? []), finding]);
  }
  const accounts = [...byAccount.keys()].sort(compareText);
  const results: FrameworkResult[] = [];
  for (const framework of frameworks) {
    for (const account of accounts) {
      const ruleFindings = byAccount.get(account) ?? new Map<string, Finding[]>();
      const controls = framework.controls.map((control): ControlResult => {
        const rules = control.rules.map((ruleId): RuleOutcome => {
          const list = ruleFindings.get(ruleId) ?? [];
          return { ruleId, status: run.has(ruleId) ? foldStatus(list) : "not-run", findings: list };
        });
        return { control, rules, ...controlStatus(control, rules) };
      });
      const families = [...new Set(controls.map((c) => c.control.family))].map((family) => ({
        family,
        counts: countStatuses(controls.filter((c) => c.control.family === family)),
      }));
      results.push({ framework, account, controls, counts: countStatuses(controls), families });
    }
  }
  return { accounts, results };
}
