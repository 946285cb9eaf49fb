import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The installed package's top folder: two levels up from `src/scan/`, one from the bundled `dist/`. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, "policies", "schema", "pack.schema.json"))) return dir;
    dir = dirname(dir);
  }
  throw new Error("trailguard's policies/ folder was not found beside the program");
}

export function builtInPoliciesDir(): string {
  return join(packageRoot(), "policies");
}

declare const __TRAILGUARD_VERSION__: string | undefined;

/** The CLI's version option: commander's flags, and the words the program's entry answers before loading the CLI. */
export const VERSION_OPTION = { flags: "-v, --version", words: ["-v", "--version"] } as const;

/** Set at build time in the bundle; read from package.json when running from source. */
export function version(): string {
  if (typeof __TRAILGUARD_VERSION__ === "string") return __TRAILGUARD_VERSION__;
  const pkg = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string };
  return pkg.version;
}
