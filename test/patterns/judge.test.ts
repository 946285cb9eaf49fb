import { describe, expect, test } from "vitest";
import {
  builtInCatalog,
  CIS_VERSIONS,
  type CisVersion,
  type Condition,
  judgeFilter,
  MONITORING_CLASSES,
  type MonitoringClassId,
  type Verdict,
} from "../../src/patterns/index.js";
import { rewrite, type Style, without } from "./rewrite.js";

const catalog = builtInCatalog();
const classOf = (id: MonitoringClassId) => {
  const cls = catalog.classes.get(id);
  if (!cls) throw new Error(`no class ${id}`);
  return cls;
};

/**
 * The official texts that are wrong when read literally, and how. Every other text CIS or Security Hub prints
 * covers its class. (Known defects that do not change the verdict: CIS v2.0.0-v5.0.0 4.1 and the v3.0.0-v5.0.0
 * audit text of 4.13 mix && and || without parentheses; one copy of the v4.0.1/v5.0.0 4.1 text lost its quotes.)
 */
const DEFECTIVE: Record<string, { classId: MonitoringClassId; verdict: Verdict; reason: RegExp }> = {
  '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") || ($.sourceIPAddress!="delivery.logs.amazonaws.com") || ($.eventName!="HeadBucket") }':
    {
      classId: "unauthorized-api-calls",
      verdict: "matches-everything",
      reason:
        /`\$\.sourceIPAddress!="delivery\.logs\.amazonaws\.com"`, `\$\.eventName!="HeadBucket"` hold for nearly every event and are joined with \|\|/,
    },
};

const officialTexts = MONITORING_CLASSES.flatMap((id) =>
  classOf(id).texts.map((text) => ({ classId: id, ...text })),
);

describe("the official texts (CIS benchmark versions and Security Hub)", () => {
  test("every CIS version of every class has its text recorded, and Security Hub's where it has a control", () => {
    for (const id of MONITORING_CLASSES) {
      const cls = classOf(id);
      const since = CIS_VERSIONS.indexOf(cls.since ?? "1.2");
      for (const version of CIS_VERSIONS.slice(since)) {
        const cisTexts = cls.texts.filter((t) => !t.securityHub && t.versions.includes(version));
        expect(cisTexts.length, `${id} in CIS v${version}`).toBeGreaterThan(0);
      }
      expect(cls.texts.some((t) => t.securityHub)).toBe(cls.securityHub !== undefined);
    }
  });

  test("the defective texts listed here are the ones the catalog says are defective", () => {
    const flagged = officialTexts.filter((t) => t.defect).map((t) => t.pattern);
    expect(new Set(flagged)).toEqual(new Set(Object.keys(DEFECTIVE)));
  });

  const cases = officialTexts.flatMap((text) => text.versions.map((version) => ({ ...text, version })));
  test.each(cases)("$classId, $source, judged for CIS v$version", ({ classId, pattern, version }) => {
    const judgment = judgeFilter(pattern, classId, { version });
    const defect = DEFECTIVE[pattern];
    if (defect) {
      expect(judgment.verdict).toBe(defect.verdict);
      expect(judgment.reason).toMatch(defect.reason);
      return;
    }
    expect(judgment, judgment.reason).toMatchObject({ verdict: "covers", missed: [] });
    // The near misses are what the official texts leave out.
    expect(judgment.alsoMatches).toEqual([]);
  });

  const styles: [string, Style][] = [
    ["without spaces, every value quoted", { spacing: "none", quotes: "all", reverse: false }],
    ["with wide spacing, simple values bare", { spacing: "wide", quotes: "bare", reverse: false }],
    ["with every && and || reversed", { spacing: "wide", quotes: "all", reverse: true }],
    ["reversed, without spaces, bare", { spacing: "none", quotes: "bare", reverse: true }],
  ];
  const rewritten = officialTexts.flatMap((text) =>
    styles.map(([style, options]) => ({
      ...text,
      style,
      options,
      version: text.versions.at(-1) as CisVersion,
    })),
  );
  test.each(rewritten)("$classId, $source, rewritten $style", ({ classId, pattern, options, version }) => {
    const variant = rewrite(pattern, options);
    expect(variant).not.toBe(pattern);
    const expected = DEFECTIVE[pattern]?.verdict ?? "covers";
    expect(judgeFilter(variant, classId, { version }).verdict).toBe(expected);
  });
});

