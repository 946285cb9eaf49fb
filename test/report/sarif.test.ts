import { beforeAll, describe, expect, it } from "vitest";
import { type Finding, findingFingerprint } from "../../src/model/index.js";
import { renderPieces, reporters } from "../../src/report/index.js";
import {
  buildSarif,
  NO_FILE_ANCHOR,
  pascalCase,
  renderSarif,
  SARIF_MAX_RESULTS,
  type SarifLog,
  type SarifResult,
} from "../../src/report/sarif.js";
import {
  describeProblems,
  SARIF_VALIDATION_TIMEOUT_MS,
  type SarifProblem,
  validateSarif,
} from "../support/sarif-validator.js";
import {
  BUCKET,
  findings,
  LIVE_TRAIL,
  makeOptions,
  makeReport,
  ROOT,
  scrambled,
  TF_TRAIL,
  TRAIL,
} from "./fixtures.js";

function run(log: SarifLog) {
  return log.runs[0];
}

function resultFor(log: SarifLog, ruleId: string, address: string): SarifResult {
  const found = run(log).results.find((r) => r.ruleId === ruleId && r.properties.resource === address);
  if (found === undefined) throw new Error(`no result for ${ruleId} on ${address}`);
  return found;
}

function ruleFor(log: SarifLog, id: string) {
  const found = run(log).tool.driver.rules.find((r) => r.id === id);
  if (found === undefined) throw new Error(`no rule ${id}`);
  return found;
}

function parsed(includePassed: boolean, report = makeReport()): SarifLog {
  return JSON.parse(renderSarif(report, makeOptions({ includePassed }))) as SarifLog;
}

/** A finding whose rule is not among the report's rules. */
function withUnloadedRule(): SarifLog {
  const [base] = findings();
  if (base === undefined) throw new Error("fixture");
  return buildSarif(makeReport({ findings: [{ ...base, ruleId: "not-loaded" }] }), makeOptions());
}

/** A waived finding and one the baseline already had. */
function waivedAndBaselined(): SarifLog {
  const [first, second] = findings();
  if (first === undefined || second === undefined) throw new Error("fixture");
  const report = makeReport({
    findings: [
      {
        ...first,
        baseline: "new",
        suppression: {
          kind: "waiver",
          reason: "Accepted until the migration.",
          location: { file: ".trailguard.yml", line: 4, column: 1 },
          expires: "2026-06-30",
          approvedBy: "security@example.com",
        },
      },
      { ...second, baseline: "existing" },
    ],
  });
  return buildSarif(report, makeOptions({ includePassed: false }));
}

describe("SARIF: Microsoft's SARIF validator, with GitHub's upload rules", () => {
  const withoutMessage = parsed(false) as unknown as { runs: { results: Record<string, unknown>[] }[] };
  delete withoutMessage.runs[0]?.results[0]?.message;
  const logs: Record<string, unknown> = {
    "failures, unknowns, suppressions and input errors": parsed(false),
    "passes included": parsed(true),
    "no files, no errors and a truncation notice": buildSarif(
      makeReport({ files: [], errors: [] }),
      makeOptions(),
      2,
    ),
    "a finding whose rule is not loaded": withUnloadedRule(),
    "waived findings and baseline states": waivedAndBaselined(),
    "a result without a message": withoutMessage,
  };
  let problems: Record<string, SarifProblem[]> = {};
  beforeAll(async () => {
    problems = await validateSarif(logs);
  }, SARIF_VALIDATION_TIMEOUT_MS);

  it.each([
    "failures, unknowns, suppressions and input errors",
    "passes included",
    "no files, no errors and a truncation notice",
    "a finding whose rule is not loaded",
    "waived findings and baseline states",
  ])("accepts %s", (name) => {
    const found = problems[name] ?? [];
    expect(found, describeProblems(found)).toEqual([]);
  });

  it("rejects a log whose result lacks a message", () => {
    const found = problems["a result without a message"] ?? [];
    expect(found.some((p) => p.level === "error" && p.path.startsWith("runs[0].results[0]"))).toBe(true);
  });

  it("carries waivers as external suppressions and baseline states", () => {
    const log = logs["waived findings and baseline states"] as SarifLog;
    const [first, second] = findings();
    if (first === undefined || second === undefined) throw new Error("fixture");
    const [waived, existing] = [first, second].map((f) => resultFor(log, f.ruleId, f.resource.address));
    expect(waived?.suppressions?.[0]).toMatchObject({
      kind: "external",
      properties: { expires: "2026-06-30", approvedBy: "security@example.com" },
    });
    expect(existing?.baselineState).toBe("unchanged");
    expect(existing).not.toHaveProperty("suppressions");
  });

  it("is what reporters.sarif renders, pretty-printed with a trailing newline", () => {
    const text = reporters.sarif(makeReport(), makeOptions());
    expect(text).toBe(renderSarif(makeReport(), makeOptions()));
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "version": "2.1.0"');
  });
});

