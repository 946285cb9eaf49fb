import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ErrorObject } from "ajv";
import { type Document, isMap, isSeq, LineCounter, parseDocument, visit } from "yaml";
import type { ControlRef, InputError, InputErrorCode, Rule, Scope, Severity } from "../model/index.js";
import { append } from "../model/index.js";
import { type CompiledExpression, compile } from "./cel.js";
import { checkEvidence, checkExpression } from "./field-check.js";
import { validateFramework, validatePack } from "./generated/schema-validators.js";
import { readPrecompiled } from "./precompiled.js";

/** A rule with its CEL compiled. */
export interface LoadedRule extends Rule {
  whenExpr?: CompiledExpression;
  assertExpr: CompiledExpression;
  /** Finding messages computed from the data, where the pack gives them (docs/rules.md). */
  messageExprs?: { pass?: CompiledExpression; fail?: CompiledExpression };
  /** The rule's example inputs (policies/schema/pack.schema.json), run by the test suite. */
  examples?: RuleExamples;
  /** Where the rule is declared (pack file), for errors. */
  declaredAt: { file: string; line: number };
}

export interface FrameworkControl {
  id: string;
  title: string;
  /** The group the control is counted in (reports chart per family). */
  family: string;
  /** The rules that evidence the control; empty when none does. */
  rules: string[];
  /** Whether passing rules decide the whole control or only part of it; set whenever `rules` is not empty. */
  coverage?: "fully" | "partly";
  /** A person must decide (the benchmark says manual, or no configuration check can). */
  manual: boolean;
}

export interface Framework {
  id: string;
  title: string;
  version?: string;
  url?: string;
  controls: FrameworkControl[];
}

/** A rule pack as loaded, for the record of what judged a scan. */
export interface LoadedPack {
  id: string;
  title: string;
  version?: string;
  file: string;
}

export interface LoadedPolicies {
  rules: LoadedRule[];
  packs: LoadedPack[];
  frameworks: Framework[];
  errors: InputError[];
}

/** Per IaC source, inputs on which the rule passes and fails, or why it cannot be decided from that source. */
export interface RuleExamples {
  cloudformation: SourceExamples;
  terraform: SourceExamples;
}

export type SourceExamples = { pass: string | string[]; fail: string | string[] } | { notApplicable: string };

interface RawRule {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  scope: Scope;
  when?: string;
  assert: string;
  message?: { pass?: string; fail?: string };
  evidence?: string[];
  remediation: string;
  controls?: string[];
  helpUri?: string;
  examples?: RuleExamples;
}

interface RawPack {
  pack: { id: string; title: string; version?: string };
  rules: RawRule[];
}

/**
 * Loads the built-in packs and frameworks from `policiesDir`, plus extra pack files. Every problem (YAML syntax,
 * schema violation, CEL syntax, duplicate rule id, unknown rule in a framework) is returned with file and line; a
 * broken rule is left out, the others load. The built-in policies come from their precompiled form when the build
 * left one made from the same files (precompiled.ts); extra packs are always read and checked in full.
 */
export function loadPolicies(
  policiesDir: string,
  extraPacks: string[] = [],
  cwd = process.cwd(),
  options: { precompiled?: boolean } = {},
): LoadedPolicies {
  const errors: InputError[] = [];
  const rules: LoadedRule[] = [];
  const seen = new Map<string, LoadedRule>();
  const packs: LoadedPack[] = [];
  const add = (rule: LoadedRule) => {
    const previous = seen.get(rule.id);
    if (previous) {
      errors.push({
        file: rule.declaredAt.file,
        line: rule.declaredAt.line,
        code: "pack-duplicate-rule",
        message: `rule ${rule.id} is already defined in ${previous.declaredAt.file}:${previous.declaredAt.line}`,
        severity: "error",
      });
      return;
    }
    seen.set(rule.id, rule);
    rules.push(rule);
  };
  const precompiled = options.precompiled === false ? undefined : readPrecompiled(policiesDir, cwd);
  if (precompiled) {
    append(packs, precompiled.packs);
    for (const rule of precompiled.rules) add(rule);
  }
  const packFiles = [...(precompiled ? [] : yamlFilesIn(join(policiesDir, "packs"))), ...extraPacks];
  for (const file of packFiles) {
    const shown = relative(cwd, file) || file;
    for (const rule of loadPackFile(file, shown, errors, packs)) add(rule);
  }
  const frameworks = precompiled
    ? precompiled.frameworks
    : loadFrameworks(yamlFilesIn(join(policiesDir, "frameworks")), seen, cwd, errors);
  attachControls(rules, frameworks, errors);
  return { rules, packs, frameworks, errors };
}

