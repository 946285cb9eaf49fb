import { type Dirent, readdirSync, realpathSync, type Stats, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { InputError } from "../model/index.js";

/** Tool and dependency folders, never inputs: not walked into, and not worth a word. */
const TOOL_DIRS = new Set(["node_modules", ".git", ".terraform", "cdk.out", ".aws-sam"]);

export interface CollectedFile {
  absolutePath: string;
  /** POSIX path relative to the scan root: what reports show. */
  path: string;
  /** Named by the user rather than found in a folder: it must be read by some source or reported. */
  explicit: boolean;
}

/**
 * Files under the given paths whose name ends with one of `extensions`, in a stable order. Symbolic links are
 * followed (a link back into a folder being walked is reported, not followed); anything that is neither a regular
 * file nor a folder (a FIFO, a socket, a device) is reported and never opened.
 */
export function collectFiles(
  paths: string[],
  root: string,
  extensions: string[],
  errors: InputError[],
): Map<string, CollectedFile[]> {
  const byArgument = new Map<string, CollectedFile[]>();
  for (const path of paths) {
    const files: CollectedFile[] = [];
    byArgument.set(path, files);
    const shown = toPosix(relative(root, path)) || ".";
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (error) {
      errors.push({
        file: shown,
        code: "file-unreadable",
        message: describeFsError(error),
        severity: "error",
      });
      continue;
    }
    if (stats.isDirectory()) {
      const walker = new Walker(root, extensions, files, errors);
      const real = realPath(path);
      walker.walk(path, real, new Set([real]));
    } else if (stats.isFile()) files.push({ absolutePath: path, path: shown, explicit: true });
    else errors.push(notRegular(shown, stats));
  }
  return byArgument;
}

class Walker {
  constructor(
    private readonly root: string,
    private readonly extensions: string[],
    private readonly out: CollectedFile[],
    private readonly errors: InputError[],
  ) {}

  /**
   * `real`: the real path of `dir`; `ancestors`: real paths of the folders from the scanned one down to `dir`, to
   * recognize a symlink loop.
   */
  walk(dir: string, real: string, ancestors: Set<string>): void {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      this.errors.push({
        code: "file-unreadable",
        file: this.shown(dir),
        message: describeFsError(error),
        severity: "error",
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) this.visit(join(dir, entry.name), real, entry, ancestors);
  }

  private visit(full: string, parentReal: string, entry: Dirent, ancestors: Set<string>): void {
    const wanted = this.extensions.some((ext) => entry.name.endsWith(ext));
    if (entry.isDirectory()) {
      // A folder that is not a link is where its parent's real path says: no need to ask the file system.
      this.enter(full, entry.name, join(parentReal, entry.name), ancestors);
      return;
    }
    if (entry.isFile()) {
      if (wanted) this.add(full);
      return;
    }
    if (!entry.isSymbolicLink()) {
      // A FIFO or socket with an input's name would hang or fail a read: say why it is not read.
      if (wanted) this.errors.push(notRegular(this.shown(full), entry));
      return;
    }
    let target: Stats;
    try {
      target = statSync(full);
    } catch (error) {
      if (wanted || !/\.[^/]*$/.test(entry.name)) {
        this.errors.push({
          code: "file-unreadable",
          file: this.shown(full),
          message: `symbolic link that cannot be followed: ${describeFsError(error)}`,
          severity: "error",
        });
      }
      return;
    }
    if (target.isDirectory()) this.enter(full, entry.name, realPath(full), ancestors);
    else if (target.isFile()) {
      if (wanted) this.add(full);
    } else if (wanted) this.errors.push(notRegular(this.shown(full), target));
  }

  private enter(dir: string, name: string, real: string, ancestors: Set<string>): void {
    if (TOOL_DIRS.has(name)) return;
    if (name.startsWith(".")) {
      this.errors.push({
        code: "skipped",
        file: this.shown(dir),
        message: "hidden folder not scanned; name it as a path to scan it",
        severity: "warning",
      });
      return;
    }
    if (ancestors.has(real)) {
      this.errors.push({
        code: "skipped",
        file: this.shown(dir),
        message: "symbolic link to a folder that contains it (a loop); not followed",
        severity: "warning",
      });
      return;
    }
    ancestors.add(real);
    this.walk(dir, real, ancestors);
    ancestors.delete(real);
  }

  private add(full: string): void {
    this.out.push({ absolutePath: full, path: this.shown(full), explicit: false });
  }

  private shown(path: string): string {
    return toPosix(relative(this.root, path));
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function notRegular(file: string, entry: Pick<Stats, "isFIFO" | "isSocket">): InputError {
  const kind = entry.isFIFO() ? "a FIFO" : entry.isSocket() ? "a socket" : "a device";
  return {
    code: "file-unreadable",
    file,
    message: `not a regular file (${kind}); not read`,
    severity: "error",
  };
}

export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  if (code === "ELOOP") return "too many levels of symbolic links";
  return (error as Error).message;
}
