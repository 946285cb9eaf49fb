/**
 * Text from inputs (resource names, file paths, values, messages) on its way to a reader. Nothing from an input may
 * steer a terminal or render as a link, an image, a mention or HTML in a pull-request comment.
 */

// C0 and C1 control characters and DEL, except tab; ESC starts terminal sequences.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching escape sequences is the point
const ANSI_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;

/**
 * One line of plain text for a terminal or a log: escape sequences removed, other control characters and line
 * breaks shown as `\uXXXX`/`\n`, so an input cannot move the cursor, recolour the screen or forge a line.
 */
export function terminalText(text: string): string {
  return text
    .replace(ANSI_SEQUENCE, "")
    .replaceAll("\r\n", "\\n")
    .replaceAll("\n", "\\n")
    .replaceAll("\r", "\\r")
    .replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Like terminalText, but keeps line breaks (for multi-line notes the report itself indents). */
export function terminalLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => terminalText(line))
    .join("\n");
}

const MARKDOWN_ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  "|": "\\|",
  "[": "&#91;",
  "]": "&#93;",
  "@": "&#64;",
  "`": "&#96;",
  "*": "&#42;",
  "~": "&#126;",
  "\\": "&#92;",
};

/**
 * Inline text for GitHub-flavoured Markdown, inside a table cell or a paragraph: every character with a Markdown or
 * HTML meaning becomes an entity, so nothing renders as a link or image (no `[`), mention (`@user`), code or HTML;
 * autolinks (`https://`, `www.`) and issue references (`#12`) are broken up; `|` cannot end a table cell. Line
 * breaks become `<br>`. What is left (`file.yaml#L12`, `a:b`) reads as written.
 */
export function markdownText(text: string): string {
  // One pass, so that the entities written are not escaped again.
  return terminalLines(text)
    .replace(
      /[&<>|[\]@`*~\\]|#(?=\d)|:(?=\/\/)|(?<=www)\./gi,
      (c) => MARKDOWN_ENTITIES[c] ?? `&#${c.charCodeAt(0)};`,
    )
    .replaceAll("\n", "<br>");
}