function loadFrameworks(
  files: string[],
  rules: ReadonlyMap<string, LoadedRule>,
  cwd: string,
  errors: InputError[],
): Framework[] {
  const frameworks: Framework[] = [];
  for (const file of files) {
    const shown = relative(cwd, file) || file;
    const parsed = parseYamlFile(file, shown, errors);
    if (!parsed) continue;
    const validate = validateFramework;
    if (!validate(parsed.value)) {
      append(errors, schemaErrors(validate.errors, parsed.doc, parsed.lines, shown));
      continue;
    }
    const raw = parsed.value as { framework: Omit<Framework, "controls">; controls: RawControl[] };
    const controls = raw.controls.map((control, index): FrameworkControl => {
      const at = (...path: (string | number)[]) =>
        lineOf(parsed.doc, parsed.lines, ["controls", index, ...path]);
      control.rules.forEach((ruleId, i) => {
        if (!rules.has(ruleId)) {
          errors.push({
            file: shown,
            line: at("rules", i),
            code: "framework-reference",
            message: `control ${control.id} maps unknown rule ${ruleId}`,
            severity: "warning",
          });
        }
      });
      if (control.rules.length > 0 && control.coverage === undefined) {
        errors.push({
          file: shown,
          line: at(),
          code: "pack-invalid",
          message: `control ${control.id} names rules but not their coverage (fully or partly)`,
          severity: "error",
        });
      }
      return {
        id: control.id,
        title: control.title,
        family: control.family ?? defaultFamily(control.id),
        rules: control.rules,
        coverage: control.rules.length > 0 ? (control.coverage ?? "partly") : undefined,
        manual: control.manual === true,
      };
    });
    frameworks.push({ ...raw.framework, controls });
  }
  return frameworks;
}

interface RawControl {
  id: string;
  title: string;
  family?: string;
  rules: string[];
  coverage?: "fully" | "partly";
  manual?: boolean;
}

/** `3.10` → `3`, `AU-6(1)` → `AU`, `CloudTrail.5` → `CloudTrail`, `CC7.2` → `CC7`: the id up to its first `.` or `-`. */
export function defaultFamily(controlId: string): string {
  return /^[^.-]+/.exec(controlId)?.[0] ?? controlId;
}

function yamlFilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** A YAML file's document (for lines) and value; problems go to `errors` under `code`. Shared with the config. */
export function parseYamlFile(
  file: string,
  shown: string,
  errors: InputError[],
  code: InputErrorCode = "pack-invalid",
) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    errors.push({
      code: "file-unreadable",
      file: shown,
      message: `cannot read: ${(error as Error).message}`,
      severity: "error",
    });
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const pos = lines.linePos(e.pos[0]);
      errors.push({
        code,
        file: shown,
        line: pos.line,
        column: pos.col,
        message: e.message,
        severity: "error",
      });
    }
    return undefined;
  }
  try {
    return { doc, lines, value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown };
  } catch (error) {
    // The yaml library refuses documents whose aliases expand beyond the count (an alias bomb).
    errors.push({
      code: "pack-invalid",
      file: shown,
      line: firstAliasLine(doc, lines),
      message: `cannot be read: ${(error as Error).message}`,
      severity: "error",
    });
    return undefined;
  }
}