describe("a pattern that leaves out an event the class asks for", () => {
  const latestText = (id: MonitoringClassId) => {
    const texts = classOf(id).texts.filter((t) => !t.securityHub && !t.defect);
    return texts.find((t) => t.versions.includes("5.0"))?.pattern ?? "";
  };
  // The classes that are a list of event names (one canonical event per name).
  const listed = MONITORING_CLASSES.filter((id) =>
    classOf(id).events.every((e) => e.label === e.record.eventName),
  );
  const dropped = listed.flatMap((classId) =>
    classOf(classId).events.map((event) => ({ classId, name: event.record.eventName as string })),
  );

  test("the classes that list event names are the ones CIS gives as lists", () => {
    expect(listed).toEqual(MONITORING_CLASSES.filter((id) => !/console|root|unauthorized/.test(id)));
  });

  test.each(dropped)("$classId without $name", ({ classId, name }) => {
    const isName = (c: Condition) =>
      c.type === "compare" && c.value.kind === "string" && c.value.value === name;
    const pattern = without(latestText(classId), isName);
    const judgment = judgeFilter(pattern, classId);
    expect(judgment.verdict).toBe("misses");
    expect(judgment.missed.map((m) => m.eventName)).toEqual([name]);
    expect(judgment.reason).toContain(`(${name})`);
    expect(judgment.missed[0]?.why).toMatch(
      new RegExp(
        `^${name}: (no alternative accepts \\$\\.eventName = "${name}"|.* fails \\(\\$\\.eventName is "${name}"\\))$`,
      ),
    );
  });

  test.each<[MonitoringClassId, string, string[], string]>([
    [
      "unauthorized-api-calls",
      '{ $.errorCode = "*UnauthorizedOperation" }',
      ["GetBucketPolicy", "Decrypt"],
      '`$.errorCode = "*UnauthorizedOperation"` fails ($.errorCode is "AccessDenied")',
    ],
    [
      "console-signin-without-mfa",
      '{ $.eventName = "ConsoleLogin" && $.additionalEventData.MFAUsed = "Yes" }',
      ["ConsoleLogin"],
      '`$.additionalEventData.MFAUsed = "Yes"` fails ($.additionalEventData.MFAUsed is "No")',
    ],
    [
      "root-account-usage",
      '{ $.userIdentity.type = "Root" && $.eventType = "AwsApiCall" }',
      ["ConsoleLogin"],
      '`$.eventType = "AwsApiCall"` fails ($.eventType is "AwsConsoleSignIn")',
    ],
    [
      "root-account-usage",
      '{ $.userIdentity.type = "IAMUser" && $.userIdentity.invokedBy NOT EXISTS }',
      ["ConsoleLogin", "CreateAccessKey"],
      '`$.userIdentity.type = "IAMUser"` fails ($.userIdentity.type is "Root")',
    ],
    [
      "console-auth-failures",
      '{ $.eventName = ConsoleLogin && $.responseElements.ConsoleLogin = "Success" }',
      ["ConsoleLogin"],
      '`$.responseElements.ConsoleLogin = "Success"` fails ($.responseElements.ConsoleLogin is "Failure")',
    ],
    [
      "organizations-changes",
      "{ $.eventSource = organizations.amazonaws.com && $.eventName = Create* }",
      ["AcceptHandshake"],
      '`$.eventName = Create*` fails ($.eventName is "AcceptHandshake")',
    ],
  ])("%s: %s", (classId, pattern, names, why) => {
    const judgment = judgeFilter(pattern, classId);
    expect(judgment.verdict).toBe("misses");
    for (const name of names) expect(judgment.missed.map((m) => m.eventName)).toContain(name);
    expect(judgment.missed[0]?.why).toContain(why);
  });

  test("an event a later CIS version adds is asked for from that version on", () => {
    const v4 =
      classOf("security-group-changes").texts.find((t) => t.versions.includes("4.0.1"))?.pattern ?? "";
    expect(judgeFilter(v4, "security-group-changes", { version: "4.0.1" }).verdict).toBe("covers");
    expect(
      judgeFilter(v4, "security-group-changes", { version: "5.0" }).missed.map((m) => m.eventName),
    ).toEqual(["ModifySecurityGroupRules"]);
    expect(judgeFilter(v4, "security-group-changes").verdict).toBe("misses");
  });
});

