import { describe, expect, test } from "vitest";
import { evaluate, loadPolicies } from "../../src/engine/index.js";
import type { Finding } from "../../src/model/index.js";
import { type AccountInventory, linkAccount, unknown } from "../../src/model/index.js";
import { account, bucket, eventDataStore, key, logGroup, trail } from "../support/builders.js";
import { POLICIES_DIR } from "../support/paths.js";

const policies = loadPolicies(POLICIES_DIR);

const CORE_RULE_IDS = [
  "bucket.access-logging",
  "bucket.dedicated",
  "bucket.mfa-delete",
  "bucket.object-lock",
  "bucket.public-access-blocked",
  "bucket.retention",
  "bucket.source-condition",
  "bucket.tls-only",
  "bucket.versioning",
  "lake.retention",
  "lake.termination-protection",
  "log-group.kms",
  "log-group.retention",
  "trail.cloudwatch-logs",
  "trail.enabled",
  "trail.global-service-events",
  "trail.insights",
  "trail.kms-encryption",
  "trail.kms-key-rotation",
  "trail.log-file-validation",
  "trail.logging",
  "trail.management-events",
  "trail.multi-region",
  "trail.s3-data-events-read",
  "trail.s3-data-events-write",
  "trail.sns-notification",
];

function verdicts(acct: AccountInventory): Map<string, Finding[]> {
  linkAccount(acct);
  const out = new Map<string, Finding[]>();
  for (const f of evaluate({ root: "/", files: [], accounts: [acct], errors: [] }, policies.rules)) {
    out.set(f.ruleId, [...(out.get(f.ruleId) ?? []), f]);
  }
  return out;
}

function verdict(acct: AccountInventory, ruleId: string, resourceId?: string): Finding {
  const list = verdicts(acct).get(ruleId) ?? [];
  const found = resourceId ? list.find((f) => f.resource.id === resourceId) : list[0];
  if (!found) throw new Error(`no finding for ${ruleId} ${resourceId ?? ""}`);
  return found;
}

