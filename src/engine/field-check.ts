import { parse } from "@bufbuild/cel";
import type { Expr } from "@bufbuild/cel-spec/cel/expr/syntax_pb.js";
import {
  ACCOUNT_FIELDS,
  type Fields,
  type FieldType,
  KIND,
  RELATIONS,
  type Scope,
  viewFields,
} from "../model/index.js";
import { RANGE_FUNCTION } from "./cel-budget.js";

/**
 * Checks, when a pack loads, that every field a rule's CEL reads and every `evidence` entry exists in the data of
 * its scope (the model's kinds table): a misspelled field would otherwise make every finding unknown ("field not
 * found") instead of refusing the rule. Fields are followed through member access, constant-key indexing, list
 * elements and the variables of the comprehension macros (`exists`, `all`, `map`, `filter`, …); what a function
 * returns is not followed.
 */

/** `dyn`: a value whose shape is not followed (a function result, a literal, an accumulator). */
type Shape = FieldType | "dyn";

/** The variables a rule of the scope sees, with their shapes. */
export function scopeVariables(scope: Scope): Record<string, Shape> {
  if (scope === "account") return { account: { object: ACCOUNT_FIELDS } };
  const spec = KIND[scope];
  const variables: Record<string, Shape> = { [spec.binding]: { object: viewFields(spec) } };
  if (scope === "trail") {
    for (const relation of RELATIONS) {
      if (relation.from === "trail" && relation.bind) {
        variables[relation.name] = { object: viewFields(KIND[relation.to]) };
      }
    }
  }
  return variables;
}

/**
 * Problems with the field paths of one expression: `trail.isLoging is not a field of trail`. Give the expression
 * as compiled (its parsed form) where there is one, so that it is not parsed again.
 */
export function checkExpression(expression: string | Expr, scope: Scope): string[] {
  const problems: string[] = [];
  const walker = new Walker(problems);
  const expr = typeof expression === "string" ? parse(expression).expr : expression;
  walker.shape(expr, new Map(Object.entries(scopeVariables(scope))), []);
  return [...new Set(problems)];
}

/** Problems with evidence entries: each is a field path of the resource (`publicAccessBlock.blockPublicAcls`). */
export function checkEvidence(evidence: readonly string[], scope: Scope): string[] {
  if (scope === "account") {
    return evidence.length > 0
      ? ["account rules take no evidence: findings point at the account's anchor"]
      : [];
  }
  const fields = KIND[scope].fields;
  return evidence.flatMap((path) => {
    let shape: Shape = { object: fields };
    for (const written of path.split(".")) {
      // `statements[]`: the item of the list that decides a failing finding.
      const step = written.replace(/\[\]$/, "");
      shape = elementOf(shape);
      if (typeof shape !== "object" || !("object" in shape)) break;
      const next: FieldType | undefined = shape.object[step];
      if (next === undefined) return [`evidence ${path}: ${step} is not a field of the ${KIND[scope].title}`];
      if (step !== written && !(typeof next === "object" && "list" in next))
        return [`evidence ${path}: ${step} is not a list, so it has no items to name`];
      shape = next;
    }
    return [];
  });
}

function elementOf(shape: Shape): Shape {
  return typeof shape === "object" && "list" in shape ? elementOf(shape.list) : shape;
}

class Walker {
  constructor(private readonly problems: string[]) {}

  /** The shape of `expr`, reporting reads of fields that do not exist; `path` names the value for messages. */
  shape(expr: Expr | undefined, vars: Map<string, Shape>, path: string[]): Shape {
    if (!expr) return "dyn";
    const kind = expr.exprKind;
    switch (kind.case) {
      case "identExpr": {
        const shape = vars.get(kind.value.name);
        if (shape === undefined) {
          this.problems.push(`${kind.value.name} is not a variable of this scope`);
          return "dyn";
        }
        path.push(kind.value.name);
        return shape;
      }
      case "selectExpr": {
        const operandPath: string[] = [];
        const operand = this.shape(kind.value.operand, vars, operandPath);
        return this.member(operand, kind.value.field, operandPath, path);
      }
      case "callExpr": {
        const { function: fn, args, target } = kind.value;
        // The evaluation budget wraps comprehension ranges in a metering call: look through it.
        if (fn === RANGE_FUNCTION && args.length === 1 && !target) return this.shape(args[0], vars, path);
        if (fn === "_[_]" && args.length === 2) {
          const basePath: string[] = [];
          const base = this.shape(args[0], vars, basePath);
          const index = args[1];
          this.shape(index, vars, []);
          if (typeof base === "object" && "list" in base) return base.list;
          const key = index?.exprKind.case === "constExpr" ? index.exprKind.value.constantKind : undefined;
          if (key?.case === "stringValue") return this.member(base, key.value, basePath, path);
          return "dyn";
        }
        if (target) this.shape(target, vars, []);
        for (const arg of args) this.shape(arg, vars, []);
        return "dyn";
      }
      case "comprehensionExpr": {
        const c = kind.value;
        const range = this.shape(c.iterRange, vars, []);
        const inner = new Map(vars);
        const element = typeof range === "object" && "list" in range ? range.list : "dyn";
        inner.set(c.iterVar, typeof range === "object" && "object" in range ? "string" : element);
        if (c.iterVar2) inner.set(c.iterVar2, "dyn");
        inner.set(c.accuVar, "dyn");
        this.shape(c.accuInit, vars, []);
        this.shape(c.loopCondition, inner, []);
        this.shape(c.loopStep, inner, []);
        const result = new Map(vars);
        result.set(c.accuVar, "dyn");
        this.shape(c.result, result, []);
        return "dyn";
      }
      case "listExpr":
        for (const element of kind.value.elements) this.shape(element, vars, []);
        return "dyn";
      case "structExpr":
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === "mapKey") this.shape(entry.keyKind.value, vars, []);
          this.shape(entry.value, vars, []);
        }
        return "dyn";
      default:
        return "dyn";
    }
  }

  private member(operand: Shape, field: string, operandPath: string[], path: string[]): Shape {
    path.push(...operandPath, field);
    if (typeof operand !== "object" || !("object" in operand)) return "dyn";
    const next = operand.object[field];
    if (next === undefined) {
      const where = operandPath.length > 0 ? operandPath.join(".") : "the value";
      this.problems.push(
        `${[...operandPath, field].join(".")}: ${field} is not a field of ${where}${hint(field, operand.object)}`,
      );
      return "dyn";
    }
    return next;
  }
}

/** ` (did you mean isLogging?)` when a field of the object is one edit or transposition away. */
function hint(field: string, fields: Fields): string {
  const close = Object.keys(fields).find((name) => distance(name.toLowerCase(), field.toLowerCase()) <= 2);
  return close ? ` (did you mean ${close}?)` : "";
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}
