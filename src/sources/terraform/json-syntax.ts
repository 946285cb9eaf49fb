import type { InputError } from "../../model/index.js";
import { append } from "../../model/index.js";
import { type JsonNode, JsonSyntaxError, LocatedJson } from "../json.js";
import { LineIndex } from "../line-index.js";
import type { Attribute, Block, Body, Expr, HclFile, Pos } from "./ast.js";
import { parseJsonString } from "./parse.js";

/** Top-level block types and how many labels their JSON nesting carries (`resource` → type → name → body). */
const LABELS: Record<string, number> = {
  resource: 2,
  data: 2,
  module: 1,
  variable: 1,
  output: 1,
  provider: 1,
  locals: 0,
  terraform: 0,
  moved: 0,
  import: 0,
  check: 1,
  removed: 0,
};

/** Bodies whose every property is an argument: no nested block can be written in them. */
const ATTRIBUTES_ONLY = new Set(["module", "locals", "output"]);

interface Ctx {
  path: string;
  at: (offset: number) => Pos;
  errors: InputError[];
}

function problem(ctx: Ctx, offset: number, message: string, code: InputError["code"] = "structure"): void {
  const p = ctx.at(offset);
  ctx.errors.push({ code, file: ctx.path, line: p.line, column: p.column, message, severity: "error" });
}

/** Terraform's own limit is higher than the one for AWS answers: deep module and policy structures are valid. */
export const TERRAFORM_JSON_MAX_DEPTH = 512;

function parseWithPositions(text: string, path: string): { root?: JsonNode; ctx: Ctx } {
  const lines = new LineIndex(text);
  const ctx: Ctx = {
    path,
    errors: [],
    at: (offset) => {
      const p = lines.position(offset);
      return { line: p.line, column: p.column, endLine: p.line, endColumn: p.column };
    },
  };
  try {
    return { root: LocatedJson.parse(path, text, { maxDepth: TERRAFORM_JSON_MAX_DEPTH }).root, ctx };
  } catch (err) {
    if (!(err instanceof JsonSyntaxError)) throw err;
    problem(ctx, err.offset, `syntax error: ${err.message}`, "syntax");
    return { ctx };
  }
}

/**
 * A `.tf.json` file (Terraform's JSON syntax) as the same blocks and expressions as a `.tf` file. Strings are
 * templates (`"${var.x}"`). Without provider schemas an object inside a resource may be an argument (`tags`) or a
 * nested block (`event_selector`): it is offered as both, and the mappers ask for the one they know it to be.
 */
export function parseTfJson(text: string, path: string): { file: HclFile; errors: InputError[] } {
  const { root, ctx } = parseWithPositions(text, path);
  const body: Body = { attributes: [], blocks: [] };
  if (root && root.kind !== "object") problem(ctx, root.start, "a .tf.json file must hold a JSON object");
  else if (root) {
    for (const entry of root.entries) {
      if (entry.key === "//") continue;
      const labels = LABELS[entry.key];
      if (labels === undefined) {
        problem(ctx, entry.keyStart, `unknown top-level block type ${JSON.stringify(entry.key)}`);
        continue;
      }
      for (const block of labelled(ctx, entry.key, labels, entry.value, [])) body.blocks.push(block);
    }
  }
  return { file: { path, body, lines: [] }, errors: ctx.errors };
}

/** A `.tfvars.json` file: each property sets a variable to a literal value (no templates). */
export function parseTfvarsJson(text: string, path: string): { file: HclFile; errors: InputError[] } {
  const { root, ctx } = parseWithPositions(text, path);
  const attributes: Attribute[] = [];
  if (root && root.kind !== "object") problem(ctx, root.start, "a .tfvars.json file must hold a JSON object");
  else if (root) {
    for (const e of root.entries) {
      if (e.key === "//") continue;
      attributes.push({ name: e.key, expr: literalExpr(ctx, e.value), pos: ctx.at(e.keyStart), file: path });
    }
  }
  return { file: { path, body: { attributes, blocks: [] }, lines: [] }, errors: ctx.errors };
}

