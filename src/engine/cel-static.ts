import type { parse } from "@bufbuild/cel";

type Expr = NonNullable<ReturnType<typeof parse>["expr"]>;

/**
 * The CEL type an expression evaluates to when that is clear from its shape alone (a literal, an operator or a
 * function with a fixed result type, a macro), else undefined: what fields hold is only known at evaluation. Lets a
 * pack whose `assert` cannot return a boolean be refused when it is loaded instead of failing on every resource.
 */
export function staticType(
  expr: Expr | undefined,
  locals: ReadonlyMap<string, string> = new Map(),
): string | undefined {
  if (!expr) return undefined;
  const kind = expr.exprKind;
  switch (kind.case) {
    case "constExpr":
      return CONSTANT_TYPES[kind.value.constantKind.case ?? ""];
    case "listExpr":
      return "list";
    case "structExpr":
      return kind.value.messageName === "" ? "map" : undefined;
    case "identExpr":
      return locals.get(kind.value.name);
    case "comprehensionExpr": {
      // Macros keep their state in an accumulator: `exists` starts from false, `map` from [], `exists_one` from 0.
      const c = kind.value;
      const accumulator = staticType(c.accuInit, locals);
      const inner = new Map(locals);
      if (accumulator) inner.set(c.accuVar, accumulator);
      else inner.delete(c.accuVar);
      inner.delete(c.iterVar);
      return staticType(c.result, inner);
    }
    case "callExpr": {
      const { function: name, args } = kind.value;
      const fixed = RESULT_TYPES[name];
      if (fixed) return fixed;
      if (name === "_?_:_") {
        const [a, b] = [staticType(args[1], locals), staticType(args[2], locals)];
        return a === b ? a : undefined;
      }
      if (ARITHMETIC.has(name)) {
        const types = args.map((arg) => staticType(arg, locals));
        return types.every((t) => t !== undefined && t === types[0]) ? types[0] : undefined;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

const CONSTANT_TYPES: Record<string, string> = {
  boolValue: "bool",
  int64Value: "int",
  uint64Value: "uint",
  doubleValue: "double",
  stringValue: "string",
  bytesValue: "bytes",
  nullValue: "null",
};

const ARITHMETIC = new Set(["_+_", "_-_", "_*_", "_/_", "_%_", "-_"]);

const BOOL = [
  "_&&_",
  "_||_",
  "!_",
  "_==_",
  "_!=_",
  "_<_",
  "_<=_",
  "_>_",
  "_>=_",
  "@in",
  "@not_strictly_false",
  "startsWith",
  "endsWith",
  "contains",
  "matches",
  "globMatch",
  "anyGlobMatch",
];
const STRING = [
  "lowerAscii",
  "upperAscii",
  "replace",
  "substring",
  "trim",
  "charAt",
  "join",
  "format",
  "string",
];
const INT = ["size", "indexOf", "lastIndexOf", "int"];

const RESULT_TYPES: Record<string, string> = Object.fromEntries([
  ...BOOL.map((name) => [name, "bool"]),
  ...STRING.map((name) => [name, "string"]),
  ...INT.map((name) => [name, "int"]),
  ["split", "list"],
  ["double", "double"],
  ["uint", "uint"],
]);
