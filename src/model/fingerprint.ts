import { createHash } from "node:crypto";
import type { Finding } from "./finding.js";

const ACCOUNT_ID = /^\d{12}$/;

/**
 * A finding's identity across scans: SARIF `partialFingerprints` and baseline entries use it. It hashes the rule id
 * and the resource address (which names the file for infrastructure code), plus the account id and region when the
 * finding belongs to a known AWS account, so that the same resource name in two accounts or regions differs. The
 * line is left out on purpose: the identity survives edits that move the resource within its file. Infrastructure
 * code without an account id keeps the plain rule-and-address hash, so its identities do not depend on how the
 * scan was invoked.
 */
export function findingFingerprint(
  finding: Pick<Finding, "ruleId" | "account" | "region"> & { resource: { address: string } },
): string {
  const parts = [finding.ruleId, finding.resource.address];
  if (ACCOUNT_ID.test(finding.account)) parts.push(finding.account, finding.region ?? "");
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}