describe("broader filters cover the class", () => {
  test.each<[MonitoringClassId, string, string[]]>([
    ["unauthorized-api-calls", '{ $.errorCode = "*" }', ["DescribeInstances throttled"]],
    [
      "console-signin-without-mfa",
      '{ $.eventName = "ConsoleLogin" }',
      ["ConsoleLogin by an IAM user with MFA"],
    ],
    [
      "root-account-usage",
      '{ $.userIdentity.type = "Root" }',
      ["AwsServiceEvent attributed to root", "call made for root by an AWS service (invokedBy)"],
    ],
    [
      "iam-policy-changes",
      "{ $.eventSource = iam.amazonaws.com }",
      ["GetPolicy", "ListAttachedRolePolicies"],
    ],
    ["iam-policy-changes", "{ $.eventSource = iam.amazonaws.com && $.readOnly IS FALSE }", []],
    [
      "cloudtrail-config-changes",
      "{ ($.eventSource = cloudtrail.amazonaws.com) && ($.eventName = *Trail* || $.eventName = *Logging) }",
      ["DescribeTrails", "GetTrailStatus"],
    ],
    [
      "organizations-changes",
      classOf("organizations-changes").texts[0]?.pattern.replace(
        "($.eventSource = organizations.amazonaws.com) && ",
        "",
      ) ?? "",
      ["CreatePolicy in IAM"],
    ],
    ["console-auth-failures", 'ConsoleLogin "Failed authentication"', []],
    ["console-auth-failures", "%Failed auth%", []],
  ])("%s: %s", (classId, pattern, alsoMatches) => {
    const judgment = judgeFilter(pattern, classId);
    expect(judgment.verdict, judgment.reason).toBe("covers");
    expect(judgment.alsoMatches).toEqual(alsoMatches);
  });
});

describe("a filter that matches every event monitors nothing", () => {
  test.each([
    ["", "an empty pattern matches every event"],
    ['" "', "a pattern of blank terms only matches every event"],
    ["{ $.eventName = * }", "it holds for every value of `$.eventName`, so it matches every event"],
    [
      '{ $.eventName != "a" || $.eventName != "b" }',
      "it holds for every value of `$.eventName`, so it matches every event",
    ],
    [
      '{ $.x != "a" || $.x != "b" }',
      "it holds for every value of `$.x`, so it matches every event that has `$.x`",
    ],
    [
      "{ $.userAgent = * }",
      "it matches every ordinary event it was tried on (6, such as DescribeInstances by an IAM user): `$.userAgent = *` holds for nearly every event",
    ],
    [
      '{ $.eventName = "CreateTrail" || $.eventName != "HeadBucket" }',
      '`$.eventName != "HeadBucket"` holds for nearly every event and is joined with ||',
    ],
    ["aws", "its terms match every ordinary event"],
  ])("%j", (pattern, reason) => {
    const judgment = judgeFilter(pattern, "cloudtrail-config-changes");
    expect(judgment.verdict).toBe("matches-everything");
    expect(judgment.reason).toContain(reason);
  });
});

describe("a filter that matches most ordinary events is not specific to its class", () => {
  test("a root-usage filter without the Root condition", () => {
    const judgment = judgeFilter(
      '{ $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
      "root-account-usage",
    );
    expect(judgment.verdict).toBe("matches-everything");
    expect(judgment.reason).toBe(
      "it matches most ordinary events (4 of the 6 unrelated ones tried: DescribeInstances by an IAM user, GetObject data event by an assumed role, ConsoleLogin with MFA by an IAM user, ListBuckets by an assumed role), so it is not specific to Usage of the root account",
    );
  });

  test("a few ordinary events matched are noted, the verdict stands", () => {
    const judgment = judgeFilter(
      "{ $.eventSource = s3.amazonaws.com && $.eventName = *Bucket* }",
      "s3-bucket-policy-changes",
    );
    expect(judgment.verdict).toBe("covers");
    expect(judgment.notes).toEqual(["it also matches ordinary events: ListBuckets by an assumed role"]);
    expect(judgment.alsoMatches).toEqual(["GetBucketPolicy"]);
  });
});

