/** Whether a text matches one of the patterns, where `*` stands for any run of characters (`/` and `:` included). */
export function globMatcher(patterns: string[]): (text: string) => boolean {
  const regexps = patterns.map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`, "s"),
  );
  return (text) => regexps.some((re) => re.test(text));
}