/** Aliases a pack or framework may expand; real files use none or a few, an alias bomb needs far more. */
const MAX_ALIAS_COUNT = 100;

function firstAliasLine(doc: Document, lines: LineCounter): number {
  let line = 1;
  visit(doc, {
    Alias(_key, node) {
      if (node.range) line = lines.linePos(node.range[0]).line;
      return visit.BREAK;
    },
  });
  return line;
}

function loadPackFile(file: string, shown: string, errors: InputError[], packs: LoadedPack[]): LoadedRule[] {
  const parsed = parseYamlFile(file, shown, errors);
  if (!parsed) return [];
  const validate = validatePack;
  if (!validate(parsed.value)) {
    append(errors, schemaErrors(validate.errors, parsed.doc, parsed.lines, shown));
    return [];
  }
  const pack = parsed.value as RawPack;
  packs.push({ id: pack.pack.id, title: pack.pack.title, version: pack.pack.version, file: shown });
  const out: LoadedRule[] = [];
  pack.rules.forEach((raw, index) => {
    const line = lineOf(parsed.doc, parsed.lines, ["rules", index]);
    const compileField = (path: string[], source: string, expected: "bool" | "string") => {
      const field = path.join(".");
      const refuse = (why: string) => {
        errors.push({
          file: shown,
          line: lineOf(parsed.doc, parsed.lines, ["rules", index, ...path]),
          code: "pack-invalid",
          message: `rule ${raw.id}: ${field} ${why}`,
          severity: "error",
        });
        return undefined;
      };
      let compiled: CompiledExpression;
      try {
        compiled = compile(source);
      } catch (error) {
        return refuse(`is not valid CEL: ${(error as Error).message}`);
      }
      if (compiled.resultType && compiled.resultType !== expected)
        return refuse(
          `always returns a${/^[aeiou]/.test(compiled.resultType) ? "n" : ""} ${compiled.resultType}, not a ${expected}`,
        );
      return compiled;
    };
    const assertExpr = compileField(["assert"], raw.assert, "bool");
    const whenExpr = raw.when ? compileField(["when"], raw.when, "bool") : undefined;
    const messageExprs: LoadedRule["messageExprs"] = {};
    let messagesOk = true;
    for (const verdict of ["pass", "fail"] as const) {
      const source = raw.message?.[verdict];
      if (source === undefined) continue;
      const compiled = compileField(["message", verdict], source, "string");
      if (compiled) messageExprs[verdict] = compiled;
      else messagesOk = false;
    }
    if (!assertExpr || (raw.when && !whenExpr) || !messagesOk) return;
    if (
      !fieldsExist(
        raw,
        { assert: assertExpr, when: whenExpr, messages: Object.values(messageExprs) },
        (field) => lineOf(parsed.doc, parsed.lines, ["rules", index, field]),
        shown,
        errors,
      )
    ) {
      return;
    }
    out.push({
      id: raw.id,
      title: raw.title.trim(),
      description: raw.description.trim(),
      severity: raw.severity,
      scope: raw.scope,
      when: raw.when,
      assert: raw.assert,
      evidence: raw.evidence ?? [],
      remediation: raw.remediation.trim(),
      controls: (raw.controls ?? []).map(parseControlRef),
      helpUri: raw.helpUri,
      pack: pack.pack.id,
      whenExpr,
      assertExpr,
      ...(raw.message ? { messageExprs } : {}),
      ...(raw.examples ? { examples: raw.examples } : {}),
      declaredAt: { file: shown, line },
    });
  });
  return out;
}

function parseControlRef(ref: string): ControlRef {
  const at = ref.indexOf(":");
  return { framework: ref.slice(0, at), control: ref.slice(at + 1), ref };
}

