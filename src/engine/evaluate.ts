import type { AccountInventory, Inventory, Resource, SourceLocation } from "../model/index.js";
import { type Outcome, type PreparedBindings, prepare } from "./cel.js";
import type { Finding, FindingResource, Status, UnknownInput } from "./finding.js";
import type { LoadedRule } from "./packs.js";
import { buildViews } from "./view.js";

/** Evaluates every rule against every account of the inventory. Pure: no I/O. */
export function evaluate(inventory: Inventory, rules: LoadedRule[]): Finding[] {
  const findings: Finding[] = [];
  for (const account of inventory.accounts) findings.push(...evaluateAccount(account, rules));
  return findings;
}

function evaluateAccount(account: AccountInventory, rules: LoadedRule[]): Finding[] {
  const views = buildViews(account);
  const findings: Finding[] = [];

  const accountRules = rules.filter((r) => r.scope === "account");
  if (accountRules.length > 0) {
    const prepared = prepare({ account: views.account });
    const resource: FindingResource = {
      kind: "account",
      id: account.key,
      address: account.anchor.address,
      name: typeof account.accountId === "string" ? account.accountId : undefined,
    };
    for (const rule of accountRules) {
      if (!account.completeAccount) {
        findings.push({
          ...base(rule, resource, account.anchor.location),
          status: "not-applicable",
          message:
            "The scanned input does not show a whole account (use --scope account, a live scan or an export).",
        });
        continue;
      }
      findings.push(judge(rule, resource, prepared, account.anchor.location));
    }
  }

  for (const target of views.targets) {
    const scoped = rules.filter((r) => r.scope === target.scope);
    if (scoped.length === 0) continue;
    const prepared = prepare(target.bindings);
    const resource = describe(target.resource);
    for (const rule of scoped) {
      const finding = judge(rule, resource, prepared, evidenceLocation(rule, target.resource));
      const suppression = target.resource.suppressions?.find((s) => s.ruleId === rule.id);
      if (suppression && finding.status !== "pass" && finding.status !== "not-applicable") {
        finding.suppression = { reason: suppression.reason, location: suppression.location };
      }
      findings.push(finding);
    }
  }
  return findings;
}

function base(rule: LoadedRule, resource: FindingResource, location: SourceLocation | undefined) {
  return { ruleId: rule.id, severity: rule.severity, resource, unknowns: [] as UnknownInput[], location };
}

function judge(
  rule: LoadedRule,
  resource: FindingResource,
  prepared: PreparedBindings,
  location: SourceLocation | undefined,
): Finding {
  const finding = (status: Status, message: string, unknowns: UnknownInput[] = []): Finding => ({
    ...base(rule, resource, location),
    status,
    message,
    unknowns,
  });
  const label = resource.name ?? resource.address;

  if (rule.whenExpr) {
    const when = rule.whenExpr.evaluate(prepared);
    if (when.kind === "value" && when.value === false)
      return finding("not-applicable", `${rule.title}: does not apply`);
    if (when.kind !== "value" || when.value !== true) {
      return undecided(when, prepared, (unknowns, why) =>
        finding("unknown", `Cannot tell whether "${rule.title}" applies to ${label}: ${why}`, unknowns),
      );
    }
  }
  const result = rule.assertExpr.evaluate(prepared);
  if (result.kind === "value" && result.value === true) return finding("pass", `${rule.title}: ${label}`);
  if (result.kind === "value" && result.value === false)
    return finding("fail", `${rule.title}: not met by ${label}`);
  return undecided(result, prepared, (unknowns, why) =>
    finding("unknown", `Cannot decide "${rule.title}" for ${label}: ${why}`, unknowns),
  );
}

/** An outcome that is not a boolean: unknown inputs, or an evaluation error (a rule bug): never a pass. */
function undecided(
  outcome: Outcome,
  prepared: PreparedBindings,
  make: (unknowns: UnknownInput[], why: string) => Finding,
): Finding {
  if (outcome.kind === "unknown") {
    const unknowns = namedUnknowns(outcome.unknownIds, prepared);
    return make(unknowns, unknowns.map((u) => `${u.path} is unknown (${u.reason})`).join("; "));
  }
  const why =
    outcome.kind === "error"
      ? `the rule could not be evaluated: ${outcome.message}`
      : `the rule returned ${JSON.stringify(outcome.value)} instead of true or false`;
  return make([{ path: "rule", reason: why }], why);
}

function namedUnknowns(ids: number[], prepared: PreparedBindings): UnknownInput[] {
  return ids.flatMap((id) => {
    const entry = prepared.unknowns.entries[id];
    return entry ? [entry] : [];
  });
}

function describe(resource: Resource): FindingResource {
  const name = "name" in resource && typeof resource.name === "string" ? resource.name : undefined;
  return { kind: resource.kind, id: resource.id, address: resource.origin.address, name };
}

function evidenceLocation(rule: LoadedRule, resource: Resource): SourceLocation | undefined {
  for (const field of rule.evidence) {
    const location = resource.fieldLocations[field];
    if (location) return location;
  }
  return resource.origin.location;
}
