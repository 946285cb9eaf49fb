import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

/**
 * Writes a file atomically: the text goes to a temporary file in the same folder, which then replaces the target
 * in one rename. A run killed half-way leaves the previous file (or none), never a truncated one. The text may come
 * in pieces (a large report), written as they come.
 */
export function writeFileAtomic(path: string, text: string | Iterable<string>): void {
  const target = resolve(path);
  const folder = dirname(target);
  mkdirSync(folder, { recursive: true });
  const temporary = join(folder, `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(temporary, "wx", 0o644);
  try {
    try {
      if (typeof text === "string") writeSync(fd, text);
      else for (const batch of batches(text)) writeSync(fd, batch);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Pieces of text joined into runs of at least `chars` characters (the last one shorter): fewer, larger writes. */
export function* batches(pieces: Iterable<string>, chars = 1 << 16): Generator<string> {
  let pending: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    pending.push(piece);
    size += piece.length;
    if (size < chars) continue;
    yield pending.join("");
    pending = [];
    size = 0;
  }
  if (size > 0) yield pending.join("");
}
