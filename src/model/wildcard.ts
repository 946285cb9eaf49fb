/**
 * Wildcard patterns, matched without regular expressions: literal segments with a gap between each two, a gap
 * standing for any run of at least `gap` characters. Because a gap can absorb anything, the segments between the
 * first and the last are placed greedily at their leftmost position, which never needs to backtrack: the work is at
 * most text length × pattern length comparisons, counted by `onWork` so that a caller can bound it. Every pattern
 * from an input (rule globs, waivers, metric filter values, deploy-time export names) is matched this way, so none
 * can make a scan run for long.
 */
export interface Wildcard {
  /** The literal parts, in order; the whole text must start with the first and end with the last. */
  segments: string[];
  /** The fewest characters a gap stands for. */
  gap: number;
  /** Whether `?` inside a segment matches any one character (IAM style) rather than itself. */
  anyOne: boolean;
}

/** A pattern where `*` is any run of characters and, when `anyOne`, `?` is exactly one. */
export function wildcard(pattern: string, options: { anyOne?: boolean } = {}): Wildcard {
  return { segments: pattern.split("*"), gap: 0, anyOne: options.anyOne ?? false };
}

/** A matcher for `*` patterns: whether a text matches any of them. */
export function wildcardMatcher(patterns: string[]): (text: string) => boolean {
  const compiled = patterns.map((p) => wildcard(p));
  return (text) => compiled.some((w) => matchesWildcard(w, text));
}

export function matchesWildcard(
  { segments, gap, anyOne }: Wildcard,
  text: string,
  onWork: (comparisons: number) => void = noop,
): boolean {
  const first = segments[0] ?? "";
  if (segments.length <= 1) {
    onWork(text.length + 1);
    return text.length === first.length && matchesAt(first, text, 0, anyOne);
  }
  const last = segments[segments.length - 1] as string;
  const gaps = segments.length - 1;
  if (first.length + last.length + gaps * gap > text.length) return false;
  onWork(first.length + last.length + 1);
  const end = text.length - last.length;
  if (!matchesAt(first, text, 0, anyOne) || !matchesAt(last, text, end, anyOne)) return false;
  let from = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i] as string;
    if (segment === "") {
      from += gap;
      continue;
    }
    const at = leftmost(segment, text, from + gap, end - gap, anyOne, onWork);
    if (at < 0) return false;
    from = at + segment.length;
  }
  return from + gap <= end;
}

/** Position of the leftmost occurrence of `segment` within text[from, end), or -1. */
function leftmost(
  segment: string,
  text: string,
  from: number,
  end: number,
  anyOne: boolean,
  onWork: (comparisons: number) => void,
): number {
  const lastStart = end - segment.length;
  if (lastStart < from) return -1;
  onWork((lastStart - from + 1) * Math.max(segment.length, 1));
  for (let at = from; at <= lastStart; at++) if (matchesAt(segment, text, at, anyOne)) return at;
  return -1;
}

/** Whether `segment` (no gaps) matches the text at `at`. */
function matchesAt(segment: string, text: string, at: number, anyOne: boolean): boolean {
  for (let i = 0; i < segment.length; i++) {
    const c = segment.charCodeAt(i);
    if (c !== text.charCodeAt(at + i) && !(anyOne && c === QUESTION && at + i < text.length)) return false;
  }
  return true;
}

const QUESTION = "?".charCodeAt(0);
function noop(): void {}
