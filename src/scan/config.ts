import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { ErrorObject } from "ajv";
import { validateConfig } from "../engine/generated/schema-validators.js";
import { lineOf, parseYamlFile, schemaErrors } from "../engine/packs.js";
import type { InputError, InputErrorCode, Severity } from "../model/index.js";
import { append } from "../model/index.js";
import type { Format } from "../report/index.js";
import { toPosix } from "./collect.js";

/** Names looked for, in this order, in each folder from the scan root up. */
export const CONFIG_FILES = [".trailguard.yml", ".trailguard.yaml"] as const;

/** An accepted finding (or family of findings), as declared in the config file. */
export interface Waiver {
  /** Rule id or glob. */
  rule: string;
  /** ARN, logical id, Terraform address, reported address, name, or a glob of one. */
  resource: string;
  /** Account id or glob (for infrastructure code: the scanned path); any when absent. */
  account?: string;
  reason: string;
  /** `YYYY-MM-DD`, the last day it applies; absent only when permanent. */
  expires?: string;
  permanent: boolean;
  approvedBy?: string;
  /** The waiver's entry in the config file (its absolute path: reports show it relative to the scan root). */
  location: { file: string; line: number; column: number };
}

export interface OutputTarget {
  format: Format;
  file?: string;
}

/** Everything that decides a scan and its verdict, whichever front end runs it. */
export interface ScanSettings {
  packs: string[];
  rules: string[];
  skipRules: string[];
  /** Rule id or glob → severity. */
  severity: Record<string, Severity>;
  /** Frameworks to report on, by id. */
  frameworks: string[];
  failOn: Severity | "none";
  failOnUnknown: boolean;
  scope: "resource" | "account";
  output: OutputTarget[];
  baseline?: string;
  inlineSuppressions: boolean;
  waivers: Waiver[];
}

export const DEFAULT_SETTINGS: Omit<ScanSettings, "waivers"> = {
  packs: [],
  rules: [],
  skipRules: [],
  severity: {},
  frameworks: [],
  failOn: "low",
  failOnUnknown: true,
  scope: "resource",
  output: [],
  inlineSuppressions: true,
};

/** The config file as loaded: paths made absolute (relative to the file's folder), invalid parts left out. */
export interface ProjectConfig extends Partial<Omit<ScanSettings, "waivers">> {
  /** The file, as shown in messages (relative to the working directory when inside it). */
  file: string;
  waivers: Waiver[];
}

export interface LoadedConfig {
  config?: ProjectConfig;
  errors: InputError[];
}

/**
 * The config file for a scan: `explicit` when given (`--config`), else the first `.trailguard.yml` found in the
 * start folder or above it. The walk stops at the top of the repository (a folder holding `.git`), so a checkout's
 * scan never picks up an unrelated file from outside it.
 */
export function findConfig(start: string): string | undefined {
  let dir = resolve(start);
  if (existsSync(dir) && !statSync(dir).isDirectory()) dir = dirname(dir);
  for (;;) {
    for (const name of CONFIG_FILES) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir || existsSync(join(dir, ".git"))) return undefined;
    dir = parent;
  }
}

interface RawWaiver {
  rule: string;
  resource: string;
  account?: string;
  reason: string;
  expires?: string;
  permanent?: boolean;
  "approved-by"?: string;
}

interface RawConfig {
  version?: 1;
  packs?: string[];
  rules?: string[];
  "skip-rules"?: string[];
  severity?: Record<string, Severity>;
  frameworks?: string[];
  "fail-on"?: Severity | "none";
  "fail-on-unknown"?: boolean;
  scope?: "resource" | "account";
  output?: { format: Format; file?: string }[];
  baseline?: string;
  "inline-suppressions"?: boolean;
  waivers?: RawWaiver[];
}

/**
 * Reads and validates a config file. A problem is reported with its line and only the part it concerns is left
 * out: a key with a wrong value, or one waiver (code `waiver-invalid`). Every problem is an error (exit 2): a
 * config that does not say what its author meant must not pass quietly.
 */
