import type { Finding, InputError, Rule } from "../../src/model/index.js";
import type { RenderOptions, Report } from "../../src/report/types.js";

/** A fictional checkout; nothing is read from it. */
export const ROOT = "/checkout/infra";

export const TRAIL = "template.yaml#Trail";
export const LIVE_TRAIL = "arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail";
export const TF_TRAIL = "aws_cloudtrail.main";
export const BUCKET = "template.yaml#LogBucket";

function rule(partial: Partial<Rule> & Pick<Rule, "id" | "severity">): Rule {
  return {
    title: `Title of ${partial.id}`,
    description: `Description of ${partial.id}.`,
    scope: "trail",
    assert: "true",
    evidence: [],
    remediation: `Fix ${partial.id}.`,
    controls: [],
    pack: "cloudtrail-core",
    ...partial,
  };
}

export function rules(): Rule[] {
  return [
    rule({
      id: "cloudtrail-multi-region",
      severity: "critical",
      title: "Trail records all regions",
      controls: [
        {
          framework: "cis-aws",
          control: "3.1",
          ref: "cis-aws:3.1",
          title: "Ensure CloudTrail is enabled in all regions",
        },
        {
          framework: "nist-800-53",
          control: "AU-2",
          ref: "nist-800-53:AU-2",
          frameworkTitle: "NIST SP 800-53",
        },
      ],
    }),
    rule({
      id: "CT.2",
      severity: "high",
      title: "Trail is an organization trail",
      helpUri: "https://example.org/rules/ct-2",
      controls: [{ framework: "pci-dss", control: "10.2.1", ref: "pci-dss:10.2.1" }],
    }),
    rule({ id: "trail-kms-encryption", severity: "medium", title: "Trail logs are encrypted with KMS" }),
    rule({ id: "log-file-validation", severity: "low", title: "Log file validation is on" }),
    rule({ id: "trail-has-tags", severity: "info", title: "Trail is tagged" }),
    rule({
      id: "bucket-many-controls",
      severity: "medium",
      scope: "bucket",
      controls: Array.from({ length: 25 }, (_, i) => ({
        framework: "fw",
        control: String(i + 1),
        ref: `fw:${i + 1}`,
      })),
    }),
  ];
}

export function findings(): Finding[] {
  const trail = { kind: "trail" as const, id: "Trail", address: TRAIL, name: "Trail" };
  return [
    {
      ruleId: "cloudtrail-multi-region",
      status: "fail",
      severity: "critical",
      account: "123456789012",
      resource: trail,
      message: "IsMultiRegionTrail is false.",
      unknowns: [],
      location: { file: "template.yaml", line: 12, column: 7 },
    },
    {
      ruleId: "trail-kms-encryption",
      status: "unknown",
      severity: "medium",
      account: "123456789012",
      resource: trail,
      message: "Encryption could not be determined.",
      unknowns: [{ path: "trail.kmsKeyId", reason: "KmsKeyId references a parameter without a default" }],
      location: { file: "template.yaml", line: 14, column: 7 },
    },
    {
      ruleId: "log-file-validation",
      status: "pass",
      severity: "low",
      account: "123456789012",
      resource: trail,
      message: "Log file validation is enabled.",
      unknowns: [],
      location: { file: "template.yaml", line: 10, column: 5 },
    },
    {
      ruleId: "trail-has-tags",
      status: "not-applicable",
      severity: "info",
      account: "123456789012",
      resource: trail,
      message: "Tags are not evaluated for this source.",
      unknowns: [],
      location: { file: "template.yaml", line: 10, column: 5 },
    },
    {
      ruleId: "CT.2",
      status: "fail",
      severity: "high",
      account: "123456789012",
      resource: { kind: "trail", id: "main", address: TF_TRAIL },
      message: "is_organization_trail is not set.",
      unknowns: [],
      location: { file: "main.tf", line: 3, column: 1 },
      suppression: {
        kind: "inline",
        reason: "Org trail is managed in the management account",
        location: { file: "main.tf", line: 2, column: 1 },
      },
    },
    {
      ruleId: "CT.2",
      status: "fail",
      severity: "high",
      account: "123456789012",
      resource: { kind: "trail", id: "org-trail", address: LIVE_TRAIL, name: "org-trail" },
      message: "The trail is not an organization trail.",
      unknowns: [],
    },
    {
      ruleId: "trail-has-tags",
      status: "fail",
      severity: "info",
      account: "123456789012",
      resource: { kind: "trail", id: "main", address: TF_TRAIL },
      message: "No tags.",
      unknowns: [],
      location: { file: "main.tf", line: 1, column: 1 },
    },
    {
      ruleId: "bucket-many-controls",
      status: "fail",
      severity: "medium",
      account: "123456789012",
      resource: { kind: "bucket", id: "LogBucket", address: BUCKET },
      message: "Policy allows a | b\nsecond line <script>",
      unknowns: [],
      location: { file: "template.yaml", line: 30, column: 3 },
    },
  ];
}

export function errors(): InputError[] {
  return [
    {
      code: "suppression-invalid",
      file: "main.tf",
      message: "Suppression without a reason is ignored",
      severity: "warning",
    },
    {
      code: "syntax",
      file: "broken.yaml",
      line: 4,
      column: 2,
      message: "Unexpected mapping value",
      severity: "error",
    },
    { code: "aws-error", message: "Could not list trails in eu-west-3: AccessDenied", severity: "error" },
  ];
}

export function makeReport(overrides: Partial<Report> = {}): Report {
  return {
    tool: { name: "trailguard", version: "0.1.0", informationUri: "https://github.com/example/trailguard" },
    root: ROOT,
    rules: rules(),
    findings: findings(),
    errors: errors(),
    files: ["template.yaml", "main.tf", "broken.yaml"],
    ...overrides,
  };
}

export function makeOptions(overrides: Partial<RenderOptions> = {}): RenderOptions {
  return { includePassed: false, color: false, automationId: "trailguard/cloudtrail/", ...overrides };
}

/** A deterministic shuffle (reversal plus rotation), to check that output does not depend on input order. */
export function scrambled<T>(items: readonly T[]): T[] {
  const reversed = [...items].reverse();
  return [...reversed.slice(2), ...reversed.slice(0, 2)];
}
