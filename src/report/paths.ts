import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * A file path as reports show it: POSIX separators, relative to the scan root, no leading `./`.
 * Paths in findings are normally relative already; absolute ones (and Windows separators) are normalised so that
 * the same finding prints the same path on every platform.
 */
export function displayPath(root: string, file: string): string {
  let rel = file;
  if (path.isAbsolute(file) || path.win32.isAbsolute(file)) {
    rel = path.relative(root, file);
  }
  rel = rel.replaceAll("\\", "/");
  while (rel.startsWith("./")) rel = rel.slice(2);
  return rel === "" ? "." : rel;
}

/**
 * A relative URI reference for SARIF `artifactLocation.uri` (resolved against `%SRCROOT%`): the display path
 * with each segment percent-encoded, so names with spaces, `#` or `?` stay one path.
 */
export function relativeUri(root: string, file: string): string {
  return displayPath(root, file)
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
}

/** `file:` URI of a directory, with the trailing slash SARIF requires of a base URI. */
export function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith("/") ? href : `${href}/`;
}
