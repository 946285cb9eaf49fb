import { parseExpiry, type Suppression } from "../../model/index.js";
import { location, type ReadContext, warn } from "./fields.js";
import type { ResourceDecl } from "./template.js";
import { entryOf, type LNode, type Pos } from "./tree.js";

const COMMENT = /(?:^|\s)#\s*trailguard:ignore\b[ \t]*(\S*)[ \t]*(?:expires=(\S*)[ \t]*)?(.*)$/;

/**
 * Suppressions declared at a resource: `Metadata.trailguard.ignore: [{rule, reason, expires?}]`, and
 * `# trailguard:ignore <rule-id> [expires=YYYY-MM-DD] <reason>` on the logical id's line or in the comment lines
 * directly above it. One without a reason, or with an expiry that is not a date, is reported and not applied.
 */
export function readSuppressions(ctx: ReadContext, decl: ResourceDecl, lines: string[]): Suppression[] {
  const out: Suppression[] = [];
  const add = (ruleId: string, reason: string, expires: string | undefined, pos: Pos) => {
    if (!ruleId) {
      warn(
        ctx,
        `suppression at ${ctx.file}:${pos.line} names no rule; it is not applied`,
        pos,
        "suppression-invalid",
      );
    } else if (!reason.trim()) {
      warn(
        ctx,
        `suppression of ${ruleId} has no reason; it is not applied (${ctx.file}:${pos.line})`,
        pos,
        "suppression-invalid",
      );
    } else if (expires !== undefined && parseExpiry(expires) === undefined) {
      warn(
        ctx,
        `suppression of ${ruleId} has an expiry that is not a date (YYYY-MM-DD): ${JSON.stringify(expires)}; it is not applied (${ctx.file}:${pos.line})`,
        pos,
        "suppression-invalid",
      );
    } else {
      out.push({
        ruleId,
        reason: reason.trim(),
        location: location(ctx, pos),
        ...(expires !== undefined ? { expires } : {}),
      });
    }
  };

  for (const item of metadataIgnores(decl.metadata)) {
    const rule = item.kind === "map" ? scalarText(entryOf(item, "rule")?.value) : "";
    const reason = item.kind === "map" ? scalarText(entryOf(item, "reason")?.value) : "";
    const expires = item.kind === "map" ? entryOf(item, "expires")?.value : undefined;
    add(rule, reason, expires === undefined ? undefined : scalarText(expires), item.pos);
  }

  const commentLines: number[] = [decl.pos.line];
  for (let n = decl.pos.line - 1; n >= 1 && (lines[n - 1] ?? "").trim().startsWith("#"); n--)
    commentLines.push(n);
  for (const n of commentLines) {
    const text = lines[n - 1] ?? "";
    const m = COMMENT.exec(text);
    if (!m) continue;
    const column = text.indexOf("#") + 1;
    add(m[1] ?? "", m[3] ?? "", m[2], { line: n, column, endLine: n, endColumn: text.length + 1 });
  }
  return out;
}

function metadataIgnores(metadata: LNode | undefined): LNode[] {
  if (metadata?.kind !== "map") return [];
  const ours = entryOf(metadata, "trailguard")?.value;
  if (ours?.kind !== "map") return [];
  const ignore = entryOf(ours, "ignore")?.value;
  if (!ignore) return [];
  return ignore.kind === "seq" ? ignore.items : [ignore];
}

function scalarText(node: LNode | undefined): string {
  return node?.kind === "scalar" && node.value !== null ? String(node.value) : "";
}
