import { parse } from "@bufbuild/cel";
import { describe, expect, test } from "vitest";
import { compile, prepare } from "../../src/engine/cel.js";
import { bindRoots, ROOT_FUNCTION } from "../../src/engine/cel-roots.js";
import { unknown } from "../../src/model/index.js";

type Expr = NonNullable<ReturnType<typeof parse>["expr"]>;

const parsed = (source: string) => parse(source).expr as Expr;
const noTypes = () => false;

/** The expression written back as text, with the root function shown as `root(...)`. */
function shown(expr: Expr | undefined): string {
  if (!expr) return "";
  const kind = expr.exprKind;
  switch (kind.case) {
    case "identExpr":
      return kind.value.name;
    case "constExpr":
      return String(kind.value.constantKind.value);
    case "selectExpr":
      return `${shown(kind.value.operand)}.${kind.value.field}`;
    case "callExpr": {
      const name = kind.value.function === ROOT_FUNCTION ? "root" : kind.value.function;
      const args = kind.value.args.map(shown).join(", ");
      return kind.value.target ? `${shown(kind.value.target)}.${name}(${args})` : `${name}(${args})`;
    }
    case "listExpr":
      return `[${kind.value.elements.map(shown).join(", ")}]`;
    case "comprehensionExpr":
      return `fold(${kind.value.iterVar} in ${shown(kind.value.iterRange)}: ${shown(kind.value.loopStep)})`;
    default:
      return kind.case ?? "";
  }
}

describe("field paths bound at their root variable", () => {
  test.each([
    ["bucket.policy.statements", "root(bucket).policy.statements"],
    ["trail.kmsKeyId != 'x'", "_!=_(root(trail).kmsKeyId, x)"],
    ["a.b.size() > 0", "_>_(root(a).b.size(), 0)"],
    ["[x.y, 1]", "[root(x).y, 1]"],
    ["f(a.b, c)", "f(root(a).b, c)"],
  ])("%s becomes %s", (source, expected) => {
    expect(shown(bindRoots(parsed(source), noTypes))).toBe(expected);
  });

  test("paths inside macros are bound too, iteration variables included", () => {
    const bound = shown(bindRoots(parsed("list.l.all(s, s.effect == 'Deny')"), noTypes));
    expect(bound).toContain("root(list).l");
    expect(bound).toContain("root(s).effect");
  });

  test("an expression without field paths is returned as it is", () => {
    for (const source of ["x == 1", "[1, 2].exists(v, v > 1)", "'a' + b"]) {
      const expr = parsed(source);
      expect(bindRoots(expr, noTypes)).toBe(expr);
    }
  });

  test("the input expression is left unchanged", () => {
    const expr = parsed("a.b.c == d.e");
    const before = shown(expr);
    bindRoots(expr, noTypes);
    expect(shown(expr)).toBe(before);
  });

  test("a path that may name a type or enum keeps CEL's own resolution", () => {
    const namesType = (name: string) => name === "pkg.Kind";
    expect(shown(bindRoots(parsed("pkg.Kind.VALUE == 1"), namesType))).toBe("_==_(pkg.Kind.VALUE, 1)");
    expect(shown(bindRoots(parsed("pkg.other == 1"), namesType))).toBe("_==_(root(pkg).other, 1)");
  });
});

describe("rules with bound paths evaluate as CEL does", () => {
  const bindings = {
    bucket: { policy: { statements: [{ effect: "Deny" }, { effect: "Allow" }] }, name: "logs" },
    trail: { kmsKeyId: unknown("from Fn::ImportValue Key") },
  };
  const run = (source: string) => compile(source).evaluate(prepare(bindings));

  test.each([
    ["bucket.policy.statements.exists(s, s.effect == 'Deny')", true],
    ["bucket.policy.statements.all(s, s.effect == 'Deny')", false],
    ["bucket.name + '/*'", "logs/*"],
    ["bucket.policy.statements[1].effect", "Allow"],
  ])("%s → %j", (source, value) => {
    expect(run(source)).toEqual({ kind: "value", value });
  });

  test("an unknown field at the end of a path is named", () => {
    expect(run("trail.kmsKeyId != null")).toEqual({ kind: "unknown", unknownIds: [0] });
  });

  test("a missing variable or field is still an error", () => {
    expect(run("nothing.here == 1").kind).toBe("error");
    expect(run("bucket.absent == 1").kind).toBe("error");
  });

  test("a name written from the root scope (leading dot) reads the same variable", () => {
    expect(run(".bucket.name")).toEqual({ kind: "value", value: "logs" });
  });

  test("a qualified type name still resolves", () => {
    expect(run("type(1) == int")).toEqual({ kind: "value", value: true });
    expect(run("google.protobuf.NullValue.NULL_VALUE == 0")).toEqual({ kind: "value", value: true });
  });

  test("a path from one of CEL's type names is left to CEL's own resolution", () => {
    const types = (name: string) => name === "int";
    expect(shown(bindRoots(parsed("int.x"), types))).toBe("int.x");
    expect(shown(bindRoots(parsed("bucket.x"), types))).toBe("root(bucket).x");
  });
});