describe("a filter whose conditions can never hold together", () => {
  test.each([
    [
      "{ ($.eventName = CreateTrail) && ($.eventName = DeleteTrail) }",
      "its conditions can never hold together: `$.eventName = CreateTrail` and `$.eventName = DeleteTrail` exclude one another",
    ],
    [
      '{ ($.eventName != "CreateTrail") && ($.eventName = "CreateTrail") }',
      'its conditions can never hold together: `$.eventName != "CreateTrail"` and `$.eventName = "CreateTrail"` exclude one another',
    ],
    [
      "{ $.eventSource = cloudtrail.amazonaws.com && $.eventName = CreateTrail && $.eventName = UpdateTrail || $.eventName = StopLogging && $.eventName = StartLogging }",
      "none of its alternatives can ever hold: `$.eventName = CreateTrail` and `$.eventName = UpdateTrail`; `$.eventName = StopLogging` and `$.eventName = StartLogging` exclude one another",
    ],
  ])("%s", (pattern, reason) => {
    const judgment = judgeFilter(pattern, "cloudtrail-config-changes");
    expect(judgment.verdict).toBe("never-matches");
    expect(judgment.reason).toBe(reason);
  });

  test("satisfiable wildcard pairs are not contradictions", () => {
    expect(
      judgeFilter('{ $.errorCode = "Access*" && $.errorCode = "*Denied" }', "unauthorized-api-calls").verdict,
    ).toBe("misses");
  });
});

describe("patterns that cannot be judged as covering", () => {
  test("a syntax error is invalid, with its position", () => {
    const judgment = judgeFilter(
      "{ ($.eventName = CreateTrail) || ($.eventName = ) }",
      "cloudtrail-config-changes",
    );
    expect(judgment.verdict).toBe("invalid");
    expect(judgment.error).toMatchObject({ line: 1, column: 49, expected: ["value"] });
    expect(judgment.reason).toBe('not a valid filter pattern: expected value at column 49, found ")"');
  });

  test("a pattern with a part fixed only at deploy time is unknown", () => {
    const judgment = judgeFilter(
      '{ $.eventName = CreateTrail || $.userIdentity.arn != "${AuditRole.Arn}" }',
      "cloudtrail-config-changes",
    );
    expect(judgment.verdict).toBe("unknown");
    expect(judgment.reason).toBe("the pattern is completed only at deploy time (${AuditRole.Arn})");
  });

  test("JSON conditions without braces are text to search for", () => {
    const judgment = judgeFilter("$.eventName = ConsoleLogin", "console-auth-failures");
    expect(judgment.verdict).toBe("misses");
    expect(judgment.missed[0]?.why).toBe(
      "ConsoleLogin that failed authentication: its text lacks $.eventName, =",
    );
    expect(judgment.notes).toContain(
      "a term starts with $.: JSON conditions must be inside { }, else they are searched for as text",
    );
  });

  test("a space-delimited pattern is unknown", () => {
    const judgment = judgeFilter("[version, account, eni, source, destination, ...]", "vpc-changes");
    expect(judgment.verdict).toBe("unknown");
    expect(judgment.reason).toContain("space-delimited");
  });
});

describe("&& and || mixed without parentheses", () => {
  const names = ["CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"];
  test("when the two readings disagree, the verdict is the one that does not pass", () => {
    const pattern = `{ ${names.map((n) => `$.eventName = ${n}`).join(" || ")} && $.eventName = StopLogging }`;
    const judgment = judgeFilter(pattern, "cloudtrail-config-changes");
    expect(judgment.verdict).toBe("misses");
    expect(judgment.missed.map((m) => m.eventName)).toEqual(names.slice(0, 4));
    expect(judgment.notes).toEqual([
      "mixes && and || without parentheses (column 3): read left to right it misses, read the other way it covers",
    ]);
  });

  test("when they agree, a note says so", () => {
    const pattern = `{ $.eventSource = cloudtrail.amazonaws.com && ${names.map((n) => `$.eventName = ${n}`).join(" || ")} }`;
    const judgment = judgeFilter(pattern, "cloudtrail-config-changes");
    expect(judgment.verdict).toBe("covers");
    expect(judgment.notes[0]).toContain("the verdict is the same");
  });
});

test("judging is cached: the same pattern and class give the same judgment object", () => {
  const pattern = '{ $.eventName = "ConsoleLogin" }';
  expect(judgeFilter(pattern, "console-signin-without-mfa")).toBe(
    judgeFilter(pattern, "console-signin-without-mfa"),
  );
  expect(judgeFilter(pattern, "console-signin-without-mfa")).not.toBe(
    judgeFilter(pattern, "console-auth-failures"),
  );
});
