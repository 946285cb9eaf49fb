import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import {
  builtInCatalog,
  builtInCatalogFile,
  CatalogError,
  exactCisText,
  isExactCisText,
  loadMonitoringCatalog,
  MONITORING_CLASSES,
  matchesEvent,
  normalizeWhitespace,
  parseFilterPattern,
} from "../../src/patterns/index.js";
import { POLICIES_DIR } from "../support/paths.js";

const catalog = builtInCatalog();

describe("the shipped catalog (policies/cis/monitoring-events.yaml)", () => {
  test("is the one beside the sources, with all 15 classes", () => {
    expect(builtInCatalogFile()).toBe(join(POLICIES_DIR, "cis", "monitoring-events.yaml"));
    expect([...catalog.classes.keys()]).toEqual([...MONITORING_CLASSES]);
  });

  test("an eventNames list becomes one event per name, from its service, over the defaults", () => {
    const cls = catalog.classes.get("cmk-disable-or-deletion");
    expect(cls?.events.map((e) => [e.label, e.record.eventSource, e.record.eventName])).toEqual([
      ["DisableKey", "kms.amazonaws.com", "DisableKey"],
      ["ScheduleKeyDeletion", "kms.amazonaws.com", "ScheduleKeyDeletion"],
    ]);
    expect(cls?.events[0]?.record).toMatchObject({
      eventType: "AwsApiCall",
      userIdentity: { type: "IAMUser" },
    });
  });

  test("event names are not repeated within a class", () => {
    for (const cls of catalog.classes.values()) {
      const names = cls.events.filter((e) => e.label === e.record.eventName).map((e) => e.label);
      expect(new Set(names).size, cls.id).toBe(names.length);
    }
  });

  test("the canonical events carry what the CIS texts test", () => {
    const [signin] = catalog.classes.get("console-signin-without-mfa")?.events ?? [];
    expect(signin?.record).toMatchObject({
      eventName: "ConsoleLogin",
      additionalEventData: { MFAUsed: "No" },
      responseElements: { ConsoleLogin: "Success" },
      userIdentity: { type: "IAMUser" },
    });
    for (const root of catalog.classes.get("root-account-usage")?.events ?? []) {
      expect(root.record).toMatchObject({ userIdentity: { type: "Root" } });
      expect(root.record.userIdentity).not.toHaveProperty("invokedBy");
      expect(root.record.eventType).not.toBe("AwsServiceEvent");
    }
  });

  test("no official text matches an ordinary unrelated event", () => {
    for (const cls of catalog.classes.values()) {
      for (const text of cls.texts.filter((t) => !t.defect)) {
        const parsed = parseFilterPattern(text.pattern);
        if (!parsed.ok) throw new Error(parsed.error.message);
        for (const event of catalog.unrelated) {
          expect(matchesEvent(parsed.parsed.pattern, event.record), `${cls.id} / ${event.label}`).toBe(false);
        }
      }
    }
  });
});

describe("a broken catalog is refused with file and line", () => {
  const dir = mkdtempSync(join(tmpdir(), "trailguard-catalog-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const original = readFileSync(builtInCatalogFile(), "utf8");
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

  test("a schema violation", () => {
    const text = original.replace('    cis: "4.7"', '    cis: "four seven"');
    const file = write("schema.yaml", text);
    expect(() => loadMonitoringCatalog(file)).toThrow(CatalogError);
    try {
      loadMonitoringCatalog(file);
    } catch (error) {
      expect(error).toMatchObject({ file, line: lineOf(text, 'cis: "four seven"') });
      expect((error as Error).message).toMatch(/classes\/cmk-disable-or-deletion\/cis must match pattern/);
    }
  });

  test("a YAML syntax error", () => {
    const file = write("syntax.yaml", `${original}\n  bad: [unclosed\n`);
    expect(() => loadMonitoringCatalog(file)).toThrow(/syntax\.yaml:\d+:/);
  });

  test("an unknown class, and a missing one", () => {
    const renamed = original.replace("  vpc-changes:\n", "  vpc-changez:\n");
    const file = write("unknown.yaml", renamed);
    expect(() => loadMonitoringCatalog(file)).toThrow(
      new CatalogError(file, lineOf(renamed, "vpc-changez:"), "unknown monitoring class vpc-changez"),
    );
    const cut = original.slice(0, original.indexOf("  organizations-changes:\n"));
    const shorter = write("missing.yaml", cut);
    expect(() => loadMonitoringCatalog(shorter)).toThrow(
      new CatalogError(shorter, lineOf(cut, "classes:"), "classes missing: organizations-changes"),
    );
  });
});

describe("exact CIS texts (for --cis-exact)", () => {
  const texts = MONITORING_CLASSES.flatMap((id) =>
    (catalog.classes.get(id)?.texts ?? []).map((t) => ({ id, ...t })),
  );

  test.each(texts)("$id: $source", ({ id, pattern, versions }) => {
    expect(isExactCisText(pattern, id)).toBe(true);
    for (const version of versions) expect(isExactCisText(pattern, id, version)).toBe(true);
    const spaced = pattern.replace(/"(?:[^"\\]|\\.)*"| /g, (m) => (m === " " ? "  \t " : m));
    expect(isExactCisText(`\n ${spaced}\t`, id)).toBe(true);
  });

  test("spacing inside quoted values, quoting, and other classes' texts are not the same text", () => {
    const signin = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }';
    expect(isExactCisText(signin, "console-signin-without-mfa")).toBe(true);
    expect(isExactCisText(signin.replace('"Yes"', '" Yes"'), "console-signin-without-mfa")).toBe(false);
    expect(
      isExactCisText(signin.replace('"ConsoleLogin"', "ConsoleLogin"), "console-signin-without-mfa"),
    ).toBe(false);
    expect(isExactCisText(signin, "console-auth-failures")).toBe(false);
  });

  test("a version limits the texts to the ones printed for it", () => {
    const v5 = catalog.classes.get("security-group-changes")?.texts.find((t) => t.versions.includes("5.0"));
    expect(v5 && exactCisText(v5.pattern, "security-group-changes", "5.0")).toBe(v5);
    expect(v5 && isExactCisText(v5.pattern, "security-group-changes", "4.0.1")).toBe(false);
    // Security Hub's texts differ from the benchmark's in spacing at most; by version they can be told apart.
    const hub = catalog.classes.get("console-signin-without-mfa")?.texts.find((t) => t.securityHub);
    expect(hub && exactCisText(hub.pattern, "console-signin-without-mfa", "1.2")?.source).toBe(
      "Security Hub CloudWatch.3",
    );
  });

  test("whitespace is removed outside quotes only", () => {
    expect(normalizeWhitespace('{ $.a = "x y" && $.b = 1 }')).toBe('{$.a="x y"&&$.b=1}');
    expect(normalizeWhitespace('{ $.a = "say \\"hi there\\"" }')).toBe('{$.a="say \\"hi there\\""}');
    expect(normalizeWhitespace("{ $.x   NOT \n EXISTS || $.y IS  TRUE }")).toBe(
      "{$.x NOT EXISTS||$.y IS TRUE}",
    );
    expect(normalizeWhitespace("{ $.x NOTEXISTS }")).not.toBe(normalizeWhitespace("{ $.x NOT EXISTS }"));
  });
});