export function loadConfig(file: string, cwd = process.cwd()): LoadedConfig {
  const absolute = resolve(cwd, file);
  const shown = shownPath(absolute, cwd);
  const errors: InputError[] = [];
  const parsed = parseYamlFile(absolute, shown, errors, "config-invalid");
  if (!parsed) return { errors };
  // An empty file is an empty config.
  const value = parsed.value ?? {};
  if (!validateConfig(value)) {
    const problems = oneErrorPerAlternative(validateConfig.errors ?? []);
    append(errors, schemaErrors(problems.map(explained), parsed.doc, parsed.lines, shown, codeOf));
    if (typeof value !== "object" || Array.isArray(value)) return { errors };
    dropInvalid(value as Record<string, unknown>, problems);
  }
  const raw = value as RawConfig;
  const base = dirname(absolute);
  const path = (p: string) => resolve(base, p);
  const waivers = (raw.waivers ?? []).flatMap((w, index): Waiver[] => {
    if (w === undefined) return [];
    const line = lineOf(parsed.doc, parsed.lines, ["waivers", index]);
    return [
      {
        rule: w.rule,
        resource: w.resource,
        ...(w.account !== undefined ? { account: w.account } : {}),
        reason: w.reason.trim(),
        ...(w.expires !== undefined ? { expires: w.expires } : {}),
        permanent: w.permanent === true,
        ...(w["approved-by"] !== undefined ? { approvedBy: w["approved-by"] } : {}),
        location: { file: absolute, line, column: 1 },
      },
    ];
  });
  const config: ProjectConfig = { file: shown, waivers };
  if (raw.packs) config.packs = raw.packs.map(path);
  if (raw.rules) config.rules = raw.rules;
  if (raw["skip-rules"]) config.skipRules = raw["skip-rules"];
  if (raw.severity) config.severity = raw.severity;
  if (raw.frameworks) config.frameworks = raw.frameworks;
  if (raw["fail-on"] !== undefined) config.failOn = raw["fail-on"];
  if (raw["fail-on-unknown"] !== undefined) config.failOnUnknown = raw["fail-on-unknown"];
  if (raw.scope !== undefined) config.scope = raw.scope;
  if (raw.output) {
    config.output = raw.output.map((o) =>
      o.file ? { format: o.format, file: path(o.file) } : { format: o.format },
    );
  }
  if (raw.baseline !== undefined) config.baseline = path(raw.baseline);
  if (raw["inline-suppressions"] !== undefined) config.inlineSuppressions = raw["inline-suppressions"];
  return { config, errors };
}

/** The explicit config, or the one found from `start`; none found is no error. */
export function resolveConfig(
  explicit: string | undefined,
  start: string,
  cwd = process.cwd(),
): LoadedConfig {
  if (explicit !== undefined) {
    const absolute = resolve(cwd, explicit);
    if (!existsSync(absolute)) {
      return {
        errors: [
          {
            code: "config-invalid",
            file: shownPath(absolute, cwd),
            message: "config file not found (--config)",
            severity: "error",
          },
        ],
      };
    }
    return loadConfig(absolute, cwd);
  }
  const found = findConfig(resolve(cwd, start));
  return found ? loadConfig(found, cwd) : { errors: [] };
}

/** Settings for a scan: what the front end was given explicitly, else the config file's, else the defaults. */
export function settingsOf(given: Partial<ScanSettings>, config: ProjectConfig | undefined): ScanSettings {
  const pick = <K extends keyof typeof DEFAULT_SETTINGS>(key: K): ScanSettings[K] => {
    const explicit = given[key];
    const isSet = Array.isArray(explicit) ? explicit.length > 0 : explicit !== undefined;
    return (isSet ? explicit : (config?.[key] ?? DEFAULT_SETTINGS[key])) as ScanSettings[K];
  };
  const baseline = given.baseline ?? config?.baseline;
  return {
    packs: pick("packs"),
    rules: pick("rules"),
    skipRules: pick("skipRules"),
    severity: pick("severity"),
    frameworks: pick("frameworks"),
    failOn: pick("failOn"),
    failOnUnknown: pick("failOnUnknown"),
    scope: pick("scope"),
    output: pick("output"),
    ...(baseline !== undefined ? { baseline } : {}),
    inlineSuppressions: pick("inlineSuppressions"),
    waivers: [...(config?.waivers ?? []), ...(given.waivers ?? [])],
  };
}

