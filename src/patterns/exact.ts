import { builtInCatalog, type CisVersion, type MonitoringClassId, type OfficialText } from "./catalog.js";

const WORD = /[\w$.*@:/-]/;

/**
 * The pattern with whitespace outside quoted strings removed, except a single space between two words
 * (`NOT EXISTS`, `IS TRUE`, terms).
 */
export function normalizeWhitespace(pattern: string): string {
  return pattern.replace(/"(?:[^"\\]|\\.)*"|\s+/g, (match, offset: number) => {
    if (match.startsWith('"')) return match;
    const before = pattern[offset - 1];
    const after = pattern[offset + match.length];
    return before && after && WORD.test(before) && WORD.test(after) ? " " : "";
  });
}

/**
 * The official text (CIS benchmark or Security Hub) a pattern is, up to whitespace, for a class; only texts of
 * `version` when given. Undefined when it is none of them.
 */
export function exactCisText(
  pattern: string,
  classId: MonitoringClassId,
  version?: CisVersion,
  catalog = builtInCatalog(),
): OfficialText | undefined {
  const normalized = normalizeWhitespace(pattern);
  return catalog.classes
    .get(classId)
    ?.texts.find(
      (text) =>
        (!version || text.versions.includes(version)) && normalizeWhitespace(text.pattern) === normalized,
    );
}

/** Whether a pattern is, up to whitespace, one of the texts CIS (or Security Hub) prints for the class. */
export function isExactCisText(pattern: string, classId: MonitoringClassId, version?: CisVersion): boolean {
  return exactCisText(pattern, classId, version) !== undefined;
}
