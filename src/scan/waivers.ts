import { append, type Finding, type InputError, isExpired } from "../model/index.js";
import { wildcardMatcher } from "../model/wildcard.js";
import type { Waiver } from "./config.js";

export interface SuppressionOptions {
  waivers: Waiver[];
  /** false: inline `trailguard:ignore` comments are not honoured (a central pipeline's choice). */
  inlineSuppressions: boolean;
  /** The scan's time, against which expiry dates are compared. */
  now: Date;
}

export interface SuppressionOutcome {
  /** Inline suppressions not honoured because of `inlineSuppressions: false`. */
  inlineIgnored: number;
}

/** A finding a suppression can cover: one that would otherwise need attention. */
function waivable(finding: Finding): boolean {
  return finding.status === "fail" || finding.status === "unknown" || finding.status === "error";
}

/**
 * Applies inline suppressions' expiry and the config's waivers to evaluated findings, the same way for every
 * source. An expired suppression or waiver stops applying (the finding counts again) and is reported with its line;
 * a waiver that covers no finding is reported as stale. Findings are changed in place.
 */
export function applySuppressions(
  findings: Finding[],
  options: SuppressionOptions,
  errors: InputError[],
): SuppressionOutcome {
  let inlineIgnored = 0;
  const expiredInline = new Map<string, InputError>();
  for (const finding of findings) {
    const suppression = finding.suppression;
    if (suppression?.kind !== "inline") continue;
    if (!options.inlineSuppressions) {
      delete finding.suppression;
      inlineIgnored++;
    } else if (suppression.expires !== undefined && isExpired(suppression.expires, options.now)) {
      delete finding.suppression;
      const at = suppression.location;
      const key = `${at?.file}:${at?.line}:${finding.ruleId}`;
      if (!expiredInline.has(key)) {
        expiredInline.set(key, {
          code: "waiver-expired",
          ...(at ? { file: at.file, line: at.line, column: at.column } : {}),
          message: `inline suppression of ${finding.ruleId} expired on ${suppression.expires}; ${finding.resource.address} is checked again`,
          severity: "warning",
          account: finding.account,
        });
      }
    }
  }
  append(errors, expiredInline.values());

  for (const waiver of options.waivers) {
    const where = { file: waiver.location.file, line: waiver.location.line, column: waiver.location.column };
    const target = describeWaiver(waiver);
    if (waiver.expires !== undefined && isExpired(waiver.expires, options.now)) {
      errors.push({
        code: "waiver-expired",
        ...where,
        message: `waiver of ${target} expired on ${waiver.expires}; the findings it covered count again`,
        severity: "warning",
      });
      continue;
    }
    const matches = waiverMatcher(waiver);
    let covered = 0;
    for (const finding of findings) {
      if (!waivable(finding) || !matches(finding)) continue;
      covered++;
      // An inline suppression at the resource stays the one shown; the waiver is not stale for it.
      if (finding.suppression !== undefined) continue;
      finding.suppression = {
        kind: "waiver",
        reason: waiver.reason,
        location: waiver.location,
        ...(waiver.expires !== undefined ? { expires: waiver.expires } : {}),
        ...(waiver.approvedBy !== undefined ? { approvedBy: waiver.approvedBy } : {}),
      };
    }
    if (covered === 0) {
      errors.push({
        code: "waiver-stale",
        ...where,
        message: `waiver of ${target} matches no failing or unknown finding; remove it if the problem is fixed`,
        severity: "warning",
      });
    }
  }
  return { inlineIgnored };
}

function describeWaiver(waiver: Waiver): string {
  const account = waiver.account === undefined ? "" : ` in account ${waiver.account}`;
  return `${waiver.rule} on ${waiver.resource}${account}`;
}

/**
 * A waiver's resource pattern matches what a person may copy from a report or from the input: the reported address
 * (ARN, `file#LogicalId`, `file#terraform.address`), the part after `#`, the resource's id or its name.
 */
function waiverMatcher(waiver: Waiver): (finding: Finding) => boolean {
  const rule = wildcardMatcher([waiver.rule]);
  const resource = wildcardMatcher([waiver.resource]);
  const account = waiver.account === undefined ? () => true : wildcardMatcher([waiver.account]);
  return (finding) => {
    if (!rule(finding.ruleId) || !account(finding.account)) return false;
    const { address, id, name } = finding.resource;
    const hash = address.lastIndexOf("#");
    const names = [address, id, ...(name ? [name] : []), ...(hash >= 0 ? [address.slice(hash + 1)] : [])];
    return names.some(resource);
  };
}
