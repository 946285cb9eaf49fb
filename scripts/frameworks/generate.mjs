#!/usr/bin/env node
// Generates policies/frameworks/*.yaml (framework -> control -> trailguard rule ids).
//
// Input: ../shared/docs/framework-mappings.json relative to the repo root (override with
// the first CLI argument). That file maps each framework control to AWS Config managed
// rules, Prowler checks and Security Hub controls, with the source of every link.
//
// How a control gets its rules:
//   * The curated tables below decide WHICH controls are listed, their titles (own short
//     paraphrases) and which of the source-supported trailguard rules are listed.
//   * Every listed rule must be supported by the sources: the control's Config rules /
//     Prowler checks / Security Hub controls are translated to trailguard rule ids with
//     the CFG / PRW / SH tables, and a listed rule must appear in that translation.
//   * A rule without source support may only be listed as a `judgment` entry, which is
//     written with a `# judgment: <why>` comment.
//   * CIS controls are defined directly from the recommendation text (see CIS tables);
//     FSBP controls from the Security Hub control -> Config rule mapping.
// Run: node scripts/frameworks/generate.mjs [path/to/framework-mappings.json]

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..", "..");
const inputPath = path.resolve(repoRoot, process.argv[2] ?? "../shared/docs/framework-mappings.json");
const outDir = path.join(repoRoot, "policies", "frameworks");

// trailguard core-pack rule ids
const RULE_IDS = new Set([
  "trail.enabled",
  "trail.multi-region",
  "trail.logging",
  "trail.management-events",
  "trail.global-service-events",
  "trail.log-file-validation",
  "trail.kms-encryption",
  "trail.kms-key-rotation",
  "trail.cloudwatch-logs",
  "trail.insights",
  "trail.s3-data-events",
  "trail.sns-notification",
  "bucket.public-access-blocked",
  "bucket.access-logging",
  "bucket.dedicated",
  "bucket.versioning",
  "bucket.mfa-delete",
  "bucket.object-lock",
  "bucket.tls-only",
  "bucket.source-condition",
  "bucket.retention",
  "log-group.retention",
  "log-group.kms",
  "lake.retention",
  "lake.termination-protection",
]);

// ---------------------------------------------------------------------------
// Translation of external checks to trailguard rules
// ---------------------------------------------------------------------------

// AWS Config managed rule -> trailguard rules
const CFG = {
  "multi-region-cloudtrail-enabled": ["trail.enabled", "trail.multi-region", "trail.management-events"],
  "cloudtrail-enabled": ["trail.enabled", "trail.logging"],
  // composite rule: multi-region, global service events, validation, KMS, read+write management events
  "cloudtrail-security-trail-enabled": [
    "trail.enabled",
    "trail.multi-region",
    "trail.management-events",
    "trail.global-service-events",
    "trail.log-file-validation",
    "trail.kms-encryption",
  ],
  "cloud-trail-log-file-validation-enabled": ["trail.log-file-validation"],
  "cloud-trail-encryption-enabled": ["trail.kms-encryption"],
  "cmk-backing-key-rotation-enabled": ["trail.kms-key-rotation"],
  "cloud-trail-cloud-watch-logs-enabled": ["trail.cloudwatch-logs"],
  "cloudtrail-s3-dataevents-enabled": ["trail.s3-data-events"],
  "cloudtrail-all-read-s3-data-event-check": ["trail.s3-data-events"],
  "cloudtrail-all-write-s3-data-event-check": ["trail.s3-data-events"],
  "s3-bucket-logging-enabled": ["bucket.access-logging"],
  "cloudtrail-s3-bucket-access-logging": ["bucket.access-logging"],
  "cloudtrail-s3-bucket-public-access-prohibited": ["bucket.public-access-blocked"],
  "s3-bucket-ssl-requests-only": ["bucket.tls-only"],
  "cw-loggroup-retention-period-check": ["log-group.retention"],
  "cloudwatch-log-group-encrypted": ["log-group.kms"],
};

