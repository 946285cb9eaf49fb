/**
 * Control characters from an input (a reason, an address, a message) must not reach a terminal, where they could
 * move the cursor or recolour the output: they are shown as `\u001b`. Tabs and line breaks stay.
 */
export function printable(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
    /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