describe("core pack", () => {
  test("loads without errors", () => {
    expect(policies.errors.filter((e) => e.severity === "error")).toEqual([]);
    const core = policies.rules.filter((r) => r.pack === "cloudtrail-core");
    expect(core.map((r) => r.id).sort()).toEqual(CORE_RULE_IDS);
  });

  test.each([
    ["all default selectors", {}, "pass"],
    ["not logging", { isLogging: false }, "fail"],
    ["single region", { isMultiRegionTrail: false }, "fail"],
    [
      "write-only basic selector",
      {
        eventSelectors: [
          {
            readWriteType: "WriteOnly",
            includeManagementEvents: true,
            excludeManagementEventSources: [],
            dataResources: [],
          },
        ],
      },
      "fail",
    ],
    [
      "excludes KMS events",
      {
        eventSelectors: [
          {
            readWriteType: "All",
            includeManagementEvents: true,
            excludeManagementEventSources: ["kms.amazonaws.com"],
            dataResources: [],
          },
        ],
      },
      "fail",
    ],
    [
      "advanced selector for all management events",
      {
        advancedEventSelectors: [
          {
            name: "m",
            fieldSelectors: [
              {
                field: "eventCategory",
                equals: ["Management"],
                notEquals: null,
                startsWith: null,
                notStartsWith: null,
                endsWith: null,
                notEndsWith: null,
              },
            ],
          },
        ],
      },
      "pass",
    ],
    [
      "advanced selector read only",
      {
        advancedEventSelectors: [
          {
            name: "m",
            fieldSelectors: [
              {
                field: "eventCategory",
                equals: ["Management"],
                notEquals: null,
                startsWith: null,
                notStartsWith: null,
                endsWith: null,
                notEndsWith: null,
              },
              {
                field: "readOnly",
                equals: ["true"],
                notEquals: null,
                startsWith: null,
                notStartsWith: null,
                endsWith: null,
                notEndsWith: null,
              },
            ],
          },
        ],
      },
      "fail",
    ],
    ["logging status unreadable", { isLogging: unknown("GetTrailStatus: AccessDenied") }, "unknown"],
  ] as const)("trail.enabled: %s", (_name, overrides, expected) => {
    const f = verdict(account({ trails: [trail(overrides as never)] }), "trail.enabled");
    expect(f.status).toBe(expected);
    if (expected === "unknown")
      expect(f.unknowns.map((u) => u.reason)).toContain("GetTrailStatus: AccessDenied");
  });

  test("a second compliant trail makes an unknown first one irrelevant", () => {
    const acct = account({
      trails: [trail({ name: "a", isLogging: unknown("denied") }), trail({ name: "b" })],
    });
    expect(verdict(acct, "trail.enabled").status).toBe("pass");
  });

  test("account rules are not applicable when the input is not a whole account", () => {
    expect(verdict(account({ trails: [trail()] }, false), "trail.enabled").status).toBe("not-applicable");
  });

  test("no trail at all fails trail.enabled", () => {
    expect(verdict(account({}), "trail.enabled").status).toBe("fail");
  });

  test("unknown KMS key id gives unknown encryption, naming the input", () => {
    const f = verdict(
      account({ trails: [trail({ kmsKeyId: unknown("Fn::ImportValue SharedKey") })] }),
      "trail.kms-encryption",
    );
    expect(f.status).toBe("unknown");
    expect(f.unknowns).toEqual([{ path: "trail.kmsKeyId", reason: "Fn::ImportValue SharedKey" }]);
  });

  test.each([
    [true, "pass"],
    [false, "fail"],
  ] as const)("key rotation %s → %s when the key is in the inventory", (rotation, expected) => {
    const acct = account({
      trails: [trail({ kmsKeyId: "alias/trail" })],
      keys: [key({ aliases: ["alias/trail"], rotationEnabled: rotation })],
    });
    expect(verdict(acct, "trail.kms-key-rotation").status).toBe(expected);
  });

  test("key rotation is unknown when the key is not among the inputs", () => {
    const f = verdict(
      account({ trails: [trail({ kmsKeyId: "alias/elsewhere" })] }),
      "trail.kms-key-rotation",
    );
    expect(f.status).toBe("unknown");
    expect(f.unknowns[0]?.reason).toContain("alias/elsewhere");
  });

  test("bucket rules apply to trail buckets only", () => {
    const acct = account({ trails: [trail()], buckets: [bucket(), bucket({ name: "other" })] });
    expect(verdict(acct, "bucket.versioning", "bucket:logs").status).toBe("fail");
    expect(verdict(acct, "bucket.versioning", "bucket:other").status).toBe("not-applicable");
  });

  const tlsDeny = {
    sid: null,
    effect: "Deny" as const,
    principals: ["*"],
    notPrincipals: null,
    actions: ["s3:*"],
    notActions: null,
    resources: ["*"],
    conditions: [{ operator: "Bool", key: "aws:securetransport", values: ["false"] }],
  };
  const cloudTrailWrite = (conditions: { operator: string; key: string; values: string[] }[]) => ({
    sid: null,
    effect: "Allow" as const,
    principals: ["Service:cloudtrail.amazonaws.com"],
    notPrincipals: null,
    actions: ["s3:PutObject"],
    notActions: null,
    resources: ["arn:aws:s3:::logs/*"],
    conditions,
  });

  test.each([
    ["deny without TLS", [tlsDeny], "bucket.tls-only", "pass"],
    ["no deny", [cloudTrailWrite([])], "bucket.tls-only", "fail"],
    [
      "source arn",
      [cloudTrailWrite([{ operator: "StringEquals", key: "aws:sourcearn", values: ["arn"] }])],
      "bucket.source-condition",
      "pass",
    ],
    ["no source condition", [cloudTrailWrite([])], "bucket.source-condition", "fail"],
    ["only CloudTrail granted", [cloudTrailWrite([]), tlsDeny], "bucket.dedicated", "pass"],
    [
      "another reader",
      [cloudTrailWrite([]), { ...cloudTrailWrite([]), principals: ["AWS:arn:aws:iam::444455556666:root"] }],
      "bucket.dedicated",
      "fail",
    ],
  ])("bucket policy: %s", (_name, statements, rule, expected) => {
    const acct = account({ trails: [trail()], buckets: [bucket({ policy: { statements } })] });
    expect(verdict(acct, rule).status).toBe(expected);
  });

  test("an unreadable policy is unknown for policy rules, never a pass", () => {
    const acct = account({
      trails: [trail()],
      buckets: [bucket({ policy: unknown("GetBucketPolicy: AccessDenied") })],
    });
    for (const rule of ["bucket.tls-only", "bucket.dedicated", "bucket.public-access-blocked"]) {
      expect(verdict(acct, rule).status, rule).toBe("unknown");
    }
  });

  test.each([
    [null, "pass"],
    [400, "pass"],
    [90, "fail"],
  ])("log group retention %s → %s", (days, expected) => {
    const acct = account({
      trails: [
        trail({ cloudWatchLogsLogGroupArn: "arn:aws:logs:us-east-1:111122223333:log-group:trail-logs:*" }),
      ],
      logGroups: [logGroup({ retentionInDays: days })],
    });
    expect(verdict(acct, "log-group.retention").status).toBe(expected);
  });

  test.each([
    [{}, "pass"],
    [{ retentionPeriodDays: 90 }, "fail"],
  ])("lake retention %o → %s", (overrides, expected) => {
    expect(verdict(account({ eventDataStores: [eventDataStore(overrides)] }), "lake.retention").status).toBe(
      expected,
    );
  });

  test("S3 data events: read and write for all buckets across two trails pass", () => {
    const selector = (rw: "ReadOnly" | "WriteOnly") => ({
      readWriteType: rw,
      includeManagementEvents: true,
      excludeManagementEventSources: [],
      dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }],
    });
    const acct = account({
      trails: [
        trail({ name: "r", eventSelectors: [selector("ReadOnly")] }),
        trail({ name: "w", eventSelectors: [selector("WriteOnly")] }),
      ],
    });
    expect(verdict(acct, "trail.s3-data-events-read").status).toBe("pass");
    expect(verdict(acct, "trail.s3-data-events-write").status).toBe("pass");
    const writesOnly = account({ trails: [trail({ name: "w", eventSelectors: [selector("WriteOnly")] })] });
    expect(verdict(writesOnly, "trail.s3-data-events-write").status).toBe("pass");
    expect(verdict(writesOnly, "trail.s3-data-events-read").status).toBe("fail");
    const readsOnly = account({ trails: [trail({ name: "r", eventSelectors: [selector("ReadOnly")] })] });
    expect(verdict(readsOnly, "trail.s3-data-events-read").status).toBe("pass");
    expect(verdict(readsOnly, "trail.s3-data-events-write").status).toBe("fail");
  });
});