// Prowler check -> trailguard rules
const PRW = {
  cloudtrail_multi_region_enabled: ["trail.enabled", "trail.multi-region", "trail.logging"],
  cloudtrail_multi_region_enabled_logging_management_events: [
    "trail.enabled",
    "trail.multi-region",
    "trail.logging",
    "trail.management-events",
  ],
  cloudtrail_cloudwatch_logging_enabled: ["trail.cloudwatch-logs"],
  cloudtrail_kms_encryption_enabled: ["trail.kms-encryption"],
  cloudtrail_log_file_validation_enabled: ["trail.log-file-validation"],
  cloudtrail_logs_s3_bucket_access_logging_enabled: ["bucket.access-logging"],
  cloudtrail_logs_s3_bucket_is_not_publicly_accessible: ["bucket.public-access-blocked"],
  cloudtrail_s3_dataevents_read_enabled: ["trail.s3-data-events"],
  cloudtrail_s3_dataevents_write_enabled: ["trail.s3-data-events"],
  cloudtrail_insights_exist: ["trail.insights"],
  cloudtrail_bucket_requires_mfa_delete: ["bucket.mfa-delete"],
  kms_cmk_rotation_enabled: ["trail.kms-key-rotation"],
  cloudwatch_log_group_kms_encryption_enabled: ["log-group.kms"],
  cloudwatch_log_group_retention_policy_specific_days_enabled: ["log-group.retention"],
};

// Security Hub control -> trailguard rules (via the control's backing Config rule)
const SH = {
  "CloudTrail.1": ["trail.enabled", "trail.multi-region", "trail.management-events"],
  "CloudTrail.2": ["trail.kms-encryption"],
  "CloudTrail.3": ["trail.enabled", "trail.logging"],
  "CloudTrail.4": ["trail.log-file-validation"],
  "CloudTrail.5": ["trail.cloudwatch-logs"],
  "CloudTrail.6": ["bucket.public-access-blocked"],
  "CloudTrail.7": ["bucket.access-logging"],
  "KMS.4": ["trail.kms-key-rotation"],
  "S3.5": ["bucket.tls-only"],
  "S3.9": ["bucket.access-logging"],
  "CloudWatch.16": ["log-group.retention"],
};

const SOURCE_LABEL = {
  steampipe: "Steampipe",
  "aws-securityhub-2023": "AWS Security Hub",
  "aws-template-2020-tags": "AWS Config pack tags",
  "aws-template": "AWS Config pack",
  "cis-pack-semantic": "AWS Config CIS pack",
  prowler: "Prowler",
};

const mappings = JSON.parse(fs.readFileSync(inputPath, "utf8"));

// NIST ids: statement parts such as AU-3(a) or PM-14(a)(1) are folded into the control
// (AU-3, PM-14); enhancements such as AU-9(3) are kept.
const nistBase = (id) => id.match(/^[A-Z]{2}-\d+(?:\(\d+\))?/)[0];

