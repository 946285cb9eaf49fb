import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { findingFingerprint } from "../../src/model/index.js";

const iac = {
  ruleId: "trail.multi-region",
  account: "infra",
  resource: { address: "stacks/audit.yaml#Trail" },
};
const live = {
  ruleId: "trail.enabled",
  account: "111111111111",
  region: "eu-west-1",
  resource: { address: "account" },
};

describe("finding fingerprints", () => {
  it("hash rule and address alone for infrastructure code, as SARIF alerts always did", () => {
    const expected = createHash("sha256")
      .update("trail.multi-region\u0000stacks/audit.yaml#Trail")
      .digest("hex")
      .slice(0, 32);
    expect(findingFingerprint(iac)).toBe(expected);
    // The scanned path (how the scan was invoked) is not part of the identity.
    expect(findingFingerprint({ ...iac, account: "." })).toBe(expected);
  });

  it("tell the same address apart in two accounts or two regions", () => {
    const base = findingFingerprint(live);
    expect(findingFingerprint({ ...live, account: "222222222222" })).not.toBe(base);
    expect(findingFingerprint({ ...live, region: "us-east-1" })).not.toBe(base);
    expect(findingFingerprint({ ...live, region: undefined })).not.toBe(base);
    expect(findingFingerprint({ ...live })).toBe(base);
  });

  it("differ for another rule or another resource", () => {
    const base = findingFingerprint(iac);
    expect(findingFingerprint({ ...iac, ruleId: "trail.logging" })).not.toBe(base);
    expect(findingFingerprint({ ...iac, resource: { address: "stacks/audit.yaml#Other" } })).not.toBe(base);
  });
});
