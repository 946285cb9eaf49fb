import { describe, expect, it } from "vitest";
import type { Report } from "../../src/report/index.js";
import { renderText } from "../../src/report/text.js";

describe("text report notes", () => {
  it("write control characters from inputs as escapes, keeping the explanation", () => {
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
          message: "Not met: X is alarmed: filter `evil\u001b[2J` misses event E",
          unknowns: [],
        },
      ],
      errors: [],
    } as unknown as Report;
    const text = renderText(report, { color: false, includePassed: false } as never);
    expect(text).toContain("why: filter `evil\\u001b[2J` misses event E");
    expect(text).not.toContain("\u001b");
  });
});