describe("SARIF: log and run", () => {
  const log = parsed(false);

  it("has $schema, version, one run, the driver and automation details", () => {
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    expect(run(log).tool.driver).toMatchObject({
      name: "trailguard",
      version: "0.1.0",
      semanticVersion: "0.1.0",
      informationUri: "https://github.com/example/trailguard",
    });
    expect(run(log).automationDetails.id).toBe("trailguard/cloudtrail/");
  });

  it("sets %SRCROOT% to the root's file URI with a trailing slash", () => {
    expect(run(log).originalUriBaseIds["%SRCROOT%"]?.uri).toBe(`file://${ROOT}/`);
  });

  it("lists every loaded rule, even those without results", () => {
    expect(run(log).tool.driver.rules.map((r) => r.id)).toEqual([
      "CT.2",
      "bucket-many-controls",
      "cloudtrail-multi-region",
      "log-file-validation",
      "trail-has-tags",
      "trail-kms-encryption",
    ]);
  });
});

describe("SARIF: rules", () => {
  const log = parsed(false);

  it("describes a rule for GitHub", () => {
    const rule = ruleFor(log, "cloudtrail-multi-region");
    expect(rule.name).toBe("CloudtrailMultiRegion");
    expect(rule.shortDescription.text).toBe("Trail records all regions");
    expect(rule.fullDescription.text).toBe("Description of cloudtrail-multi-region.");
    expect(rule.defaultConfiguration.level).toBe("error");
    expect(rule.properties.precision).toBe("high");
    expect(rule.helpUri).toBe(
      "https://github.com/example/trailguard/blob/main/docs/rules.md#cloudtrail-multi-region",
    );
    for (const help of [rule.help.text, rule.help.markdown ?? ""]) {
      expect(help).toContain("Description of cloudtrail-multi-region.");
      expect(help).toContain("Fix cloudtrail-multi-region.");
      expect(help).toContain("cis-aws:3.1");
      expect(help).toContain("nist-800-53:AU-2");
      expect(help).toContain(rule.helpUri);
    }
    expect(rule.help.markdown).toContain(`](${rule.helpUri})`);
  });

  it("keeps a rule's own helpUri and PascalCases ids with punctuation", () => {
    expect(ruleFor(log, "CT.2").helpUri).toBe("https://example.org/rules/ct-2");
    expect(ruleFor(log, "CT.2").name).toBe("CT2");
    expect(pascalCase("trail-kms_encryption.v2")).toBe("TrailKmsEncryptionV2");
  });

  it("tags rules with security, cloudtrail and the control refs, at most 20", () => {
    expect(ruleFor(log, "cloudtrail-multi-region").properties.tags).toEqual([
      "security",
      "cloudtrail",
      "cis-aws:3.1",
      "nist-800-53:AU-2",
    ]);
    const many = ruleFor(log, "bucket-many-controls").properties.tags as string[];
    expect(many).toHaveLength(20);
    expect(many.slice(0, 3)).toEqual(["security", "cloudtrail", "fw:1"]);
  });

  it("maps severity to level and to a security-severity string in GitHub's bands", () => {
    const expected = {
      "cloudtrail-multi-region": ["error", "9.5"],
      "CT.2": ["error", "8.0"],
      "trail-kms-encryption": ["warning", "5.5"],
      "log-file-validation": ["note", "3.0"],
    } as const;
    for (const [id, [level, score]] of Object.entries(expected)) {
      const rule = ruleFor(log, id);
      expect(rule.defaultConfiguration.level, id).toBe(level);
      expect(rule.properties["security-severity"], id).toBe(score);
      expect(typeof rule.properties["security-severity"]).toBe("string");
    }
  });

  it("gives info rules no security-severity, so they are not security alerts", () => {
    const info = ruleFor(log, "trail-has-tags");
    expect(info.defaultConfiguration.level).toBe("note");
    expect(info.properties).not.toHaveProperty("security-severity");
    expect(info.properties["problem.severity"]).toBe("recommendation");
  });
});

