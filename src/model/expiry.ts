const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The `YYYY-MM-DD` text when it names a real calendar day, else undefined. */
export function parseExpiry(text: string): string | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? text : undefined;
}

/**
 * An expiry names the last day something applies, in UTC: `2026-06-30` still applies on that day and has expired
 * from 2026-07-01T00:00Z on. An expiry that is not a real date counts as expired, so it never hides a finding.
 */
export function isExpired(expires: string, now: Date): boolean {
  const m = DATE.exec(parseExpiry(expires) ?? "");
  if (!m) return true;
  const end = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1);
  return now.getTime() >= end;
}
