import { renderHtml } from "./html.js";
import { jsonChunks, renderJson } from "./json.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif, sarifChunks } from "./sarif.js";
import { renderText } from "./text.js";
import type { RenderOptions, Report, Reporter } from "./types.js";

export type Format = "text" | "json" | "sarif" | "markdown" | "html";
export const FORMATS: readonly Format[] = ["text", "json", "sarif", "markdown", "html"];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/** One pure renderer per output format: `reporters[format](report, options)` returns the file's content. */
export const reporters: Record<Format, Reporter> = {
  text: renderText,
  json: renderJson,
  sarif: renderSarif,
  markdown: (report, options) => renderMarkdown(report, options),
  html: renderHtml,
};

/** Formats whose text can be produced in pieces, so that a large report is never held whole. */
const inPieces: Partial<Record<Format, (report: Report, options: RenderOptions) => Iterable<string>>> = {
  json: jsonChunks,
  sarif: sarifChunks,
};

/** A format's text as pieces to write one after another: the same text as `reporters[format]` gives. */
export function renderPieces(format: Format, report: Report, options: RenderOptions): Iterable<string> {
  return inPieces[format]?.(report, options) ?? [reporters[format](report, options)];
}

export {
  assessCompliance,
  CONTROL_STATUSES,
  type Compliance,
  type ControlStatus,
} from "./compliance.js";
export { markdownText, terminalLines, terminalText } from "./escape.js";
export type { JsonReport } from "./json.js";
export { MARKDOWN_MAX_CHARS } from "./markdown.js";
export { NO_FILE_ANCHOR, SARIF_MAX_RESULTS, type SarifLog } from "./sarif.js";
export { plural, type Summary, summarize, summaryLine } from "./summary.js";
export type { FixedFinding, Provenance, RenderOptions, Report, Reporter, Review } from "./types.js";
