import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/index.js";
import { renderText } from "../../src/report/text.js";

describe("text report notes", () => {
  it("drop escape sequences from inputs, show other control characters escaped, keep the computed message", () => {
    const report = {
      root: "/",
      rules: [{ id: "cis.alarm.x", title: "X is alarmed", remediation: "fix it" }],
      findings: [
        {
          ruleId: "cis.alarm.x",
          status: "fail",
          severity: "medium",
          account: "a",
          resource: { kind: "account", id: "a", address: "a" },
          message: "filter `evil\u001b[2J\u0007` misses event E",
          unknowns: [],
        },
      ],
      errors: [],
    } as unknown as Report;
    const text = renderText(report, { color: false, includePassed: false } as never);
    expect(text).toContain("filter `evil\\u0007` misses event E");
    expect(text).not.toContain("\u001b");
  });
});
