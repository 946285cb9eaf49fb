import type { LiveInput } from "../scan/live.js";
import type { OrganizationProgress } from "../sources/aws/organization/progress.js";
import { terminalText } from "./escape.js";

/** Where progress goes: standard error, or a test's stand-in. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  stream: ProgressStream;
  /** One line redrawn in place (an interactive terminal), else plain lines for a log. */
  live: boolean;
  /** Plain mode: at most one line this often (and one at least this often while accounts are read). */
  intervalMs?: number;
  now?: () => number;
}

export interface ProgressDisplay {
  update(event: OrganizationProgress): void;
  /** The last line (written by itself once every account is read); the display stops. */
  finish(): void;
}

export const PLAIN_INTERVAL_MS = 10_000;
/** A redrawn line is not drawn more often than this: a terminal cannot show faster. */
const REDRAW_MS = 100;
const CLEAR_LINE = "\r\u001b[2K";

/**
 * Progress of an organization scan on standard error. On an interactive terminal, one line redrawn in place:
 * accounts done, failed, total, the time left and the last account read. In CI or a log, a plain line every
 * `intervalMs` while accounts are read, and a last line with the totals. Account names come from the organization
 * and are escaped like every other input on a terminal.
 */
export function createProgress(options: ProgressOptions): ProgressDisplay {
  const { stream, live } = options;
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? PLAIN_INTERVAL_MS;
  const started = now();
  let total: number | undefined;
  let done = 0;
  let failed = 0;
  let last = "";
  // A log gets its first line when the accounts are listed, then one every interval.
  let drawnAt = live ? Number.NEGATIVE_INFINITY : started;
  let finished = false;

  const counts = () => {
    const of = total === undefined ? "" : ` of ${total}`;
    return `${done}${of} accounts read, ${failed} failed`;
  };
  const eta = () => {
    if (total === undefined || done === 0 || done >= total) return "";
    const left = ((now() - started) / done) * (total - done);
    return `, about ${duration(left)} left`;
  };
  const draw = () => {
    drawnAt = now();
    if (live) {
      const line = `trailguard: ${counts()}${eta()}${last ? ` (last: ${last})` : ""}`;
      const width = stream.columns && stream.columns > 1 ? stream.columns - 1 : line.length;
      stream.write(`${CLEAR_LINE}${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    } else {
      stream.write(`trailguard: ${counts()}, ${duration(now() - started)} elapsed${eta()}\n`);
    }
  };
  // A log shows that the scan is alive even when no account finishes for a while: from the first event on (a scan
  // that fails before listing its accounts leaves no timer behind).
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const beat = () => {
    if (live || heartbeat) return;
    heartbeat = setInterval(() => {
      if (now() - drawnAt >= interval) draw();
    }, interval);
    heartbeat.unref();
  };

  const display: ProgressDisplay = {
    update(event) {
      if (finished) return;
      beat();
      if (event.type === "listed") {
        total = event.total;
        if (!live) {
          stream.write(`trailguard: ${total} account${total === 1 ? "" : "s"} to read\n`);
          return;
        }
      } else {
        done++;
        if (event.failed) failed++;
        last = `${terminalText(event.id)} ${terminalText(event.name)}${event.failed ? ", failed" : ""}`;
      }
      if (total !== undefined && done >= total) display.finish();
      else if (now() - drawnAt >= (live ? REDRAW_MS : interval)) draw();
    },
    finish() {
      if (finished) return;
      finished = true;
      if (heartbeat) clearInterval(heartbeat);
      const line = `trailguard: ${counts()} in ${duration(now() - started)}\n`;
      stream.write(live ? `${CLEAR_LINE}${line}` : line);
    },
  };
  return display;
}

/** `42 s`, `3 min 05 s`, `1 h 02 min`. */
export function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** Redrawn in place only on an interactive terminal outside CI (a CI log keeps every byte, `\r` included). */
export function isInteractive(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.CI && env.TERM !== "dumb";
}

/**
 * The live input with a progress display attached when it reads an organization and `quiet` is not asked; `finish`
 * writes the last line (call it once the accounts are read, whatever happened).
 */
export function withProgress(
  input: LiveInput,
  quiet: boolean,
  stream: ProgressStream = process.stderr,
): { input: LiveInput; finish(): void } {
  if (quiet || !input.org) return { input, finish: () => {} };
  const display = createProgress({ stream, live: isInteractive(stream) });
  let started = false;
  const onProgress = (event: OrganizationProgress) => {
    started = true;
    display.update(event);
  };
  return {
    input: { ...input, org: { ...input.org, onProgress } },
    finish: () => {
      if (started) display.finish();
    },
  };
}
