import { afterEach, describe, expect, test, vi } from "vitest";
import { createProgress, duration, isInteractive, withProgress } from "../../src/report/progress.js";
import type { LiveInput } from "../../src/scan/live.js";

/** A stand-in for standard error that keeps what was written. */
function stream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { isTTY, columns, writes, write: (text: string) => writes.push(text) };
}

const account = (id: string, failed = false, name = `account-${id}`) =>
  ({ type: "account", id, name, failed }) as const;

describe("organization scan progress", () => {
  afterEach(() => vi.useRealTimers());

  test("a terminal gets one line redrawn in place: done, failed, total, time left", () => {
    const out = stream(true, 200);
    let clock = 0;
    const progress = createProgress({ stream: out, live: true, now: () => clock });
    progress.update({ type: "listed", total: 4 });
    clock = 1_000;
    progress.update(account("111111111111"));
    clock = 2_000;
    progress.update(account("222222222222", true));
    expect(out.writes.every((w) => w.startsWith("\r\u001b[2K") && !w.includes("\n"))).toBe(true);
    expect(out.writes.at(-1)).toBe(
      "\r\u001b[2Ktrailguard: 2 of 4 accounts read, 1 failed, about 2 s left (last: 222222222222 account-222222222222, failed)",
    );
    clock = 3_000;
    progress.update(account("333333333333"));
    clock = 4_000;
    progress.update(account("444444444444"));
    // The last account ends the line.
    expect(out.writes.at(-1)).toBe("\r\u001b[2Ktrailguard: 4 of 4 accounts read, 1 failed in 4 s\n");
    progress.finish();
    expect(out.writes.filter((w) => w.endsWith("\n"))).toHaveLength(1);
  });

  test("redraws are at most ten a second, and the line fits the terminal", () => {
    const out = stream(true, 40);
    let clock = 0;
    const progress = createProgress({ stream: out, live: true, now: () => clock });
    progress.update({ type: "listed", total: 100 });
    for (let i = 0; i < 50; i++) {
      clock += 10;
      progress.update(account(String(100000000000 + i)));
    }
    // 500 ms of events: the first draw and one per 100 ms.
    expect(out.writes.length).toBeLessThanOrEqual(6);
    for (const w of out.writes) expect(w.replace("\r\u001b[2K", "").length).toBeLessThanOrEqual(39);
  });

  test("an account name cannot steer the terminal", () => {
    const out = stream(true, 500);
    let clock = 0;
    const progress = createProgress({ stream: out, live: true, now: () => clock });
    progress.update({ type: "listed", total: 2 });
    clock = 1_000;
    progress.update(
      account("111111111111", false, "evil\u001b[2J\u001b]8;;https://x\u0007name\nforged line"),
    );
    const line = out.writes.at(-1) ?? "";
    expect(line).toContain("(last: 111111111111 evilname\\nforged line)");
    const controls = [...line.replace("\r\u001b[2K", "")].filter((c) => (c.codePointAt(0) ?? 0) < 0x20);
    expect(controls).toEqual([]);
  });

  test("a log gets plain lines: the count, then one line per interval, then the totals", () => {
    const out = stream(false);
    let clock = 0;
    const progress = createProgress({ stream: out, live: false, intervalMs: 10_000, now: () => clock });
    progress.update({ type: "listed", total: 3 });
    clock = 4_000;
    progress.update(account("111111111111"));
    clock = 12_000;
    progress.update(account("222222222222", true, "\u001b[31mred"));
    clock = 15_000;
    progress.update(account("333333333333"));
    expect(out.writes).toEqual([
      "trailguard: 3 accounts to read\n",
      "trailguard: 2 of 3 accounts read, 1 failed, 12 s elapsed, about 6 s left\n",
      "trailguard: 3 of 3 accounts read, 1 failed in 15 s\n",
    ]);
    expect(out.writes.join("")).not.toContain("\r");
  });

  test("a log hears from a scan that is still waiting for its accounts", () => {
    vi.useFakeTimers();
    const out = stream(false);
    const progress = createProgress({ stream: out, live: false, intervalMs: 10_000, now: () => Date.now() });
    progress.update({ type: "listed", total: 2 });
    vi.advanceTimersByTime(25_000);
    expect(out.writes.slice(1)).toEqual([
      "trailguard: 0 of 2 accounts read, 0 failed, 10 s elapsed\n",
      "trailguard: 0 of 2 accounts read, 0 failed, 20 s elapsed\n",
    ]);
    progress.finish();
    vi.advanceTimersByTime(25_000);
    expect(out.writes).toHaveLength(4);
  });

  test("no line before the first event: a scan that fails before listing its accounts leaves no timer", () => {
    vi.useFakeTimers();
    const out = stream(false);
    createProgress({ stream: out, live: false, intervalMs: 10_000, now: () => Date.now() });
    vi.advanceTimersByTime(25_000);
    expect(out.writes).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  test("interactive only on a terminal outside CI", () => {
    expect(isInteractive(stream(true), {})).toBe(true);
    expect(isInteractive(stream(true), { CI: "true" })).toBe(false);
    expect(isInteractive(stream(false), {})).toBe(false);
    expect(isInteractive(stream(true), { TERM: "dumb" })).toBe(false);
  });

  test("quiet, or a scan of one account, shows nothing", () => {
    const out = stream(false);
    const single: LiveInput = { regions: [], lakeRegions: "home" };
    const org: LiveInput = { ...single, org: { roleName: "r" } };
    const quiet = withProgress(org, true, out);
    expect(quiet.input).toBe(org);
    expect(withProgress(single, false, out).input).toBe(single);
    const shown = withProgress(org, false, out);
    shown.input.org?.onProgress?.({ type: "listed", total: 0 });
    shown.finish();
    expect(out.writes).toEqual([
      "trailguard: 0 accounts to read\n",
      "trailguard: 0 of 0 accounts read, 0 failed in 0 s\n",
    ]);
  });

  test("durations read as seconds, minutes and hours", () => {
    expect(duration(4_400)).toBe("4 s");
    expect(duration(185_000)).toBe("3 min 05 s");
    expect(duration(3_720_000)).toBe("1 h 02 min");
  });
});
