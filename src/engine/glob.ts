/**
 * IAM-style wildcard matching without regular expressions: `*` matches any run of characters, `?` exactly one;
 * everything else matches itself (case-sensitive). Because `*` can absorb anything, the segments between stars are
 * matched greedily at their leftmost position, which never needs to backtrack: the work is at most
 * text length × pattern length comparisons, counted by `onWork` so that a caller can bound it.
 */
export function globMatch(
  pattern: string,
  text: string,
  onWork: (comparisons: number) => void = noop,
): boolean {
  const segments = pattern.split("*");
  const first = segments[0] as string;
  if (segments.length === 1) {
    onWork(text.length + 1);
    return text.length === first.length && matchesAt(first, text, 0);
  }
  const last = segments[segments.length - 1] as string;
  if (first.length + last.length > text.length) return false;
  onWork(first.length + last.length + 1);
  if (!matchesAt(first, text, 0) || !matchesAt(last, text, text.length - last.length)) return false;
  let from = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] as string;
    if (segment === "") continue;
    const at = leftmost(segment, text, from, end, onWork);
    if (at < 0) return false;
    from = at + segment.length;
  }
  return true;
}

/** Position of the leftmost occurrence of `segment` in text[from, end), or -1. */
function leftmost(
  segment: string,
  text: string,
  from: number,
  end: number,
  onWork: (comparisons: number) => void,
): number {
  const lastStart = end - segment.length;
  if (lastStart < from) return -1;
  onWork((lastStart - from + 1) * segment.length);
  for (let at = from; at <= lastStart; at++) if (matchesAt(segment, text, at)) return at;
  return -1;
}

/** Whether `segment` (no `*`; `?` any character) matches the text at `at`. */
function matchesAt(segment: string, text: string, at: number): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c !== QUESTION && c !== text.charCodeAt(at + i)) return false;
  }
  return true;
}

const QUESTION = "?".charCodeAt(0);
function noop(): void {}
