import type { parse } from "@bufbuild/cel";

type Expr = NonNullable<ReturnType<typeof parse>["expr"]>;

/**
 * Name of the identity function put around the variable a field path starts from (`bucket` of
 * `bucket.policy.statements`). Without it, CEL reads a dotted path as a name that may be qualified: each
 * evaluation first looks up `bucket.policy.statements`, then `bucket.policy`, as variables (and the whole path as a
 * type), before `bucket`. The variables of a rule never contain a dot, so only a path that may name a type of the registry keeps
 * CEL's own resolution. The function is not metered: a field access costs nothing either.
 */
export const ROOT_FUNCTION = "@trailguard.root";

/** Whether a dotted name is a type or an enum the evaluation could resolve it to. */
export type NamesType = (qualifiedName: string) => boolean;

/**
 * The expression with the root variable of every field path bound directly (see ROOT_FUNCTION). Unchanged parts
 * are shared with the input, which is left as it is.
 */
export function bindRoots(expr: Expr, namesType: NamesType): Expr {
  const kind = expr.exprKind;
  switch (kind.case) {
    case "selectExpr": {
      const select = kind.value;
      if (!select.operand) return expr;
      const path = pathOf(expr);
      if (path && !select.testOnly) {
        if (mayNameType(path.names, namesType)) return expr;
        return withOperand(expr, replaceRoot(select.operand, path.root));
      }
      const operand = bindRoots(select.operand, namesType);
      return operand === select.operand ? expr : withOperand(expr, operand);
    }
    case "callExpr": {
      const call = kind.value;
      const target = call.target && bindRoots(call.target, namesType);
      const args = mapShared(call.args, (a) => bindRoots(a, namesType));
      if (target === call.target && args === call.args) return expr;
      return { ...expr, exprKind: { case: "callExpr", value: { ...call, target, args } } } as Expr;
    }
    case "listExpr": {
      const list = kind.value;
      const elements = mapShared(list.elements, (e) => bindRoots(e, namesType));
      if (elements === list.elements) return expr;
      return { ...expr, exprKind: { case: "listExpr", value: { ...list, elements } } } as Expr;
    }
    case "structExpr": {
      const struct = kind.value;
      const entries = mapShared(struct.entries, (entry) => {
        const value = entry.value && bindRoots(entry.value, namesType);
        const key = entry.keyKind.case === "mapKey" ? bindRoots(entry.keyKind.value, namesType) : undefined;
        const keyChanged = entry.keyKind.case === "mapKey" && key !== entry.keyKind.value;
        if (value === entry.value && !keyChanged) return entry;
        return {
          ...entry,
          value,
          ...(keyChanged ? { keyKind: { case: "mapKey", value: key } } : {}),
        } as typeof entry;
      });
      if (entries === struct.entries) return expr;
      return { ...expr, exprKind: { case: "structExpr", value: { ...struct, entries } } } as Expr;
    }
    case "comprehensionExpr": {
      const c = kind.value;
      const parts = {
        iterRange: c.iterRange && bindRoots(c.iterRange, namesType),
        accuInit: c.accuInit && bindRoots(c.accuInit, namesType),
        loopCondition: c.loopCondition && bindRoots(c.loopCondition, namesType),
        loopStep: c.loopStep && bindRoots(c.loopStep, namesType),
        result: c.result && bindRoots(c.result, namesType),
      };
      const same = (Object.keys(parts) as (keyof typeof parts)[]).every((k) => parts[k] === c[k]);
      if (same) return expr;
      return { ...expr, exprKind: { case: "comprehensionExpr", value: { ...c, ...parts } } } as Expr;
    }
    default:
      return expr;
  }
}

/** `a.b.c` as the root identifier and the names along the path; undefined when the path does not start at one. */
function pathOf(expr: Expr): { root: Expr; names: string[] } | undefined {
  const names: string[] = [];
  let node = expr;
  while (node.exprKind.case === "selectExpr") {
    const select = node.exprKind.value;
    if (!select.operand || select.testOnly) return undefined;
    names.unshift(select.field);
    node = select.operand;
  }
  if (node.exprKind.case !== "identExpr") return undefined;
  names.unshift(node.exprKind.value.name);
  return { root: node, names };
}

/**
 * Whether a prefix of the path names a type (`a.b` of `a.b.c`, or `int` of `int.x`). A dotted function name
 * (`strings.quote`) is not at stake: its target is a bare identifier, never a path that is rewritten.
 */
function mayNameType(names: string[], namesType: NamesType): boolean {
  for (let i = 1; i <= names.length; i++) if (namesType(names.slice(0, i).join("."))) return true;
  return false;
}

/** A call of one of the functions trailguard inserts (never written by rules) around `arg`, under its id. */
export function insertedCall(fn: string, arg: Expr): Expr {
  return {
    $typeName: "cel.expr.Expr",
    id: arg.id,
    exprKind: { case: "callExpr", value: { $typeName: "cel.expr.Expr.Call", function: fn, args: [arg] } },
  } as Expr;
}

/** The select chain `expr` with its root identifier wrapped in the root function. */
function replaceRoot(expr: Expr, root: Expr): Expr {
  if (expr === root) return insertedCall(ROOT_FUNCTION, root);
  if (expr.exprKind.case !== "selectExpr" || !expr.exprKind.value.operand) return expr;
  return withOperand(expr, replaceRoot(expr.exprKind.value.operand, root));
}

function withOperand(expr: Expr, operand: Expr): Expr {
  if (expr.exprKind.case !== "selectExpr") return expr;
  return { ...expr, exprKind: { case: "selectExpr", value: { ...expr.exprKind.value, operand } } } as Expr;
}

/** `items.map(f)`, or `items` itself when `f` changed none of them. */
function mapShared<T>(items: T[], f: (item: T) => T): T[] {
  let out: T[] | undefined;
  items.forEach((item, i) => {
    const mapped = f(item);
    if (mapped !== item) {
      out ??= items.slice();
      out[i] = mapped;
    }
  });
  return out ?? items;
}
