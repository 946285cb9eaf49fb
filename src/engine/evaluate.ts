import type {
  AccountInventory,
  Finding,
  FindingResource,
  Inventory,
  Resource,
  Scope,
  SourceLocation,
  Status,
  UnknownInput,
} from "../model/index.js";
import { KIND } from "../model/index.js";
import { type Outcome, type PreparedBindings, prepare, withListAt, wordsOf } from "./cel.js";
import { evidenceLocation, type FailsWith } from "./locate.js";
import type { LoadedRule } from "./packs.js";
import { buildViews, type ViewOptions } from "./view.js";

export type EvaluateOptions = ViewOptions;

/** Most findings name no unknown input; they share one empty list. */
const NONE: UnknownInput[] = Object.freeze([]) as unknown as UnknownInput[];

const NOT_WHOLE_ACCOUNT =
  "The input does not show a whole account (a live scan, a snapshot, an export folder, or files declared to be one).";

/** Evaluates every rule against every account of the inventory. Pure: no I/O. */
export function evaluate(
  inventory: Inventory,
  rules: LoadedRule[],
  options: EvaluateOptions = {},
): Finding[] {
  const byScope = new Map<Scope, LoadedRule[]>();
  for (const rule of rules) byScope.set(rule.scope, [...(byScope.get(rule.scope) ?? []), rule]);
  const plan = [...byScope].map(([scope, scoped]) => ({ scope, rules: scoped, reads: fieldsRead(scoped) }));
  const findings: Finding[] = [];
  const owners = new Set(inventory.accounts.map((a) => a.accountId).filter((id) => typeof id === "string"));
  const context: SharedContext = { owners, shared: [], undecided: [] };
  for (const account of inventory.accounts) evaluateAccount(account, plan, findings, options, context);
  if (context.shared.length > 0 || context.undecided.length > 0) carryShared(context, findings);
  return findings;
}

/** Resources an account holds but another account of the inventory owns: judged there, carried here. */
interface SharedTarget {
  owner: string;
  resource: Resource;
  rules: LoadedRule[];
  subject: Subject;
  location: SourceLocation | undefined;
}

interface SharedContext {
  /** Account ids of the inventory: a shared resource is judged in its owner only when the owner is here. */
  owners: Set<unknown>;
  shared: SharedTarget[];
  /** Account findings of accounts holding shared trails that did not pass, with the trails' owner. */
  undecided: { finding: Finding; trail: Resource; owner: string }[];
}

/**
 * A shared resource (an organization trail in a member) is judged once, in the account that owns it. Each member
 * gets the owner's verdict as coverage: a pass says what covers it; any other verdict is not repeated (it is
 * reported once, against the owner) and reads as not applicable here, naming where it was decided.
 */
function carryShared(context: SharedContext, findings: Finding[]): void {
  const decided = new Map<string, Finding>();
  for (const f of findings) decided.set(`${f.account}\u0000${f.resource.id}\u0000${f.ruleId}`, f);
  // An account rule that fails (or is unknown) in a member as it does in the owner of the trail covering it fails
  // for the same reason: it is reported once, against the owner.
  for (const { finding, trail, owner } of context.undecided) {
    const there = decided.get(`${owner}\u0000${owner}\u0000${finding.ruleId}`);
    if (there?.status !== finding.status) continue;
    finding.status = "not-applicable";
    finding.message = `Decided once for ${sharedLabel(trail, owner)}: ${there.status} there, not repeated in this account.`;
    finding.unknowns = NONE;
  }
  for (const target of context.shared) {
    const what = sharedLabel(target.resource, target.owner);
    for (const rule of target.rules) {
      const there = decided.get(`${target.owner}\u0000${target.resource.id}\u0000${rule.id}`);
      if (!there) continue;
      const pass = there.status === "pass";
      findings.push({
        ruleId: rule.id,
        status: pass ? "pass" : "not-applicable",
        severity: rule.severity,
        account: target.subject.account,
        ...(target.subject.region ? { region: target.subject.region } : {}),
        resource: target.subject.resource,
        message: pass
          ? `${there.message} (covered by ${what})`
          : `Decided once for ${what}: ${there.status} there, not repeated in this account.`,
        unknowns: NONE,
        location: target.location,
      });
    }
  }
}

/** `organization trail arn:… owned by 111122223333`. */
function sharedLabel(resource: Resource, owner: string): string {
  const title =
    resource.kind === "trail" && resource.isOrganizationTrail === true
      ? "organization trail"
      : KIND[resource.kind].title;
  return `${title} ${resource.origin.address} owned by ${owner}`;
}

interface ScopePlan {
  scope: Scope;
  rules: LoadedRule[];
  /** Names the rules of this scope read: only these fields are handed to CEL. */
  reads: Set<string>;
}

function fieldsRead(rules: LoadedRule[]): Set<string> {
  const words = new Set<string>();
  for (const rule of rules) {
    const messages = rule.messageExprs ?? {};
    for (const source of [
      rule.when ?? "",
      rule.assert,
      messages.pass?.source ?? "",
      messages.fail?.source ?? "",
    ]) {
      for (const word of wordsOf(source)) words.add(word);
    }
  }
  return words;
}