/** control id -> Map(rule -> Set(source label)) for one framework of the mappings file */
function supportFor(frameworkKey, normalise = (id) => id) {
  const fw = mappings[frameworkKey];
  if (!fw) throw new Error(`framework ${frameworkKey} not in mappings`);
  const out = new Map();
  for (const [rawId, entry] of Object.entries(fw)) {
    if (rawId.startsWith("_")) continue;
    const id = normalise(rawId);
    if (!out.has(id)) out.set(id, new Map());
    const m = out.get(id);
    const add = (rules, label) => {
      for (const r of rules ?? []) {
        if (!m.has(r)) m.set(r, new Set());
        m.get(r).add(label);
      }
    };
    for (const rule of entry.configRules ?? []) {
      const ev = entry.configRuleEvidence?.[rule] ?? [];
      for (const e of ev.length ? ev : ["aws-template"]) add(CFG[rule], SOURCE_LABEL[e] ?? e);
    }
    for (const check of entry.prowlerChecks ?? []) add(PRW[check], "Prowler");
    for (const ctl of entry.securityHubControls ?? []) {
      if (/via Steampipe/i.test(ctl)) continue; // metric-filter controls: no trailguard rule
      add(SH[ctl], "AWS Security Hub");
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Curated control tables
// c(id, title, rules, { judgment: {rule: why}, note })
// ---------------------------------------------------------------------------
const c = (id, title, rules, extra = {}) => ({ id, title, rules, ...extra });

const CORE = ["trail.enabled", "trail.logging", "trail.multi-region", "trail.management-events"];

const PCI = [
  c("3.5.1", "Stored PAN is rendered unreadable", ["trail.kms-encryption", "log-group.kms"], {
    note: "AWS maps CloudTrail.2 to the v3.2.1 predecessor (3.4)",
  }),
  c("3.7.4", "Keys are changed when their cryptoperiod ends", ["trail.kms-key-rotation"]),
  c("10.2.1", "Audit logs are enabled and active", ["trail.enabled", "trail.logging", "trail.multi-region"]),
  c("10.2.1.1", "Logs record each user access to cardholder data", [
    "trail.enabled",
    "trail.logging",
    "trail.s3-data-events",
  ]),
  c("10.2.1.2", "Logs record every action by administrative accounts", CORE),
  c("10.2.1.3", "Logs record all access to audit logs", [
    "trail.enabled",
    "trail.s3-data-events",
    "bucket.access-logging",
  ]),
  c("10.2.1.4", "Logs record invalid logical access attempts", CORE),
  c("10.2.1.5", "Logs record changes to identification and authentication credentials", CORE),
  c("10.2.1.6", "Logs record starting, stopping or pausing of audit logs", CORE),
  c("10.2.1.7", "Logs record creation and deletion of system-level objects", CORE),
  c("10.2.2", "Log entries hold identity, event type, time, outcome, origin and target", [
    "trail.enabled",
    "trail.logging",
  ]),
  c(
    "10.3.1",
    "Read access to audit logs is limited to those who need it",
    ["bucket.access-logging", "trail.s3-data-events"],
    {
      judgment: {
        "bucket.public-access-blocked":
          "a publicly readable log bucket defeats need-to-know read access (CloudTrail.6 topic)",
      },
    },
  ),
  c(
    "10.3.2",
    "Audit log files are protected from modification",
    ["trail.log-file-validation", "trail.kms-encryption", "log-group.kms"],
    {
      judgment: {
        "bucket.object-lock": "WORM retention on the log bucket blocks overwrite and deletion of log objects",
      },
    },
  ),
  c(
    "10.3.3",
    "Audit logs are promptly backed up to a central store that is hard to alter",
    ["trail.enabled", "trail.multi-region", "trail.log-file-validation", "trail.kms-encryption"],
    {
      judgment: {
        "trail.cloudwatch-logs":
          "second central copy; AWS maps CloudTrail.5 to the v3.2.1 predecessor 10.5.3",
      },
    },
  ),
  c("10.3.4", "Change detection on audit logs alerts when logs are altered", ["trail.log-file-validation"]),
  c("10.4.1.1", "Audit log reviews are automated", ["trail.cloudwatch-logs"], {
    judgment: {
      "trail.insights": "Insights is CloudTrail's built-in automated anomaly review of management events",
    },
  }),
  c("10.5.1", "Audit log history is kept 12 months, 3 months readily available", ["log-group.retention"], {
    judgment: {
      "bucket.retention": "the S3 copy is the long-term store; its lifecycle must keep >= 12 months",
      "lake.retention": "event data store retention is the same requirement for CloudTrail Lake",
    },
  }),
  c("10.6.3", "Time settings are protected and changes to them are logged", CORE),
  c("A1.2.1", "Multi-tenant providers enable audit logging for each customer environment", CORE),
];

const HIPAA = [
  c("164.308(a)(1)(ii)(D)", "Regular review of information system activity records", [
    ...CORE,
    "trail.cloudwatch-logs",
    "trail.s3-data-events",
  ]),
  c("164.308(a)(3)(ii)(A)", "Authorization and supervision of workforce access to ePHI", [
    "trail.enabled",
    "trail.logging",
    "trail.management-events",
    "trail.s3-data-events",
  ]),
  c(
    "164.308(a)(5)(ii)(C)",
    "Monitoring of log-in attempts",
    ["trail.enabled", "trail.logging", "trail.cloudwatch-logs"],
    {
      judgment: {
        "trail.global-service-events": "sign-in, IAM and STS activity arrives as global service events",
      },
    },
  ),
  c("164.308(a)(6)(ii)", "Identify, respond to and document security incidents", [
    "trail.enabled",
    "trail.logging",
    "trail.multi-region",
    "trail.cloudwatch-logs",
  ]),
  c("164.312(a)(2)(iv)", "Encryption and decryption of ePHI", [
    "trail.kms-encryption",
    "trail.kms-key-rotation",
    "log-group.kms",
  ]),
  c("164.312(b)", "Audit controls record and examine system activity", [
    ...CORE,
    "trail.log-file-validation",
    "trail.cloudwatch-logs",
    "trail.s3-data-events",
    "log-group.retention",
  ]),
  c("164.312(c)(1)", "Protect ePHI from improper alteration or destruction", [
    "trail.log-file-validation",
    "trail.kms-encryption",
  ]),
  c("164.312(c)(2)", "Mechanism to corroborate that data was not altered", ["trail.log-file-validation"]),
  c("164.312(e)(2)(ii)", "Encryption of ePHI in transit", [], {
    judgment: {
      "bucket.tls-only":
        "a deny-unless-SecureTransport bucket policy forces TLS for every log read and write",
    },
  }),
];

const SOC2 = [
  c("CC2.1", "Relevant, quality information supports internal control", [
    "trail.enabled",
    "trail.multi-region",
    "trail.management-events",
    "trail.global-service-events",
    "trail.s3-data-events",
  ]),
  c(
    "CC6.1",
    "Logical access security protects information assets",
    ["trail.kms-encryption", "log-group.kms"],
    {
      judgment: { "bucket.public-access-blocked": "a public log bucket exposes the audit record to anyone" },
    },
  ),
  c(
    "CC7.2",
    "System components are monitored for anomalies",
    [...CORE, "trail.cloudwatch-logs", "trail.s3-data-events", "log-group.retention"],
    { judgment: { "trail.insights": "Insights detects unusual API call and error rates" } },
  ),
  c("CC7.3", "Security events are evaluated to decide whether they are incidents", [
    "trail.cloudwatch-logs",
    "trail.log-file-validation",
    "log-group.retention",
  ]),
];

const NIST = [
  c("AC-2(4)", "Account management: automated audit actions", [
    "trail.enabled",
    "trail.multi-region",
    "trail.management-events",
    "trail.cloudwatch-logs",
  ]),
  c("AC-6(9)", "Least privilege: log use of privileged functions", CORE),
  c("AU-2", "Event logging", [
    ...CORE,
    "trail.s3-data-events",
    "trail.cloudwatch-logs",
    "bucket.access-logging",
  ]),
  c("AU-3", "Content of audit records", ["trail.enabled", "trail.logging", "trail.management-events"]),
  c("AU-3(1)", "Content of audit records: additional information", ["trail.enabled", "trail.logging"]),
  c("AU-4(1)", "Audit log storage: transfer to alternate storage", ["trail.cloudwatch-logs"]),
  c("AU-6(1)", "Audit review: automated process integration", ["trail.cloudwatch-logs"]),
  c("AU-6(3)", "Audit review: correlate audit record repositories", [
    "trail.enabled",
    "trail.multi-region",
    "trail.cloudwatch-logs",
    "log-group.retention",
  ]),
  c("AU-6(4)", "Audit review: central review and analysis", [
    "trail.enabled",
    "trail.multi-region",
    "trail.cloudwatch-logs",
    "log-group.retention",
  ]),
  c("AU-6(5)", "Audit review: integrated analysis of audit records", ["trail.cloudwatch-logs"]),
  c("AU-7(1)", "Audit record reduction: automatic processing", ["trail.cloudwatch-logs"]),
  c("AU-9", "Protection of audit information", ["trail.log-file-validation", "trail.kms-encryption"]),
  c("AU-9(3)", "Protection of audit information: cryptographic protection", [
    "trail.kms-encryption",
    "log-group.kms",
  ]),
  c(
    "AU-10",
    "Non-repudiation",
    ["trail.enabled", "trail.multi-region", "trail.management-events", "trail.s3-data-events"],
    {
      judgment: {
        "trail.log-file-validation": "signed digest files prove which log records were delivered, unaltered",
      },
    },
  ),
  c("AU-11", "Audit record retention", ["log-group.retention"], {
    judgment: {
      "bucket.retention": "the S3 copy is the long-term record; its lifecycle sets how long records survive",
      "lake.retention": "event data store retention governs records kept in CloudTrail Lake",
    },
  }),
  c("AU-11(1)", "Audit record retention: long-term retrieval", ["log-group.retention"]),
  c("AU-12", "Audit record generation", [
    ...CORE,
    "trail.s3-data-events",
    "trail.cloudwatch-logs",
    "bucket.access-logging",
  ]),
  c("AU-12(1)", "Audit record generation: system-wide, time-correlated trail", [
    "trail.enabled",
    "trail.multi-region",
    "trail.management-events",
    "trail.cloudwatch-logs",
  ]),
  c("AU-14(1)", "Session audit: system start-up", [
    "trail.enabled",
    "trail.multi-region",
    "trail.management-events",
  ]),
  c("CA-7", "Continuous monitoring", [
    ...CORE,
    "trail.cloudwatch-logs",
    "log-group.retention",
    "bucket.access-logging",
  ]),
  c("SA-8(22)", "Engineering principles: accountability and traceability", [
    "trail.enabled",
    "trail.multi-region",
    "trail.management-events",
  ]),
  c("SC-12", "Cryptographic key establishment and management", ["trail.kms-key-rotation"]),
  c("SC-12(2)", "Key management: symmetric keys", ["trail.kms-key-rotation"]),
  c("SC-13", "Cryptographic protection", ["trail.kms-encryption", "log-group.kms"]),
  c("SC-28", "Protection of information at rest", ["trail.kms-encryption"]),
  c("SC-28(1)", "Information at rest: cryptographic protection", ["trail.kms-encryption", "log-group.kms"]),
  c("SC-28(3)", "Information at rest: cryptographic keys", ["trail.kms-key-rotation"]),
  c("SI-4(2)", "System monitoring: automated tools for real-time analysis", [
    "trail.enabled",
    "trail.multi-region",
    "trail.cloudwatch-logs",
  ]),
  c("SI-4(5)", "System monitoring: system-generated alerts", ["trail.cloudwatch-logs"]),
  c("SI-4(20)", "System monitoring: privileged users", [
    "trail.enabled",
    "trail.multi-region",
    "trail.management-events",
    "trail.cloudwatch-logs",
  ]),
  c("SI-7", "Software, firmware and information integrity", ["trail.log-file-validation"]),
  c("SI-7(1)", "Integrity: integrity checks", ["trail.log-file-validation"]),
  c("SI-7(8)", "Integrity: auditing capability for significant events", [
    "trail.enabled",
    "trail.multi-region",
    "trail.management-events",
    "trail.cloudwatch-logs",
  ]),
  c("SI-12", "Information management and retention", ["log-group.retention"]),
];

// CIS: rules come from the recommendation itself (plus the Config/Security Hub/Prowler
// check for it, which the mappings file records); status/level from Prowler's CIS files.
const cis = (id, title, rules, status, extra = {}) => ({ id, title, rules, status, ...extra });
const CIS_31_RULES = ["trail.enabled", "trail.multi-region", "trail.logging", "trail.management-events"];
const CIS_NOTES = {
  rotation: "recommendation covers every customer-managed symmetric key; trailguard checks the trail's key",
  dataEvents: "the same rule evidences both the object-level write and read items",
};

const CIS14 = [
  cis(
    "3.1",
    "CloudTrail is on in all regions with read and write management events",
    CIS_31_RULES,
    "L1, Automated",
    {
      judgment: {
        "trail.global-service-events":
          "pre-v3 audits of this item also expect global service events on the trail",
      },
    },
  ),
  cis("3.2", "CloudTrail log file validation is on", ["trail.log-file-validation"], "L2, Automated"),
  cis(
    "3.3",
    "The CloudTrail S3 bucket is not publicly accessible",
    ["bucket.public-access-blocked"],
    "L1, Automated",
  ),
  cis("3.4", "Trails send events to CloudWatch Logs", ["trail.cloudwatch-logs"], "L1, Automated"),
  cis(
    "3.6",
    "S3 server access logging is on for the CloudTrail bucket",
    ["bucket.access-logging"],
    "L1, Automated",
  ),
  cis(
    "3.7",
    "CloudTrail logs are encrypted at rest with KMS keys",
    ["trail.kms-encryption"],
    "L2, Automated",
  ),
  cis("3.8", "Customer-managed symmetric KMS keys rotate", ["trail.kms-key-rotation"], "L2, Automated", {
    note: CIS_NOTES.rotation,
  }),
  cis("3.10", "S3 object-level write events are logged", ["trail.s3-data-events"], "L2, Automated", {
    note: CIS_NOTES.dataEvents,
  }),
  cis("3.11", "S3 object-level read events are logged", ["trail.s3-data-events"], "L2, Automated", {
    note: CIS_NOTES.dataEvents,
  }),
];
const CIS30 = [
  cis(
    "3.1",
    "CloudTrail is on in all regions with read and write management events",
    CIS_31_RULES,
    "L1, Automated",
  ),
  cis("3.2", "CloudTrail log file validation is on", ["trail.log-file-validation"], "L2, Automated"),
  cis(
    "3.4",
    "S3 server access logging is on for the CloudTrail bucket",
    ["bucket.access-logging"],
    "L1, Automated",
  ),
  cis(
    "3.5",
    "CloudTrail logs are encrypted at rest with KMS keys",
    ["trail.kms-encryption"],
    "L2, Automated",
  ),
  cis("3.6", "Customer-managed symmetric KMS keys rotate", ["trail.kms-key-rotation"], "L2, Automated", {
    note: CIS_NOTES.rotation,
  }),
  cis("3.8", "S3 object-level write events are logged", ["trail.s3-data-events"], "L2, Automated", {
    note: CIS_NOTES.dataEvents,
  }),
  cis("3.9", "S3 object-level read events are logged", ["trail.s3-data-events"], "L2, Automated", {
    note: CIS_NOTES.dataEvents,
  }),
];
const CIS50 = [
  cis(
    "3.1",
    "CloudTrail is on in all regions with read and write management events",
    CIS_31_RULES,
    "L1, Manual (Automated until v4.0.1)",
  ),
  cis("3.2", "CloudTrail log file validation is on", ["trail.log-file-validation"], "L2, Automated"),
  cis(
    "3.4",
    "S3 server access logging is on for the CloudTrail bucket",
    ["bucket.access-logging"],
    "L1, Manual (Automated until v4.0.1)",
  ),
  cis("3.5", "CloudTrail logs are encrypted at rest with KMS keys", ["trail.kms-encryption"], "Automated"),
  cis("3.6", "Customer-managed symmetric KMS keys rotate", ["trail.kms-key-rotation"], "Automated", {
    note: CIS_NOTES.rotation,
  }),
  cis("3.8", "S3 object-level write events are logged", ["trail.s3-data-events"], "Automated", {
    note: CIS_NOTES.dataEvents,
  }),
  cis("3.9", "S3 object-level read events are logged", ["trail.s3-data-events"], "Automated", {
    note: CIS_NOTES.dataEvents,
  }),
];

// Security Hub controls (FSBP and the other Security Hub standards' CloudTrail-related controls)
const FSBP = [
  c(
    "CloudTrail.1",
    "At least one multi-region trail logs read and write management events",
    ["trail.enabled", "trail.multi-region", "trail.management-events"],
    { note: "multi-region-cloudtrail-enabled; FSBP" },
  ),
  c("CloudTrail.2", "Trails encrypt logs at rest with KMS", ["trail.kms-encryption"], {
    note: "cloud-trail-encryption-enabled; FSBP",
  }),
  c("CloudTrail.3", "CloudTrail is enabled in the account", ["trail.enabled", "trail.logging"], {
    note: "cloudtrail-enabled; Security Hub PCI DSS v3.2.1 standard (listed in Prowler's FSBP file without a check)",
  }),
  c("CloudTrail.4", "Log file validation is on", ["trail.log-file-validation"], {
    note: "cloud-trail-log-file-validation-enabled; FSBP",
  }),
  c("CloudTrail.5", "Trails deliver to CloudWatch Logs", ["trail.cloudwatch-logs"], {
    note: "cloud-trail-cloud-watch-logs-enabled; FSBP",
  }),
  c("CloudTrail.6", "The trail's S3 bucket is not publicly accessible", ["bucket.public-access-blocked"], {
    note: "custom Security Hub logic; CIS v1.2.0/v1.4.0 standards (listed in Prowler's FSBP file)",
  }),
  c("CloudTrail.7", "Server access logging is on for the trail's S3 bucket", ["bucket.access-logging"], {
    note: "custom Security Hub logic; CIS standards (listed in Prowler's FSBP file)",
  }),
  c("KMS.4", "KMS key rotation is enabled", ["trail.kms-key-rotation"], {
    note: "cmk-backing-key-rotation-enabled; FSBP membership not verified in sources; trailguard checks the trail's key only",
  }),
  c("S3.5", "S3 buckets require TLS for requests", ["bucket.tls-only"], {
    note: "s3-bucket-ssl-requests-only (AWS Config / Steampipe FSBP docs; not in frameworks.md); trailguard checks the log bucket only",
  }),
  c("S3.9", "S3 buckets have server access logging on", ["bucket.access-logging"], {
    note: "s3-bucket-logging-enabled (frameworks.md NIST table); FSBP membership not verified; trailguard checks the log bucket only",
  }),
  c("CloudWatch.16", "Log groups keep events for at least a year", ["log-group.retention"], {
    note: "cw-loggroup-retention-period-check (frameworks.md NIST table); FSBP membership not verified",
  }),
];

// ---------------------------------------------------------------------------
// Frameworks
// ---------------------------------------------------------------------------
const FRAMEWORKS = [
  {
    id: "cis-aws-1.4.0",
    title: "CIS Amazon Web Services Foundations Benchmark v1.4.0",
    version: "1.4.0",
    url: "https://www.cisecurity.org/benchmark/amazon_web_services",
    source:
      "CIS AWS Foundations v1.4.0 section 3 numbering/levels per Prowler cis_1.4_aws.json @3e000faa and Steampipe cis_v140 @a1d0b446 (frameworks.md 1.1); Security Hub CloudTrail.x mapping",
    mappingKey: "CIS AWS Foundations v1.4.0",
    controls: CIS14,
    kind: "cis",
    omitted:
      "3.5 (AWS Config) and 3.9 (VPC flow logs) have no trailguard rule; section 4 metric filters omitted",
  },
  {
    id: "cis-aws-3.0.0",
    title: "CIS Amazon Web Services Foundations Benchmark v3.0.0",
    version: "3.0.0",
    url: "https://www.cisecurity.org/benchmark/amazon_web_services",
    source:
      "CIS AWS Foundations v3.0.0 section 3 numbering/levels per Prowler cis_3.0_aws.json @3e000faa and Steampipe cis_v300 @a1d0b446 (frameworks.md 1.1, 1.5)",
    mappingKey: "CIS AWS Foundations v3.0.0",
    controls: CIS30,
    kind: "cis",
    omitted:
      "3.3 (AWS Config) and 3.7 (VPC flow logs) have no trailguard rule; section 4 metric filters omitted; v1.4 3.3/3.4 were removed in v3.0.0",
  },
  {
    id: "cis-aws-5.0.0",
    title: "CIS Amazon Web Services Foundations Benchmark v5.0.0",
    version: "5.0.0",
    url: "https://www.cisecurity.org/benchmark/amazon_web_services",
    source:
      "CIS AWS Foundations v5.0.0 section 3 numbering/status per Prowler cis_5.0_aws.json @3e000faa and Steampipe cis_v500 @a1d0b446 (frameworks.md 1.1, 1.5)",
    mappingKey: "CIS AWS Foundations v5.0.0",
    controls: CIS50,
    kind: "cis",
    omitted:
      "3.3 (AWS Config) and 3.7 (VPC flow logs) have no trailguard rule; section 4 metric filters omitted",
  },
  {
    id: "aws-fsbp",
    title: "AWS Foundational Security Best Practices (Security Hub controls)",
    version: "1.0.0",
    url: "https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html",
    source:
      "Security Hub user guide cloudtrail-controls.md @bda5bf7 and current pages, Prowler aws_foundational_security_best_practices_aws.json @3e000faa, Steampipe foundational_security (prowler-steampipe-securityhub.md 2.4, 3.1)",
    controls: FSBP,
    kind: "sh",
    omitted:
      "CloudTrail.10 (Lake CMK) has no trailguard rule; S3.22/S3.23 ids not verified; CloudWatch.1-14 are metric filters",
  },
  {
    id: "pci-dss-4.0",
    title: "PCI DSS v4.0",
    version: "4.0",
    url: "https://www.pcisecuritystandards.org/document_library/",
    source:
      "PCI DSS v4.0 requirement numbering (frameworks.md 4.1); mappings from Prowler pci_4.0_aws.json @3e000faa and Steampipe pci_dss_v40 @a1d0b446 (frameworks.md 2.4, 3)",
    mappingKey: "PCI DSS 4.0",
    controls: PCI,
    kind: "mapped",
  },
  {
    id: "hipaa",
    title: "HIPAA Security Rule (45 CFR Part 164, Subpart C)",
    version: "2003",
    url: "https://www.hhs.gov/hipaa/for-professionals/security/index.html",
    source:
      "HIPAA Security Rule 45 CFR 164.308/164.312 (frameworks.md 4.2); mappings from Prowler hipaa_aws.json @3e000faa and Steampipe hipaa_security_rule_2003 @a1d0b446 (frameworks.md 2.5, 3)",
    mappingKey: "HIPAA Security Rule",
    controls: HIPAA,
    kind: "mapped",
  },
  {
    id: "soc2",
    title: "SOC 2 Trust Services Criteria (2017)",
    version: "2017",
    url: "https://www.aicpa-cima.com/resources/download/get-the-2017-trust-services-criteria",
    source:
      "AICPA TSC 2017 (frameworks.md 4.3); third-party mappings only: Prowler soc2_aws.json @3e000faa and Steampipe soc_2 @a1d0b446 (no AWS Config pack exists; frameworks.md 2.9, 3)",
    mappingKey: "SOC 2 (TSC 2017)",
    controls: SOC2,
    kind: "mapped",
  },
  {
    id: "nist-800-53-r5",
    title: "NIST SP 800-53 Rev. 5",
    version: "5",
    url: "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
    source:
      "NIST SP 800-53 r5 (frameworks.md 4.4); mappings from Security Hub related requirements @bda5bf7, Prowler nist_800_53_revision_5_aws.json @3e000faa, Steampipe nist_800_53_rev_5 @a1d0b446 (frameworks.md 2.6, 3)",
    mappingKey: "NIST SP 800-53 r5",
    controls: NIST,
    kind: "mapped",
    normalise: nistBase,
  },
];

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------
const PLAIN = /^[A-Za-z0-9][A-Za-z0-9 ,.'()/+>=-]*$/;
const scalar = (s) => (PLAIN.test(s) && !/: | #/.test(s) ? s : JSON.stringify(s));
const sortLabels = (set) => [...set].sort((a, b) => a.localeCompare(b)).join(", ");

const errors = [];
const summary = [];

for (const fw of FRAMEWORKS) {
  const support = fw.mappingKey ? supportFor(fw.mappingKey, fw.normalise) : null;
  const lines = [];
  lines.push(
    `# Sources: ${fw.source}. Generated by scripts/frameworks/generate.mjs; edit the script, not this file.`,
  );
  if (fw.omitted) lines.push(`# Not listed: ${fw.omitted}.`);
  lines.push("framework:");
  lines.push(`  id: ${fw.id}`);
  lines.push(`  title: ${scalar(fw.title)}`);
  lines.push(`  version: "${fw.version}"`);
  lines.push(`  url: ${fw.url}`);
  lines.push("controls:");

  const seen = new Set();
  for (const ctl of fw.controls) {
    if (seen.has(ctl.id)) errors.push(`${fw.id}: duplicate control ${ctl.id}`);
    seen.add(ctl.id);
    const judgment = ctl.judgment ?? {};
    const rules = [...new Set(ctl.rules)];
    const all = [...rules, ...Object.keys(judgment)];
    if (!all.length) errors.push(`${fw.id} ${ctl.id}: no rules`);
    for (const r of all) if (!RULE_IDS.has(r)) errors.push(`${fw.id} ${ctl.id}: unknown rule ${r}`);

    // evidence check
    let evidence = "";
    if (fw.kind === "mapped" || fw.kind === "cis") {
      const sup = support.get(ctl.id);
      if (fw.kind === "mapped") {
        if (!sup) errors.push(`${fw.id} ${ctl.id}: control not in mappings`);
        for (const r of rules) {
          if (!sup?.has(r))
            errors.push(`${fw.id} ${ctl.id}: ${r} has no source support (make it a judgment entry?)`);
        }
      }
      for (const r of Object.keys(judgment)) {
        if (sup?.has(r))
          errors.push(`${fw.id} ${ctl.id}: ${r} is source-supported; list it as a normal rule`);
      }
      const labels = new Set();
      for (const r of rules) for (const l of sup?.get(r) ?? []) labels.add(l);
      if (fw.kind === "cis") labels.add("CIS recommendation");
      evidence = sortLabels(labels);
    } else {
      for (const r of rules) {
        if (!(SH[ctl.id] ?? []).includes(r))
          errors.push(`${fw.id} ${ctl.id}: ${r} not implied by the control's Config rule`);
      }
      evidence = ctl.note;
    }

    const comment = [];
    if (ctl.status) comment.push(ctl.status);
    if (fw.kind !== "sh" && ctl.note) comment.push(ctl.note);
    comment.push(`evidence: ${evidence || "none (judgment only)"}`);
    lines.push(`  - id: "${ctl.id}"  # ${comment.join("; ")}`);
    lines.push(`    title: ${scalar(ctl.title)}`);
    if (Object.keys(judgment).length === 0) {
      lines.push(`    rules: [${rules.join(", ")}]`);
    } else {
      lines.push("    rules:");
      for (const r of rules) lines.push(`      - ${r}`);
      for (const [r, why] of Object.entries(judgment)) lines.push(`      - ${r}  # judgment: ${why}`);
    }
  }

  const text = `${lines.join("\n")}\n`;
  // parse back and check shape
  const doc = YAML.parse(text);
  if (doc.framework.id !== fw.id) errors.push(`${fw.id}: id mismatch after parse`);
  for (const ctl of doc.controls) {
    if (
      typeof ctl.id !== "string" ||
      typeof ctl.title !== "string" ||
      !Array.isArray(ctl.rules) ||
      !ctl.rules.length
    ) {
      errors.push(`${fw.id}: bad control after parse ${JSON.stringify(ctl)}`);
    }
  }
  if (!/^[a-z0-9.-]+$/.test(fw.id)) errors.push(`${fw.id}: bad framework id`);
  fw.text = text;
  summary.push(`${fw.id}: ${doc.controls.length} controls`);
}

if (errors.length) {
  console.error(errors.join("\n"));
  process.exit(1);
}
fs.mkdirSync(outDir, { recursive: true });
for (const fw of FRAMEWORKS) fs.writeFileSync(path.join(outDir, `${fw.id}.yaml`), fw.text);
console.log(summary.join("\n"));