function shownPath(absolute: string, cwd: string): string {
  const rel = relative(cwd, absolute);
  return rel.startsWith("..") ? toPosix(absolute) : toPosix(rel);
}

function topKey(error: ErrorObject): string | undefined {
  return error.instancePath.split("/")[1];
}

function codeOf(error: ErrorObject): InputErrorCode {
  return topKey(error) === "waivers" && error.instancePath.split("/").length > 2
    ? "waiver-invalid"
    : "config-invalid";
}

/**
 * ajv adds an `if` error beside the one of the branch that failed, which names nothing new; and for `anyOf` one
 * error per alternative plus one for the whole. One error is kept for an `anyOf`, listing the allowed values.
 */
function oneErrorPerAlternative(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === "anyOf");
  // An alternative given by `$ref` has its schema path elsewhere: the value's path tells them apart.
  const inside = (e: ErrorObject, any: ErrorObject) => e !== any && e.instancePath === any.instancePath;
  return errors.flatMap((e) => {
    if (e.keyword === "if" || alternatives.some((any) => inside(e, any))) return [];
    if (e.keyword !== "anyOf") return [e];
    const allowed = errors
      .filter((other) => inside(other, e))
      .flatMap((other) => other.params.allowedValues ?? [other.params.allowedValue])
      .filter((v) => v !== undefined);
    return [{ ...e, message: allowed.length > 0 ? `must be one of ${allowed.join(", ")}` : e.message }];
  });
}

/** ajv's wording for the cases a person meets most, said plainly. */
function explained(error: ErrorObject): ErrorObject {
  const path = error.instancePath;
  const field = path.split("/").at(-1);
  if (/^\/waivers\/\d+$/.test(path)) {
    if (error.keyword === "required" && error.params.missingProperty === "reason") {
      return { ...error, message: "waiver has no reason: say why the finding is accepted, in a sentence" };
    }
    if (error.keyword === "required" && error.params.missingProperty === "expires") {
      return { ...error, message: "waiver has no expiry: give `expires: YYYY-MM-DD`, or `permanent: true`" };
    }
  }
  if (/^\/waivers\/\d+\/reason$/.test(path) && error.keyword === "pattern") {
    return { ...error, message: "waiver reason must be at least a sentence (three words or more)" };
  }
  if (/^\/waivers\/\d+\/expires$/.test(path) && error.keyword === "false schema") {
    return { ...error, message: "a permanent waiver has no expiry: drop `expires` or `permanent`" };
  }
  if (/^\/waivers\/\d+\/expires$/.test(path) && error.keyword === "format") {
    return { ...error, message: "expires must be a date, YYYY-MM-DD" };
  }
  if (field === "account" && error.keyword === "type") {
    return { ...error, message: "account must be a string: quote account ids ('012345678901')" };
  }
  return error;
}

/** Leaves out what a schema error concerns: the waiver, or the top-level key. ajv's `if` errors name nothing new. */
function dropInvalid(value: Record<string, unknown>, errors: ErrorObject[]): void {
  const badWaivers = new Set<number>();
  for (const error of errors) {
    const [, key, index] = error.instancePath.split("/");
    if (key === "waivers" && index !== undefined) badWaivers.add(Number(index));
    else if (key !== undefined && key !== "") delete value[key];
  }
  if (Array.isArray(value.waivers) && badWaivers.size > 0) {
    value.waivers = value.waivers.map((w, i) => (badWaivers.has(i) ? undefined : w));
  }
}