function labelled(ctx: Ctx, type: string, remaining: number, node: JsonNode, labels: string[]): Block[] {
  if (remaining === 0) return bodies(node).map((b) => block(ctx, type, labels, b));
  if (node.kind !== "object") {
    problem(
      ctx,
      node.start,
      `the ${type} block needs an object keyed by its ${remaining === 2 ? "type" : "name"}`,
    );
    return [];
  }
  return node.entries
    .filter((e) => e.key !== "//")
    .flatMap((e) => labelled(ctx, type, remaining - 1, e.value, [...labels, e.key]));
}

/** A block's body is an object, or a list of objects for several blocks of the same type. */
function bodies(node: JsonNode): JsonNode[] {
  return node.kind === "array" ? node.items : [node];
}

function block(ctx: Ctx, type: string, labels: string[], node: JsonNode): Block {
  const pos = ctx.at(node.start);
  const body: Body = { attributes: [], blocks: [] };
  if (node.kind !== "object") {
    problem(ctx, node.start, `the body of a ${type} block must be an object`);
    return { type, labels, body, pos, file: ctx.path };
  }
  for (const e of node.entries) {
    if (e.key === "//") continue;
    const at = ctx.at(e.keyStart);
    if (type === "dynamic" && e.key === "content") {
      append(
        body.blocks,
        bodies(e.value).map((b) => block(ctx, "content", [], b)),
      );
      continue;
    }
    if (e.key === "dynamic" && !ATTRIBUTES_ONLY.has(type)) {
      if (e.value.kind === "object")
        for (const d of e.value.entries)
          append(
            body.blocks,
            bodies(d.value).map((b) => block(ctx, "dynamic", [d.key], b)),
          );
      else problem(ctx, e.value.start, "dynamic must map block types to their for_each and content");
      continue;
    }
    // In a variable block, `type` is a type expression written as a string: its text is the type.
    const expr: Expr =
      type === "variable" &&
      e.key === "type" &&
      e.value.kind === "scalar" &&
      typeof e.value.value === "string"
        ? { kind: "literal", value: e.value.value, pos: at, text: e.value.value }
        : expression(ctx, e.value);
    body.attributes.push({ name: e.key, expr, pos: at, file: ctx.path });
    const nested = !ATTRIBUTES_ONLY.has(type) && type !== "variable" && isBlockShaped(e.value);
    if (nested)
      append(
        body.blocks,
        bodies(e.value).map((b) => block(ctx, e.key, [], b)),
      );
  }
  return { type, labels, body, pos, file: ctx.path };
}

function isBlockShaped(node: JsonNode): boolean {
  if (node.kind === "object") return true;
  return node.kind === "array" && node.items.length > 0 && node.items.every((i) => i.kind === "object");
}

/** A JSON value as an expression: strings are templates, the rest literal structure. */
function expression(ctx: Ctx, node: JsonNode): Expr {
  const pos = ctx.at(node.start);
  if (node.kind === "scalar" && typeof node.value === "string") {
    const { expr, error } = parseJsonString(node.value, ctx.path, pos);
    if (error) problem(ctx, node.start, error, "syntax");
    return expr;
  }
  switch (node.kind) {
    case "array":
      return { kind: "tuple", items: node.items.map((i) => expression(ctx, i)), pos, text: "[...]" };
    case "object":
      return {
        kind: "object",
        entries: node.entries
          .filter((e) => e.key !== "//")
          .map((e) => ({
            key: { kind: "literal", value: e.key, pos: ctx.at(e.keyStart), text: JSON.stringify(e.key) },
            value: expression(ctx, e.value),
          })),
        pos,
        text: "{...}",
      };
    default:
      return literalExpr(ctx, node);
  }
}

function literalExpr(ctx: Ctx, node: JsonNode): Expr {
  const pos = ctx.at(node.start);
  switch (node.kind) {
    case "scalar":
      return {
        kind: "literal",
        value: node.value,
        pos,
        text: typeof node.value === "string" ? JSON.stringify(node.value) : String(node.value),
      };
    case "array":
      return { kind: "tuple", items: node.items.map((i) => literalExpr(ctx, i)), pos, text: "[...]" };
    case "object":
      return {
        kind: "object",
        entries: node.entries.map((e) => ({
          key: { kind: "literal", value: e.key, pos: ctx.at(e.keyStart), text: JSON.stringify(e.key) },
          value: literalExpr(ctx, e.value),
        })),
        pos,
        text: "{...}",
      };
  }
}
