import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ErrorObject } from "ajv";
import { type Document, isMap, isSeq, LineCounter, parseDocument } from "yaml";
import type { ControlRef, InputError, Rule, Scope, Severity } from "../model/index.js";
import { type CompiledExpression, compile } from "./cel.js";
import { checkEvidence, checkExpression } from "./field-check.js";
import { validateFramework, validatePack } from "./generated/schema-validators.js";

/** A rule with its CEL compiled. */
export interface LoadedRule extends Rule {
  whenExpr?: CompiledExpression;
  assertExpr: CompiledExpression;
  /** Evaluated when the rule fails: a string added to the fail message. */
  explainExpr?: CompiledExpression;
  /** Where the rule is declared (pack file), for errors. */
  declaredAt: { file: string; line: number };
}

export interface Framework {
  id: string;
  title: string;
  version?: string;
  url?: string;
  controls: { id: string; title: string; rules: string[] }[];
}

export interface LoadedPolicies {
  rules: LoadedRule[];
  frameworks: Framework[];
  errors: InputError[];
}

interface RawRule {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  scope: Scope;
  when?: string;
  assert: string;
  explain?: string;
  evidence?: string[];
  remediation: string;
  controls?: string[];
  helpUri?: string;
}

interface RawPack {
  pack: { id: string; title: string };
  rules: RawRule[];
}

/**
 * Loads the built-in packs and frameworks from `policiesDir`, plus extra pack files. Every problem (YAML syntax,
 * schema violation, CEL syntax, duplicate rule id, unknown rule in a framework) is returned with file and line; a
 * broken rule is left out, the others load.
 */
export function loadPolicies(
  policiesDir: string,
  extraPacks: string[] = [],
  cwd = process.cwd(),
): LoadedPolicies {
  const errors: InputError[] = [];
  const rules: LoadedRule[] = [];
  const seen = new Map<string, LoadedRule>();
  const packFiles = [...yamlFilesIn(join(policiesDir, "packs")), ...extraPacks];
  for (const file of packFiles) {
    const shown = relative(cwd, file) || file;
    for (const rule of loadPackFile(file, shown, errors)) {
      const previous = seen.get(rule.id);
      if (previous) {
        errors.push({
          file: shown,
          line: rule.declaredAt.line,
          code: "pack-duplicate-rule",
          message: `rule ${rule.id} is already defined in ${previous.declaredAt.file}:${previous.declaredAt.line}`,
          severity: "error",
        });
        continue;
      }
      seen.set(rule.id, rule);
      rules.push(rule);
    }
  }

  const frameworks: Framework[] = [];
  for (const file of yamlFilesIn(join(policiesDir, "frameworks"))) {
    const shown = relative(cwd, file) || file;
    const parsed = parseYamlFile(file, shown, errors);
    if (!parsed) continue;
    const validate = validateFramework;
    if (!validate(parsed.value)) {
      errors.push(...schemaErrors(validate.errors, parsed.doc, parsed.lines, shown));
      continue;
    }
    const raw = parsed.value as { framework: Omit<Framework, "controls">; controls: Framework["controls"] };
    const framework: Framework = { ...raw.framework, controls: raw.controls };
    for (const control of framework.controls) {
      for (const ruleId of control.rules) {
        if (!seen.has(ruleId)) {
          errors.push({
            file: shown,
            code: "framework-reference",
            message: `control ${control.id} maps unknown rule ${ruleId}`,
            severity: "warning",
          });
        }
      }
    }
    frameworks.push(framework);
  }
  attachControls(rules, frameworks, errors);
  return { rules, frameworks, errors };
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

function parseYamlFile(file: string, shown: string, errors: InputError[]) {
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
        code: "pack-invalid",
        file: shown,
        line: pos.line,
        column: pos.col,
        message: e.message,
        severity: "error",
      });
    }
    return undefined;
  }
  return { doc, lines, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

function loadPackFile(file: string, shown: string, errors: InputError[]): LoadedRule[] {
  const parsed = parseYamlFile(file, shown, errors);
  if (!parsed) return [];
  const validate = validatePack;
  if (!validate(parsed.value)) {
    errors.push(...schemaErrors(validate.errors, parsed.doc, parsed.lines, shown));
    return [];
  }
  const pack = parsed.value as RawPack;
  const out: LoadedRule[] = [];
  pack.rules.forEach((raw, index) => {
    const line = lineOf(parsed.doc, parsed.lines, ["rules", index]);
    const compileField = (field: "when" | "assert" | "explain", source: string) => {
      try {
        return compile(source);
      } catch (error) {
        errors.push({
          file: shown,
          line: lineOf(parsed.doc, parsed.lines, ["rules", index, field]),
          code: "pack-invalid",
          message: `rule ${raw.id}: ${field} is not valid CEL: ${(error as Error).message}`,
          severity: "error",
        });
        return undefined;
      }
    };
    const assertExpr = compileField("assert", raw.assert);
    const whenExpr = raw.when ? compileField("when", raw.when) : undefined;
    const explainExpr = raw.explain ? compileField("explain", raw.explain) : undefined;
    if (!assertExpr || (raw.when && !whenExpr) || (raw.explain && !explainExpr)) return;
    if (
      !fieldsExist(raw, (field) => lineOf(parsed.doc, parsed.lines, ["rules", index, field]), shown, errors)
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
      ...(raw.explain ? { explain: raw.explain } : {}),
      evidence: raw.evidence ?? [],
      remediation: raw.remediation.trim(),
      controls: (raw.controls ?? []).map(parseControlRef),
      helpUri: raw.helpUri,
      pack: pack.pack.id,
      whenExpr,
      assertExpr,
      ...(explainExpr ? { explainExpr } : {}),
      declaredAt: { file: shown, line },
    });
  });
  return out;
}

function parseControlRef(ref: string): ControlRef {
  const at = ref.indexOf(":");
  return { framework: ref.slice(0, at), control: ref.slice(at + 1), ref };
}

/** Adds framework controls to the rules they map, and titles to the refs packs wrote themselves. */
/** A rule reading a field its scope does not have is refused, each wrong path reported at its line. */
function fieldsExist(
  raw: RawRule,
  lineOfField: (field: "when" | "assert" | "explain" | "evidence") => number,
  shown: string,
  errors: InputError[],
): boolean {
  const problems: [field: "when" | "assert" | "explain" | "evidence", message: string][] = [
    ...checkExpression(raw.assert, raw.scope).map((m) => ["assert", m] as ["assert", string]),
    ...(raw.when ? checkExpression(raw.when, raw.scope) : []).map((m) => ["when", m] as ["when", string]),
    ...(raw.explain ? checkExpression(raw.explain, raw.scope) : []).map(
      (m) => ["explain", m] as ["explain", string],
    ),
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

function lineOf(doc: Document, lines: LineCounter, path: (string | number)[]): number {
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

function schemaErrors(
  list: ErrorObject[] | null | undefined,
  doc: Document,
  lines: LineCounter,
  file: string,
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
      code: "pack-invalid" as const,
      message: `${e.instancePath || "/"} ${e.message ?? "is invalid"}${detail}`,
      severity: "error" as const,
    };
  });
}