function evaluateAccount(
  account: AccountInventory,
  plan: ScopePlan[],
  findings: Finding[],
  options: EvaluateOptions,
  context: SharedContext,
): void {
  const views = buildViews(account, options);
  const owner = typeof account.accountId === "string" ? account.accountId : account.key;
  const isShared = (r: Resource) =>
    r.sharedFrom !== undefined && r.sharedFrom !== owner && context.owners.has(r.sharedFrom);
  const sharedTrails = account.trails.filter(isShared);
  const accountPlan = plan.find((p) => p.scope === "account");
  if (accountPlan) {
    const resource: FindingResource = {
      kind: "account",
      id: account.key,
      address: account.anchor.address,
      name: typeof account.accountId === "string" ? account.accountId : undefined,
    };
    const prepared = account.completeAccount
      ? prepare({ account: views.account() }, accountPlan.reads)
      : undefined;
    // The account as its own trails alone show it, built once when a pass may be owed to shared trails.
    let alone: PreparedBindings | undefined;
    for (const rule of accountPlan.rules) {
      if (!prepared) {
        findings.push({
          ruleId: rule.id,
          status: "not-applicable",
          severity: rule.severity,
          account: owner,
          resource,
          message: NOT_WHOLE_ACCOUNT,
          unknowns: NONE,
          location: account.anchor.location,
        });
        continue;
      }
      const finding = judge(rule, { account: owner, resource }, prepared, account.anchor.location);
      const coveredBy = sharedTrails[0];
      if (finding.status === "pass" && coveredBy) {
        alone ??= ownTrailsOnly(account, sharedTrails, accountPlan.reads, options);
        sayCoverage(finding, rule, alone, sharedTrails);
      } else if (coveredBy && (finding.status === "fail" || finding.status === "unknown")) {
        context.undecided.push({ finding, trail: coveredBy, owner: coveredBy.sharedFrom as string });
      }
      findings.push(finding);
    }
  }

  const planOf = new Map(plan.map((p) => [p.scope, p]));
  for (const target of views.targets()) {
    const scopePlan = planOf.get(target.scope);
    if (!scopePlan) continue;
    const subject: Subject = {
      account: owner,
      region: regionOf(target.resource),
      resource: describe(target.resource),
    };
    if (isShared(target.resource)) {
      context.shared.push({
        owner: target.resource.sharedFrom as string,
        resource: target.resource,
        rules: scopePlan.rules,
        subject,
        location: target.resource.origin.location,
      });
      continue;
    }
    const binding = KIND[target.resource.kind].binding;
    const view = target.bindings[binding];
    const prepared = prepare(target.bindings, scopePlan.reads);
    for (const rule of scopePlan.rules) {
      const finding = judge(rule, subject, prepared, undefined);
      // A failing finding points at the deciding item of a list named by the evidence, found by judging the list's
      // items one at a time.
      const failsWith: FailsWith | undefined =
        finding.status === "fail"
          ? (steps, list) => {
              const outcome = rule.assertExpr.evaluate(
                withListAt(prepared, binding, steps, list, scopePlan.reads),
              );
              return outcome.kind === "value" && outcome.value === false;
            }
          : undefined;
      finding.location = evidenceLocation(rule.evidence, target.resource, view, failsWith);
      const suppression =
        finding.status === "pass" || finding.status === "not-applicable"
          ? undefined
          : target.resource.suppressions?.find((s) => s.ruleId === rule.id);
      if (suppression) {
        finding.suppression = {
          kind: "inline",
          reason: suppression.reason,
          location: suppression.location,
          ...(suppression.expires ? { expires: suppression.expires } : {}),
        };
      }
      findings.push(finding);
    }
  }
}

/** An account holding shared trails, as account rules would see it without them. */
function ownTrailsOnly(
  account: AccountInventory,
  sharedTrails: Resource[],
  reads: Set<string>,
  options: EvaluateOptions,
): PreparedBindings {
  const own = { ...account, trails: account.trails.filter((t) => !sharedTrails.includes(t)) };
  return prepare({ account: buildViews(own, options).account() }, reads);
}

/**
 * An account rule that passes in an account holding shared trails: when it would not pass on the account's own
 * trails alone, the pass is owed to the trails of the owner, and the message says so.
 */
function sayCoverage(
  finding: Finding,
  rule: LoadedRule,
  alone: PreparedBindings,
  sharedTrails: Resource[],
): void {
  const verdict = judge(rule, { account: finding.account, resource: finding.resource }, alone, undefined);
  if (verdict.status === "pass") return;
  const owners = sharedTrails.map((t) => sharedLabel(t, t.sharedFrom as string));
  finding.message = `${finding.message}: covered by ${owners.join(", ")}`;
}

/** What a finding is about: the resource and the account (and region) it belongs to. */
interface Subject {
  account: string;
  region?: string;
  resource: FindingResource;
}