describe("SARIF: results", () => {
  const log = parsed(false);
  const withPasses = parsed(true);

  it("gives every result a physical location with a relative uri and a start line", () => {
    for (const result of [...run(log).results, ...run(withPasses).results]) {
      expect(result.locations).toHaveLength(1);
      const physical = result.locations[0].physicalLocation;
      expect(physical.artifactLocation.uriBaseId).toBe("%SRCROOT%");
      expect(physical.artifactLocation.uri).not.toMatch(/^\/|^[a-z]+:|\\/i);
      expect(physical.artifactLocation.uri.length).toBeGreaterThan(0);
      expect(physical.region?.startLine).toBeGreaterThanOrEqual(1);
    }
  });

  it("points at the evidence with line and column", () => {
    const result = resultFor(log, "cloudtrail-multi-region", TRAIL);
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "template.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 12, startColumn: 7 },
    });
  });

  it("maps statuses to kind and level", () => {
    expect(resultFor(log, "cloudtrail-multi-region", TRAIL)).toMatchObject({ kind: "fail", level: "error" });
    expect(resultFor(log, "bucket-many-controls", BUCKET)).toMatchObject({ kind: "fail", level: "warning" });
    expect(resultFor(log, "trail-has-tags", TF_TRAIL)).toMatchObject({ kind: "fail", level: "note" });
    expect(resultFor(log, "trail-kms-encryption", TRAIL)).toMatchObject({ kind: "open", level: "warning" });
    expect(resultFor(withPasses, "log-file-validation", TRAIL)).toMatchObject({
      kind: "pass",
      level: "none",
    });
  });

  it("names each unknown input and its reason in open results", () => {
    const text = resultFor(log, "trail-kms-encryption", TRAIL).message.text;
    expect(text).toContain("trail.kmsKeyId");
    expect(text).toContain("KmsKeyId references a parameter without a default");
  });

  it("emits passes only with includePassed and not-applicable never", () => {
    const kinds = (l: SarifLog) => run(l).results.map((r) => r.properties.status);
    expect(kinds(log)).not.toContain("pass");
    expect(kinds(withPasses)).toContain("pass");
    expect(kinds(log)).not.toContain("not-applicable");
    expect(kinds(withPasses)).not.toContain("not-applicable");
    expect(run(log).results).toHaveLength(6);
    expect(run(withPasses).results).toHaveLength(7);
  });

  it("sets ruleId and a ruleIndex that points at that rule", () => {
    for (const result of run(log).results) {
      expect(run(log).tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    }
  });

  it("carries status, resource and controls in properties", () => {
    const { trailguard, ...properties } = resultFor(log, "cloudtrail-multi-region", TRAIL).properties;
    expect(properties).toEqual({
      status: "fail",
      resource: TRAIL,
      account: "123456789012",
      controls: ["cis-aws:3.1", "nist-800-53:AU-2"],
    });
    // The rest of the finding, for `trailguard merge`: what the result says already is not repeated.
    expect(trailguard).toMatchObject({ severity: expect.any(String), resource: { address: TRAIL } });
    expect(trailguard).not.toHaveProperty("ruleId");
    expect(trailguard).not.toHaveProperty("fingerprint");
  });

  it("emits suppressed findings with an inSource suppression and its justification", () => {
    const result = resultFor(log, "CT.2", TF_TRAIL);
    expect(result.suppressions).toEqual([
      {
        kind: "inSource",
        justification: "Org trail is managed in the management account",
        location: {
          physicalLocation: {
            artifactLocation: { uri: "main.tf", uriBaseId: "%SRCROOT%" },
            region: { startLine: 2, startColumn: 1 },
          },
        },
      },
    ]);
    expect(resultFor(log, "cloudtrail-multi-region", TRAIL)).not.toHaveProperty("suppressions");
  });

  it("sorts results by uri, line, rule id and address", () => {
    const keys = run(log).results.map((r) => {
      const p = r.locations[0].physicalLocation;
      return `${p.artifactLocation.uri}:${p.region?.startLine}:${r.ruleId}`;
    });
    expect(keys).toEqual([
      "main.tf:1:trail-has-tags",
      "main.tf:3:CT.2",
      "template.yaml:1:CT.2",
      "template.yaml:12:cloudtrail-multi-region",
      "template.yaml:14:trail-kms-encryption",
      "template.yaml:30:bucket-many-controls",
    ]);
  });

  it("does not depend on the order of findings, rules or errors", () => {
    const report = makeReport();
    const shuffled = { ...report, findings: scrambled(report.findings), rules: scrambled(report.rules) };
    shuffled.errors = scrambled(report.errors);
    expect(renderSarif(shuffled, makeOptions({ includePassed: true }))).toBe(
      renderSarif(report, makeOptions({ includePassed: true })),
    );
  });
});

