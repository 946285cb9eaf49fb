import { evaluate } from "../../../src/engine/index.js";
import type { Finding } from "../../../src/model/index.js";
import { type AccountInventory, linkAccount } from "../../../src/model/index.js";
import type { LiveOptions } from "../../../src/sources/aws/index.js";
import { corePolicies } from "../../support/evaluate.js";
import type { MotoEndpoint } from "../../support/moto.js";
import { REPO_ROOT } from "../../support/paths.js";

export const TEST_CREDENTIALS = {
  accessKeyId: "testing",
  secretAccessKey: "testing",
  sessionToken: "testing",
};

/** Options that point the collector at an emulator (or a proxy in front of it), fast to fail in tests. */
export function liveOptions(endpoint: string, extra: LiveOptions = {}): LiveOptions {
  return {
    endpoint,
    credentials: TEST_CREDENTIALS,
    region: "us-east-1",
    version: "test",
    maxAttempts: 2,
    ...extra,
  };
}

export function motoOptions(moto: MotoEndpoint, extra: LiveOptions = {}): LiveOptions {
  return liveOptions(moto.endpoint, extra);
}

/** Links and evaluates accounts with the core pack, as a scan does. */
export function findingsOf(accounts: AccountInventory[]): Finding[] {
  for (const account of accounts) linkAccount(account);
  return evaluate({ root: REPO_ROOT, files: [], accounts, errors: [] }, corePolicies.rules);
}

/** Verdict of each rule on one resource address. */
export function verdictsFor(findings: Finding[], address: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of findings) if (f.resource.address === address) out[f.ruleId] = f.status;
  return out;
}

/** Findings without their locations: what a live scan and a scan of its snapshot must agree on. */
export function comparable(findings: Finding[]) {
  return findings
    .map((f) => ({
      ruleId: f.ruleId,
      status: f.status,
      address: f.resource.address,
      message: f.message,
      unknowns: f.unknowns,
    }))
    .sort((a, b) => `${a.address} ${a.ruleId}`.localeCompare(`${b.address} ${b.ruleId}`));
}