function judge(
  rule: LoadedRule,
  subject: Subject,
  prepared: PreparedBindings,
  location: SourceLocation | undefined,
): Finding {
  const finding = (status: Status, message: string, unknowns: UnknownInput[] = NONE): Finding => ({
    ruleId: rule.id,
    status,
    severity: rule.severity,
    account: subject.account,
    ...(subject.region ? { region: subject.region } : {}),
    resource: subject.resource,
    message,
    unknowns,
    location,
  });
  const label = subject.resource.address;

  if (rule.whenExpr) {
    const when = rule.whenExpr.evaluate(prepared);
    if (when.kind === "value" && when.value === false)
      return finding("not-applicable", "The rule does not apply to this resource.");
    if (when.kind === "unknown") {
      const unknowns = namedUnknowns(when.unknownIds, prepared);
      return finding(
        "unknown",
        `Cannot tell whether "${rule.title}" applies to ${label}: ${describeUnknowns(unknowns)}`,
        unknowns,
      );
    }
    if (when.kind !== "value" || when.value !== true) return ruleError(finding, "when", when);
  }
  const result = rule.assertExpr.evaluate(prepared);
  // Pass and fail messages name the rule only (one string per rule): reports show the resource beside them.
  if (result.kind === "value" && result.value === true)
    return finding("pass", computedMessage(rule, "pass", prepared) ?? rule.title);
  if (result.kind === "value" && result.value === false)
    return finding("fail", computedMessage(rule, "fail", prepared) ?? failMessage(rule));
  if (result.kind === "unknown") {
    const unknowns = namedUnknowns(result.unknownIds, prepared);
    return finding(
      "unknown",
      `Cannot decide "${rule.title}" for ${label}: ${describeUnknowns(unknowns)}`,
      unknowns,
    );
  }
  return ruleError(finding, "assert", result);
}

function describeUnknowns(unknowns: UnknownInput[]): string {
  return unknowns.map((u) => `${u.path} is unknown (${u.reason})`).join("; ");
}

/** An evaluation error or a non-boolean result is a bug of the rule, reported as such: never a pass, never unknown. */
function ruleError(
  finding: (status: Status, message: string) => Finding,
  part: "when" | "assert",
  outcome: Outcome,
): Finding {
  const why =
    outcome.kind === "error"
      ? outcome.message
      : `it returned ${describeValue(outcome.kind === "value" ? outcome.value : undefined)} instead of true or false`;
  return finding("error", `Rule error: the rule's ${part} could not be evaluated: ${why}`);
}

/** A CEL result for a message: CEL integers are bigints, which JSON.stringify cannot write. */
function describeValue(value: unknown): string {
  if (typeof value === "bigint") return `the integer ${value}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 80))}`;
  if (value === null || value === undefined) return "null";
  return `a value of type ${typeof value === "object" ? (Array.isArray(value) ? "list" : "map") : typeof value}`;
}

/** Longest computed message kept; longer ones are cut (a message names parts of the input, not all of it). */
const MAX_MESSAGE_LENGTH = 500;

/**
 * The rule's own message for a decided verdict, from its `message` expression. The verdict is already decided: an
 * expression that errs, reads an unknown input or returns something other than a non-empty string only loses the
 * message (the static one is used), never changes the status.
 */
function computedMessage(
  rule: LoadedRule,
  verdict: "pass" | "fail",
  prepared: PreparedBindings,
): string | undefined {
  const expr = rule.messageExprs?.[verdict];
  if (!expr) return undefined;
  const outcome = expr.evaluate(prepared);
  if (outcome.kind !== "value" || typeof outcome.value !== "string") return undefined;
  // The message may quote input (a bucket name): no control character reaches a terminal or log from it.
  const text = outcome.value.replace(/\p{Cc}+/gu, " ").trim();
  if (text === "") return undefined;
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : text;
}

const failMessages = new WeakMap<LoadedRule, string>();
function failMessage(rule: LoadedRule): string {
  let message = failMessages.get(rule);
  if (!message) {
    message = `Not met: ${rule.title}`;
    failMessages.set(rule, message);
  }
  return message;
}

function namedUnknowns(ids: number[], prepared: PreparedBindings): UnknownInput[] {
  return ids.flatMap((id) => {
    const entry = prepared.unknowns.entries[id];
    return entry ? [entry] : [];
  });
}

/** The resource's region: its own field where the model has one, else the region of its ARN. */
function regionOf(resource: Resource): string | undefined {
  const own =
    "homeRegion" in resource ? resource.homeRegion : "region" in resource ? resource.region : undefined;
  if (typeof own === "string" && own !== "" && !own.includes("${")) return own;
  const arn = "arn" in resource ? resource.arn : undefined;
  // The region is the fourth field of `arn:partition:service:region:…`; the split stops there.
  const region = typeof arn === "string" ? arn.split(":", 4)[3] : undefined;
  return region && !region.includes("${") ? region : undefined;
}

function describe(resource: Resource): FindingResource {
  const name = "name" in resource && typeof resource.name === "string" ? resource.name : undefined;
  return { kind: resource.kind, id: resource.id, address: resource.origin.address, name };
}
