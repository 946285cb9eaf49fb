import { type InputError, parseExpiry, type Suppression } from "../../model/index.js";
import type { Block, HclFile } from "./ast.js";

const COMMENT = /(?:#|\/\/)\s*trailguard:ignore\b[ \t]*(\S*)[ \t]*(?:expires=(\S*)[ \t]*)?(.*)$/;

/**
 * `# trailguard:ignore <rule-id> [expires=YYYY-MM-DD] <reason>` (or `//`) on a block's first line or in the comment
 * lines directly above it. One without a reason, or with an expiry that is not a date, is reported as a warning and
 * not applied.
 */
export function readSuppressions(file: HclFile, block: Block, errors: InputError[]): Suppression[] {
  const lines = file.lines;
  if (lines.length === 0) return NO_SUPPRESSIONS;
  const out: Suppression[] = [];
  const candidates: number[] = [block.pos.line];
  for (let n = block.pos.line - 1; n >= 1; n--) {
    const text = (lines[n - 1] ?? "").trim();
    if (!text.startsWith("#") && !text.startsWith("//")) break;
    candidates.push(n);
  }
  for (const n of candidates) {
    const text = lines[n - 1] ?? "";
    const m = COMMENT.exec(text);
    if (!m) continue;
    const column = text.search(/#|\/\//) + 1;
    const location = { file: file.path, line: n, column, endLine: n, endColumn: text.length + 1 };
    const ruleId = m[1] ?? "";
    const reason = (m[3] ?? "").trim();
    const expires = m[2];
    if (!ruleId) {
      errors.push({
        code: "suppression-invalid",
        file: file.path,
        line: n,
        column,
        message: `suppression at ${file.path}:${n} names no rule; it is not applied`,
        severity: "warning",
      });
    } else if (!reason) {
      errors.push({
        code: "suppression-invalid",
        file: file.path,
        line: n,
        column,
        message: `suppression of ${ruleId} has no reason; it is not applied (${file.path}:${n})`,
        severity: "warning",
      });
    } else if (expires !== undefined && parseExpiry(expires) === undefined) {
      errors.push({
        code: "suppression-invalid",
        file: file.path,
        line: n,
        column,
        message: `suppression of ${ruleId} has an expiry that is not a date (YYYY-MM-DD): ${JSON.stringify(expires)}; it is not applied (${file.path}:${n})`,
        severity: "warning",
      });
    } else out.push({ ruleId, reason, location, ...(expires !== undefined ? { expires } : {}) });
  }
  return out.length === 0 ? NO_SUPPRESSIONS : out;
}

/** The suppressions of every block without any (most blocks): one frozen empty list, kept by all their records. */
export const NO_SUPPRESSIONS: Suppression[] = Object.freeze([]) as unknown as Suppression[];
