import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { InputError } from "../model/index.js";

/** Folders never worth walking into. */
const SKIPPED_DIRS = new Set(["node_modules", ".git", ".terraform", "cdk.out", ".aws-sam"]);

export interface CollectedFile {
  absolutePath: string;
  /** POSIX path relative to the scan root: what reports show. */
  path: string;
  /** Named by the user rather than found in a folder: it must be read by some source or reported. */
  explicit: boolean;
}

/** Files under the given paths whose name ends with one of `extensions`, in a stable order. */
export function collectFiles(
  paths: string[],
  root: string,
  extensions: string[],
  errors: InputError[],
): Map<string, CollectedFile[]> {
  const byArgument = new Map<string, CollectedFile[]>();
  for (const path of paths) {
    const files: CollectedFile[] = [];
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch (error) {
      errors.push({
        file: toPosix(relative(root, path)),
        code: "file-unreadable",
        message: describeFsError(error),
        severity: "error",
      });
      byArgument.set(path, files);
      continue;
    }
    if (stats.isDirectory()) walk(path, root, extensions, files, errors);
    else
      files.push({
        absolutePath: path,
        path: toPosix(relative(root, path)),
        explicit: true,
      });
    byArgument.set(path, files);
  }
  return byArgument;
}

function walk(
  dir: string,
  root: string,
  extensions: string[],
  out: CollectedFile[],
  errors: InputError[],
): void {
  let entries: import("node:fs").Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    errors.push({
      code: "file-unreadable",
      file: toPosix(relative(root, dir)),
      message: describeFsError(error),
      severity: "error",
    });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith("."))
        walk(full, root, extensions, out, errors);
    } else if (entry.isFile() && extensions.some((ext) => entry.name.endsWith(ext))) {
      out.push({
        absolutePath: full,
        path: toPosix(relative(root, full)),
        explicit: false,
      });
    }
  }
}

export function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}

function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  return (error as Error).message;
}
