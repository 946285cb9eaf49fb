import { describe, expect, test } from "vitest";
import { isUnknown, unknown } from "../../src/model/index.js";
import { normalizePolicy, parsePolicyJson } from "../../src/sources/policy.js";

describe("the shared policy normalizer", () => {
  test.each([
    [{ Principal: "*" }, ["*"]],
    [{ Principal: { AWS: "*" } }, ["*"]],
    [{ Principal: { AWS: ["arn:aws:iam::1:root", "2"] } }, ["AWS:arn:aws:iam::1:root", "AWS:2"]],
    [{ Principal: { Service: "cloudtrail.amazonaws.com" } }, ["Service:cloudtrail.amazonaws.com"]],
    [{}, []],
  ])("principals of %j → %j", (statement, expected) => {
    const policy = normalizePolicy({ Statement: [{ Effect: "Allow", ...statement }] });
    expect(!isUnknown(policy) && !isUnknown(policy.statements) && policy.statements[0]?.principals).toEqual(
      expected,
    );
  });

  test("condition keys are lower-cased and scalar values read as text", () => {
    const policy = parsePolicyJson(
      JSON.stringify({
        Statement: { Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": false } } },
      }),
    );
    expect(!isUnknown(policy) && policy.statements).toMatchObject([
      { effect: "Deny", conditions: [{ operator: "Bool", key: "aws:securetransport", values: ["false"] }] },
    ]);
  });

  test.each([
    ["not JSON", () => parsePolicyJson("{not json")],
    ["not an object", () => normalizePolicy(["Statement"])],
    ["a statement that is not an object", () => normalizePolicy({ Statement: ["x"] })],
  ])("%s is unknown, never an empty policy", (_name, read) => {
    const policy = read();
    expect(isUnknown(policy) || isUnknown(policy.statements)).toBe(true);
  });

  test("an unknown value inside a statement stays unknown", () => {
    const policy = normalizePolicy({
      Statement: [{ Effect: "Allow", Action: ["s3:GetObject", unknown("var.x")] }],
    });
    expect(
      !isUnknown(policy) && !isUnknown(policy.statements) && isUnknown(policy.statements[0]?.actions),
    ).toBe(true);
  });
});
