/**
 * Where a large HCL file can be cut into pieces that parse on their own: before a top-level item (a line starting
 * with a name at column 0, outside any bracket, string, heredoc or comment), once a piece has reached `size`
 * characters. HCL ends a top-level item at a newline outside brackets, so each piece is a run of whole items.
 * Returns the start offsets of the pieces (always 0 first). When the text cannot be followed (an unclosed string
 * or heredoc, an unbalanced bracket), it is not cut any further.
 */
export function chunkStarts(text: string, size: number): number[] {
  const starts = [0];
  if (text.length <= size) return starts;
  // Open brackets, `${`/`%{` interpolations and quoted strings, innermost last.
  const stack: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (stack.at(-1) === '"') {
      if (c === "\\") i += 2;
      else if (c === '"') {
        stack.pop();
        i++;
      } else if ((c === "$" || c === "%") && next === c) i += 2;
      else if ((c === "$" || c === "%") && next === "{") {
        stack.push("${");
        i += 2;
      } else if (c === "\n") return starts;
      else i++;
      continue;
    }
    if (c === "#" || (c === "/" && next === "/")) {
      const end = text.indexOf("\n", i);
      if (end < 0) break;
      i = end;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) return starts;
      i = end + 2;
    } else if (c === '"') {
      stack.push('"');
      i++;
    } else if (c === "<" && next === "<") {
      const heredoc = HEREDOC.exec(text.slice(i, i + 256));
      if (!heredoc) {
        i += 2;
        continue;
      }
      const end = heredocEnd(text, i + heredoc[0].length, heredoc[1] as string);
      if (end < 0) return starts;
      i = end;
    } else if (c === "{" || c === "[" || c === "(") {
      stack.push(c);
      i++;
    } else if (c === "}" || c === "]" || c === ")") {
      if (stack.length === 0) return starts;
      stack.pop();
      i++;
    } else if (c === "\n") {
      i++;
      if (stack.length === 0 && i - (starts.at(-1) as number) >= size && /[A-Za-z_]/.test(text[i] ?? "")) {
        starts.push(i);
      }
    } else i++;
  }
  return starts;
}

const HEREDOC = /^<<-?([A-Za-z_][\w-]*)\r?\n/;

/** The offset of the newline that ends a heredoc's closing line, or -1 when it is never closed. */
function heredocEnd(text: string, from: number, marker: string): number {
  let lineStart = from;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    if (text.slice(lineStart, lineEnd).trim() === marker) return lineEnd;
    lineStart = lineEnd + 1;
  }
  return -1;
}