/** A rule reading a field its scope does not have is refused, each wrong path reported at its line. */
function fieldsExist(
  raw: RawRule,
  compiled: { assert: CompiledExpression; when?: CompiledExpression; messages: CompiledExpression[] },
  lineOfField: (field: "when" | "assert" | "message" | "evidence") => number,
  shown: string,
  errors: InputError[],
): boolean {
  const problems: [field: "when" | "assert" | "message" | "evidence", message: string][] = [
    ...checkExpression(compiled.assert.ast, raw.scope).map((m) => ["assert", m] as ["assert", string]),
    ...(compiled.when ? checkExpression(compiled.when.ast, raw.scope) : []).map(
      (m) => ["when", m] as ["when", string],
    ),
    ...compiled.messages
      .flatMap((expression) => checkExpression(expression.ast, raw.scope))
      .map((m) => ["message", m] as ["message", string]),
    ...checkEvidence(raw.evidence ?? [], raw.scope).map((m) => ["evidence", m] as ["evidence", string]),
  ];
  for (const [field, message] of problems) {
    errors.push({
      code: "pack-unknown-field",
      file: shown,
      line: lineOfField(field),
      message: `rule ${raw.id}: ${field}: ${message}; the rule is not loaded`,
      severity: "error",
    });
  }
  return problems.length === 0;
}

/** Adds framework controls to the rules they map, and titles to the refs packs wrote themselves. */
function attachControls(rules: LoadedRule[], frameworks: Framework[], errors: InputError[]): void {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const titles = new Map<string, { title: string; frameworkTitle: string }>();
  for (const framework of frameworks) {
    for (const control of framework.controls) {
      const ref = `${framework.id}:${control.id}`;
      titles.set(ref, { title: control.title, frameworkTitle: framework.title });
      for (const ruleId of control.rules) {
        const rule = byId.get(ruleId);
        if (rule && !rule.controls.some((c) => c.ref === ref)) rule.controls.push(parseControlRef(ref));
      }
    }
  }
  const frameworkIds = new Set(frameworks.map((f) => f.id));
  for (const rule of rules) {
    for (const control of rule.controls) {
      const known = titles.get(control.ref);
      if (known) Object.assign(control, known);
      else if (frameworkIds.has(control.framework)) {
        errors.push({
          file: rule.declaredAt.file,
          line: rule.declaredAt.line,
          code: "framework-reference",
          message: `rule ${rule.id} references ${control.ref}, which framework ${control.framework} does not define`,
          severity: "warning",
        });
      }
    }
  }
}

export function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number {
  let node: unknown = doc.contents;
  let found: unknown = node;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown })?.value === key);
      found = pair?.key ?? found;
      node = pair?.value;
    } else if (isSeq(node) && typeof key === "number") {
      node = node.items[key];
      found = node ?? found;
    } else break;
  }
  const range = (found as { range?: [number, number, number] } | undefined)?.range;
  return range ? lines.linePos(range[0]).line : 1;
}

/** ajv errors as input errors at the line of the offending node; `code` may depend on the error. */
export function schemaErrors(
  list: ErrorObject[] | null | undefined,
  doc: Document,
  lines: LineCounter,
  file: string,
  code: InputErrorCode | ((error: ErrorObject) => InputErrorCode) = "pack-invalid",
): InputError[] {
  return (list ?? []).map((e) => {
    const path = e.instancePath
      .split("/")
      .slice(1)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p.replace(/~1/g, "/").replace(/~0/g, "~")));
    const detail = e.keyword === "additionalProperties" ? ` (${String(e.params.additionalProperty)})` : "";
    return {
      file,
      line: lineOf(doc, lines, path),
      code: typeof code === "function" ? code(e) : code,
      message: `${e.instancePath || "/"} ${e.message ?? "is invalid"}${detail}`,
      severity: "error" as const,
    };
  });
}