describe("SARIF: results without a location of their own", () => {
  it("anchors to the first file read, line 1, and names the resource", () => {
    const result = resultFor(parsed(false), "CT.2", LIVE_TRAIL);
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: "template.yaml", uriBaseId: "%SRCROOT%" },
      region: { startLine: 1 },
    });
    expect(result.locations[0].logicalLocations).toEqual([
      { name: "org-trail", fullyQualifiedName: LIVE_TRAIL, kind: "resource" },
      { name: "123456789012", fullyQualifiedName: "account/123456789012", kind: "namespace" },
    ]);
    expect(result.message.text).toContain(LIVE_TRAIL);
  });

  it("names the account and region of a finding as logical locations, and none for infrastructure code", () => {
    const report = makeReport();
    report.findings = report.findings.map((f) =>
      f.resource.address === LIVE_TRAIL ? { ...f, region: "eu-west-1" } : { ...f, account: "infra" },
    );
    const live = resultFor(parsed(false, report), "CT.2", LIVE_TRAIL);
    expect(live.locations[0].logicalLocations?.slice(1)).toEqual([
      { name: "123456789012", fullyQualifiedName: "account/123456789012", kind: "namespace" },
      {
        name: "eu-west-1",
        fullyQualifiedName: "account/123456789012/region/eu-west-1",
        kind: "namespace",
      },
    ]);
    const code = parsed(false, report).runs[0]?.results.find((r) => r.properties.resource !== LIVE_TRAIL);
    expect(code?.locations[0].logicalLocations).toHaveLength(1);
  });

  it("anchors to the fixed synthetic path when no file was read", () => {
    const result = resultFor(parsed(false, makeReport({ files: [] })), "CT.2", LIVE_TRAIL);
    expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe(NO_FILE_ANCHOR);
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 1 });
  });

  it("makes absolute and Windows-style paths relative POSIX uris", () => {
    const [first] = findings();
    if (first === undefined) throw new Error("fixture");
    const report = makeReport({
      findings: [
        { ...first, location: { file: `${ROOT}/stacks/prod trail.yaml`, line: 3, column: 1 } },
        {
          ...first,
          resource: { ...first.resource, address: "other" },
          location: { file: "nested\\a#b.yaml", line: 1, column: 1 },
        },
      ],
    });
    const uris = run(parsed(false, report)).results.map(
      (r) => r.locations[0].physicalLocation.artifactLocation.uri,
    );
    expect(uris).toEqual(["nested/a%23b.yaml", "stacks/prod%20trail.yaml"]);
  });
});

describe("SARIF: fingerprints", () => {
  function fingerprintsOf(finding: Finding) {
    const log = buildSarif(makeReport({ findings: [finding] }), makeOptions());
    return run(log).results[0]?.partialFingerprints;
  }
  const [base] = findings();
  if (base === undefined) throw new Error("fixture");

  it("sets primaryLocationLineHash and trailguard/v1 to the finding's fingerprint", () => {
    const prints = fingerprintsOf(base);
    const expected = findingFingerprint(base);
    expect(expected).toMatch(/^[0-9a-f]{32}$/);
    expect(prints).toEqual({ primaryLocationLineHash: expected, "trailguard/v1": expected });
  });

  it("stays the same when the finding moves to another line", () => {
    const moved = { ...base, location: { file: "template.yaml", line: 40, column: 3 } };
    expect(fingerprintsOf(moved)).toEqual(fingerprintsOf(base));
  });

  it("differs for a different resource or a different rule", () => {
    const other = { ...base, resource: { ...base.resource, address: "template.yaml#OtherTrail" } };
    expect(fingerprintsOf(other)?.primaryLocationLineHash).not.toBe(
      fingerprintsOf(base)?.primaryLocationLineHash,
    );
    const otherRule = { ...base, ruleId: "CT.2" };
    expect(fingerprintsOf(otherRule)?.primaryLocationLineHash).not.toBe(
      fingerprintsOf(base)?.primaryLocationLineHash,
    );
  });
});

