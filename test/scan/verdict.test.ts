import { expect, test } from "vitest";
import type { Finding } from "../../src/model/index.js";
import { EXIT, exitCode } from "../../src/scan/index.js";

const finding = (status: Finding["status"], severity: Finding["severity"], suppressed = false): Finding => ({
  ruleId: "trail.logging",
  status,
  severity,
  account: ".",
  resource: { kind: "trail", id: "t", address: "t" },
  message: "",
  unknowns: [],
  ...(suppressed ? { suppression: { kind: "inline" as const, reason: "accepted" } } : {}),
});

test.each([
  [
    "a failing finding at the threshold",
    [finding("fail", "high")],
    { failOn: "high", failOnUnknown: true },
    EXIT.findings,
  ],
  [
    "a failing finding below the threshold",
    [finding("fail", "medium")],
    { failOn: "high", failOnUnknown: true },
    EXIT.ok,
  ],
  [
    "an unknown finding counts by default",
    [finding("unknown", "high")],
    { failOn: "low", failOnUnknown: true },
    EXIT.findings,
  ],
  [
    "an unknown finding with --no-fail-on-unknown",
    [finding("unknown", "high")],
    { failOn: "low", failOnUnknown: false },
    EXIT.ok,
  ],
  [
    "a suppressed failure",
    [finding("fail", "critical", true)],
    { failOn: "low", failOnUnknown: true },
    EXIT.ok,
  ],
  ["--fail-on none", [finding("fail", "critical")], { failOn: "none", failOnUnknown: true }, EXIT.ok],
  ["passes only", [finding("pass", "critical")], { failOn: "info", failOnUnknown: true }, EXIT.ok],
] as const)("%s → exit %i", (_name, findings, threshold, expected) => {
  expect(exitCode({ findings: [...findings], errors: [] }, threshold)).toBe(expected);
});

test("an input error is exit 2 whatever the findings; a warning is not", () => {
  const threshold = { failOn: "low", failOnUnknown: true } as const;
  expect(
    exitCode(
      {
        findings: [],
        errors: [{ code: "aws-error", message: "GetTrailStatus: AccessDenied", severity: "error" }],
      },
      threshold,
    ),
  ).toBe(EXIT.inputError);
  expect(
    exitCode(
      { findings: [], errors: [{ code: "aws-error", message: "a field", severity: "warning" }] },
      threshold,
    ),
  ).toBe(EXIT.ok);
});