describe("never a false pass on what decides whether a rule applies", () => {
  const allowEveryoneBut = {
    sid: null,
    effect: "Allow" as const,
    principals: [],
    notPrincipals: ["AWS:arn:aws:iam::111122223333:root"],
    actions: ["s3:GetObject"],
    notActions: null,
    resources: ["arn:aws:s3:::logs/*"],
    conditions: [],
  };

  test("an Allow with NotPrincipal (everyone else) is public and not dedicated", () => {
    const acct = account({
      trails: [trail()],
      buckets: [bucket({ policy: { statements: [allowEveryoneBut] } })],
    });
    expect(verdict(acct, "bucket.public-access-blocked").status).toBe("fail");
    expect(verdict(acct, "bucket.dedicated").status).toBe("fail");
  });

  test("a bucket whose policy cannot be read may be a trail bucket: its rules are unknown, not not-applicable", () => {
    const acct = account({
      buckets: [bucket({ name: "archive", policy: unknown("GetBucketPolicy: AccessDenied") })],
    });
    const f = verdict(acct, "bucket.versioning");
    expect(f.status).toBe("unknown");
    expect(f.unknowns[0]?.reason).toContain("AccessDenied");
  });

  test("a trail whose bucket cannot be told makes the unlinked buckets that could receive logs unknown", () => {
    const policy = (principals: Parameters<typeof unknown>[0] | string[]) => ({
      statements: [
        {
          sid: null,
          effect: "Allow" as const,
          principals: typeof principals === "string" ? unknown(principals) : principals,
          notPrincipals: null,
          actions: ["s3:GetObject"],
          notActions: null,
          resources: ["*"],
          conditions: [],
        },
      ],
    });
    const acct = account({
      trails: [trail({ s3BucketName: unknown("Fn::ImportValue LogBucket") })],
      buckets: [
        bucket({ name: "unreadable", policy: unknown("GetBucketPolicy: AccessDenied") }),
        bucket({ name: "undecided", policy: policy("a principal from a parameter without default") }),
        bucket({ name: "no-policy", policy: null }),
        bucket({ name: "partner", policy: policy(["AWS:arn:aws:iam::210987654321:root"]) }),
      ],
    });
    const statuses = Object.fromEntries(
      ["unreadable", "undecided", "no-policy", "partner"].map((name) => [
        name,
        verdict(acct, "bucket.versioning", `bucket:${name}`).status,
      ]),
    );
    // CloudTrail cannot deliver to a bucket whose known policy grants it nothing: those are no candidates.
    expect(statuses).toEqual({
      unreadable: "unknown",
      undecided: "unknown",
      "no-policy": "not-applicable",
      partner: "not-applicable",
    });
  });

  test("a trail's unresolved log group makes candidates only of groups in its own deployment unit", () => {
    const inUnit = <T extends { origin: object }>(unit: string, r: T): T => ({
      ...r,
      origin: { ...r.origin, unit },
    });
    const acct = account({
      trails: [inUnit("a.yaml", trail({ cloudWatchLogsLogGroupArn: unknown("Fn::ImportValue Logs") }))],
      logGroups: [
        inUnit("a.yaml", { ...logGroup({ retentionInDays: 30 }), id: "same", name: "same" }),
        inUnit("b.yaml", { ...logGroup({ retentionInDays: 30 }), id: "other", name: "other" }),
      ],
    });
    expect(verdict(acct, "log-group.retention", "same").status).toBe("unknown");
    expect(verdict(acct, "log-group.retention", "other").status).toBe("not-applicable");
  });

  test("a trail whose log group cannot be told makes unlinked log groups' rules unknown", () => {
    const acct = account({
      trails: [trail({ cloudWatchLogsLogGroupArn: unknown("known only after apply") })],
      logGroups: [logGroup({ retentionInDays: 30 })],
    });
    expect(verdict(acct, "log-group.retention").status).toBe("unknown");
  });
});