describe("SARIF: invocation", () => {
  it("reports input errors as notifications and fails the execution on errors", () => {
    const invocation = run(parsed(false)).invocations[0];
    expect(invocation.executionSuccessful).toBe(false);
    // trailguard's record of each problem is checked with the merge; here, what SARIF viewers show.
    const shown = invocation.toolExecutionNotifications.map(({ properties, ...n }) => {
      expect(properties?.trailguard.code).toBe(n.descriptor?.id);
      return n;
    });
    expect(shown).toEqual([
      {
        level: "error",
        message: { text: "Could not list trails in eu-west-3: AccessDenied" },
        descriptor: { id: "aws-error" },
      },
      {
        level: "error",
        message: { text: "broken.yaml:4: Unexpected mapping value" },
        descriptor: { id: "syntax" },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: "broken.yaml", uriBaseId: "%SRCROOT%" },
              region: { startLine: 4, startColumn: 2 },
            },
          },
        ],
      },
      {
        level: "warning",
        message: { text: "main.tf: Suppression without a reason is ignored" },
        descriptor: { id: "suppression-invalid" },
        locations: [{ physicalLocation: { artifactLocation: { uri: "main.tf", uriBaseId: "%SRCROOT%" } } }],
      },
    ]);
  });

  it("is successful with warnings only, or without errors", () => {
    const warningsOnly = makeReport({ errors: [{ code: "unresolved", message: "w", severity: "warning" }] });
    expect(run(buildSarif(warningsOnly, makeOptions())).invocations[0].executionSuccessful).toBe(true);
    const clean = run(buildSarif(makeReport({ errors: [] }), makeOptions())).invocations[0];
    expect(clean.executionSuccessful).toBe(true);
    expect(clean.toolExecutionNotifications).toEqual([]);
  });
});

describe("SARIF: GitHub's result limit", () => {
  it("is 25,000", () => {
    expect(SARIF_MAX_RESULTS).toBe(25_000);
  });

  it("keeps the most severe active results and says it truncated", () => {
    const log = buildSarif(makeReport({ errors: [] }), makeOptions({ includePassed: true }), 3);
    // critical and high failures, then the medium one; the suppressed high failure goes after all active ones.
    expect(run(log).results.map((r) => `${r.ruleId} ${r.properties.resource}`)).toEqual([
      `CT.2 ${LIVE_TRAIL}`,
      `cloudtrail-multi-region ${TRAIL}`,
      `bucket-many-controls ${BUCKET}`,
    ]);
    const notes = run(log).invocations[0].toolExecutionNotifications;
    expect(notes).toHaveLength(1);
    expect(notes[0]?.level).toBe("warning");
    expect(notes[0]?.message.text).toContain("7 results exceed");
    expect(run(log).invocations[0].executionSuccessful).toBe(true);
  });

  it("does not truncate at the limit", () => {
    const log = buildSarif(makeReport({ errors: [] }), makeOptions(), 6);
    expect(run(log).results).toHaveLength(6);
    expect(run(log).invocations[0].toolExecutionNotifications).toEqual([]);
  });
});

describe("SARIF: findings whose rule is missing from the report", () => {
  it("still gets a valid ruleIndex (and the log validates, see above)", () => {
    const log = withUnloadedRule();
    const result = run(log).results[0];
    expect(run(log).tool.driver.rules[result?.ruleIndex ?? -1]?.id).toBe("not-loaded");
  });
});

describe("SARIF in pieces", () => {
  it("is the text of the whole log, one result and one unlisted finding at a time", () => {
    const base = makeReport();
    const whole = (report: typeof base, includePassed: boolean) =>
      `${JSON.stringify(buildSarif(report, makeOptions({ includePassed })), null, 2)}\n`;
    const first = base.findings[0] as Finding;
    const passes = base.findings.filter((f) => f.status === "pass");
    const variants = [
      base,
      makeReport({ findings: [], errors: [], rules: [], files: [] }),
      makeReport({ findings: [first] }),
      // Only passes: without --include-passed every finding is unlisted and there are no results.
      makeReport({ findings: passes }),
      makeReport({ findings: [{ ...first, message: 'a "quoted"\nline with \u0000 in it' }] }),
    ];
    for (const report of variants) {
      for (const includePassed of [false, true]) {
        const options = makeOptions({ includePassed });
        const pieces = [...renderPieces("sarif", report, options)];
        expect(pieces.join("")).toBe(whole(report, includePassed));
        expect(renderSarif(report, options)).toBe(whole(report, includePassed));
        if (report.findings.length > 1) expect(pieces.length).toBeGreaterThan(report.findings.length);
      }
    }
    expect(passes.length).toBeGreaterThan(0);
  });
});
