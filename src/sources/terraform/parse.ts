import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { Node, Parser } from "web-tree-sitter";
import type { InputError } from "../../model/index.js";
import { append } from "../../model/index.js";
import type { Attribute, Block, Body, Expr, HclFile, Pos, SplatStep } from "./ast.js";
import { chunkStarts } from "./chunks.js";
import {
  AttributeNode,
  BinaryNode,
  BlockNode,
  CallNode,
  ConditionalNode,
  ForNode,
  GetAttrNode,
  IndexNode,
  LiteralNode,
  ObjectNode,
  SourceText,
  type SpannedExpr,
  SplatNode,
  spanStart,
  TemplateNode,
  TupleNode,
  UnaryNode,
  UnsupportedNode,
  VariableNode,
} from "./syntax.js";

/**
 * WebAssembly files: beside the bundle first (the build copies `web-tree-sitter.wasm` and
 * `tree-sitter-terraform.wasm` next to it), then from the installed packages (running from source).
 */
function locate(file: string, packagePath: string): string {
  const beside = fileURLToPath(new URL(`./${file}`, import.meta.url));
  if (existsSync(beside)) return beside;
  return createRequire(import.meta.url).resolve(packagePath);
}

let parser: Parser | undefined;

/**
 * Loads tree-sitter and the Terraform grammar (WebAssembly, asynchronous): once, and only when a scan has Terraform
 * files, so that other scans never pay for it.
 */
export async function loadHclParser(): Promise<void> {
  if (parser) return;
  const { Language, Parser } = await import("web-tree-sitter");
  await Parser.init({ locateFile: (name: string) => locate(name, `web-tree-sitter/${name}`) });
  const terraform = await Language.load(
    locate("tree-sitter-terraform.wasm", "@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm"),
  );
  const loaded = new Parser();
  loaded.setLanguage(terraform);
  parser = loaded;
}

export interface Parsed {
  file: HclFile;
  errors: InputError[];
}

/**
 * Parses one `.tf` / `.tfvars` file. Syntax errors are reported with their position; top-level blocks and
 * attributes that contain an error are left out, the rest of the file is kept.
 *
 * tree-sitter's tree takes about 70 bytes of WebAssembly memory per byte of input, and that memory never shrinks:
 * a large file is parsed in pieces of whole top-level items (chunks.ts), each tree freed before the next is built.
 * A piece with a syntax error makes the whole file be parsed at once, so that errors are what they always were.
 * `place` moves the positions of a text read inside another file to where they are in that file.
 */
export function parseHcl(
  text: string,
  path: string,
  pieceChars = PIECE_CHARS,
  place?: (p: Pos) => Pos,
): Parsed {
  const source = new SourceText(text, path, place);
  const starts = chunkStarts(text, pieceChars);
  // The names and short strings of the file, shared by all its pieces.
  const strings = new Map<string, string>();
  return (
    (starts.length > 1 && parsePieces(source, path, starts, strings)) || parseWhole(source, path, strings)
  );
}

/**
 * Pieces of this many characters or more are cut from a large file. Small pieces also keep the garbage of a parse
 * young: the JavaScript objects tree-sitter hands out for one piece's nodes die before the next piece, instead of
 * surviving long enough to be moved to the old generation, whose size then sets how far the heap grows.
 */
const PIECE_CHARS = 16 * 1024;

function parsePieces(
  source: SourceText,
  path: string,
  starts: number[],
  strings: Map<string, string>,
): Parsed | undefined {
  const attributes: Attribute[] = [];
  const blocks: Block[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as number;
    const { file, errors } = parseWhole(source, path, strings, start, starts[i + 1] ?? source.text.length);
    if (errors.length > 0) return undefined;
    append(attributes, file.body.attributes);
    append(blocks, file.body.blocks);
  }
  const { text } = source;
  const lines = text.includes("trailguard:ignore") ? text.split(/\r?\n/) : [];
  return {
    file: { path, body: { attributes: fitted(attributes), blocks: fitted(blocks) }, lines },
    errors: [],
  };
}

/**
 * Parses the source's text from `from` to `to` (a piece of a large file, or all of it). Syntax errors take
 * tree-sitter's positions, right only for the whole text: a piece with an error is parsed again whole (parseHcl).
 */
function parseWhole(
  source: SourceText,
  path: string,
  strings: Map<string, string>,
  from = 0,
  to = source.text.length,
): Parsed {
  if (!parser) throw new Error("the HCL parser is not loaded (loadHclParser)");
  const text = from === 0 && to === source.text.length ? source.text : source.text.slice(from, to);
  const tree = parser.parse(text);
  const errors: InputError[] = [];
  if (!tree) {
    errors.push({
      code: "syntax",
      file: path,
      line: 1,
      column: 1,
      message: "the file could not be parsed",
      severity: "error",
    });
    return { file: { path, body: { attributes: [], blocks: [] }, lines: [] }, errors };
  }
  try {
    const root = tree.rootNode;
    if (root.hasError) collectSyntaxErrors(root, path, errors);
    const conv = new Converter(text, source, from, strings);
    let body: Body = { attributes: [], blocks: [] };
    const bodyNode = root.namedChildren.find((c) => c?.type === "body");
    if (bodyNode) body = conv.body(bodyNode, true);
    const lines = text.includes("trailguard:ignore") ? text.split(/\r?\n/) : [];
    return { file: { path, body, lines }, errors };
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    errors.push({
      code: "limit-exceeded",
      file: path,
      line: deepestLine(text),
      column: 1,
      message: "expressions are nested too deeply to be read; the file is not read",
      severity: "error",
    });
    return { file: { path, body: { attributes: [], blocks: [] }, lines: [] }, errors };
  } finally {
    tree.delete();
  }
}

/** The line where bracket nesting is deepest: where a file too deeply nested to read goes wrong. */
function deepestLine(text: string): number {
  let depth = 0;
  let max = 0;
  let line = 1;
  let at = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    else if (c === "(" || c === "[" || c === "{") {
      depth++;
      if (depth > max) {
        max = depth;
        at = line;
      }
    } else if (c === ")" || c === "]" || c === "}") depth--;
  }
  return at;
}

function collectSyntaxErrors(node: Node, path: string, errors: InputError[]): void {
  if (errors.length >= 20) return;
  if (node.isMissing) {
    const p = node.startPosition;
    errors.push({
      code: "syntax",
      file: path,
      line: p.row + 1,
      column: p.column + 1,
      message: `syntax error: missing ${JSON.stringify(node.type)}`,
      severity: "error",
    });
    return;
  }
  if (node.type === "ERROR") {
    const p = node.startPosition;
    errors.push({
      code: "syntax",
      file: path,
      line: p.row + 1,
      column: p.column + 1,
      message: `syntax error at ${tokenKind(node.text)}`,
      severity: "error",
    });
    return;
  }
  for (const child of node.children)
    if (child?.hasError || child?.isMissing) collectSyntaxErrors(child, path, errors);
}

/**
 * What the text where parsing failed starts with, without quoting it: the line may hold a secret (a password in a
 * `.tfvars`), so only punctuation is shown as written.
 */
function tokenKind(text: string): string {
  const c = text.trimStart()[0];
  if (c === undefined) return "the end of the file";
  if (c === '"') return "a quoted string";
  if (text.trimStart().startsWith("<<")) return "a heredoc";
  if (/[0-9]/.test(c)) return "a number";
  if (/[\p{L}_]/u.test(c)) return "a name";
  if (/[\p{P}\p{S}]/u.test(c) && c.charCodeAt(0) < 128) return JSON.stringify(c);
  return `a character U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
}

const BINARY_OPERATORS = new Set(["*", "/", "%", "+", "-", ">", ">=", "<", "<=", "==", "!=", "&&", "||"]);

function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

function all(node: Node): Node[] {
  return node.children.filter((c): c is Node => c !== null);
}

/** An empty list shared by every node that has none: frozen, so that nothing can add to it for all. */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/** A list without the spare room `push` leaves, or the shared empty one: syntax trees are kept while a module is read. */
function fitted<T>(list: T[]): T[] {
  return list.length === 0 ? NONE : list.slice();
}

/**
 * A copy of a string that does not refer to the text it was cut from. JavaScript engines may keep a substring as a
 * view of the whole text: a value read from a large file and kept in the inventory would keep the file's text alive.
 */
function detached(s: string): string {
  return s.length < 2 ? s : Buffer.from(s, "utf16le").toString("utf16le");
}

/** Short strings that recur in a file (names, keywords, common values) are kept once. */
const INTERNED_MAX = 64;

/**
 * Converts tree-sitter nodes of one text (a whole file, or a piece of it starting at `base`) into the reader's own
 * nodes, which refer to the file's `source` by offset.
 */
class Converter {
  constructor(
    readonly src: string,
    readonly source: SourceText,
    readonly base: number,
    /** Strings interned for the whole file: a large file's pieces share them. */
    private readonly strings: Map<string, string>,
  ) {}

  /** A string cut from the text, as the tree keeps it: recurring ones once, none holding on to the whole text. */
  private intern(s: string): string {
    if (s.length > INTERNED_MAX) return detached(s);
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    const own = detached(s);
    this.strings.set(own, own);
    return own;
  }

  private start(node: Node): number {
    return this.base + node.startIndex;
  }

  private end(node: Node): number {
    return this.base + node.endIndex;
  }

  /** A name written in the file (an identifier, an operator). */
  private name(node: Node | undefined): string {
    return node ? this.intern(this.text(node)) : "";
  }

  body(node: Node, topLevel = false): Body {
    const attributes: Attribute[] = [];
    const blocks: Block[] = [];
    for (const child of named(node)) {
      // A top-level item with a syntax error is left out: only what parsed is read.
      if (topLevel && child.hasError) continue;
      if (child.type === "attribute") {
        const [id, expr] = named(child);
        if (!id || !expr) continue;
        attributes.push(
          new AttributeNode(this.start(child), this.end(child), this.name(id), this.expr(expr)),
        );
      } else if (child.type === "block") {
        const block = this.block(child);
        if (block) blocks.push(block);
      }
    }
    return { attributes: fitted(attributes), blocks: fitted(blocks) };
  }

  block(node: Node): Block | undefined {
    const parts = named(node);
    const type = parts[0] ? this.name(parts[0]) : "";
    if (!type) return undefined;
    const labels: string[] = [];
    let body: Body = { attributes: NONE, blocks: NONE };
    for (const part of parts.slice(1)) {
      if (part.type === "string_lit") labels.push(this.stringContent(part));
      else if (part.type === "identifier") labels.push(this.name(part));
      else if (part.type === "body") body = this.body(part);
    }
    return new BlockNode(this.source, this.start(node), this.end(node), type, fitted(labels), body);
  }

  private text(node: Node): string {
    return this.src.slice(node.startIndex, node.endIndex);
  }

  private stringContent(node: Node): string {
    const start = node.children[0];
    const end = node.children[node.childCount - 1];
    if (!start || !end || start === end) return "";
    return this.intern(unescapeQuoted(this.src.slice(start.endIndex, end.startIndex)));
  }

  private pos(node: Node): Pos {
    return this.source.pos(this.start(node), this.end(node));
  }

  /** An `expression` node (or any node holding a term sequence). */
  expr(node: Node): SpannedExpr {
    const kids = all(node);
    if (node.type === "expression" || node.type === "parenthesized") return this.sequence(kids, node);
    return this.sequence([node], node);
  }

  /** A term followed by postfix operators (`.attr`, `[i]`, `.*`, `[*]`), as tree-sitter lays them out flat. */
  private sequence(kids: Node[], whole: Node): SpannedExpr {
    let i = 0;
    let base: SpannedExpr;
    const first = kids[0];
    if (!first) return this.unsupported(whole, "an empty expression");
    if (first.type === "(") {
      const inner = kids[1];
      base = inner ? this.expr(inner) : this.unsupported(whole, "an empty expression");
      i = 3;
    } else {
      base = this.term(first);
      i = 1;
    }
    const start = spanStart(base, this.start(whole));
    const textStart = this.start(whole);
    for (; i < kids.length; i++) {
      const k = kids[i];
      if (!k) continue;
      const end = this.end(k);
      if (k.type === "get_attr") {
        base = new GetAttrNode(end, textStart, base, this.name(named(k)[0]));
      } else if (k.type === "index") {
        const inner = named(k)[0];
        if (inner?.type === "new_index") {
          const e = named(inner)[0];
          const index = e ? this.expr(e) : this.unsupported(k, "an index");
          base = new IndexNode(end, textStart, base, index);
        } else if (inner) {
          const digits = this.text(inner).replace(/^\./, "");
          const index: Expr = { kind: "literal", value: Number(digits), pos: this.pos(inner), text: digits };
          base = new IndexNode(end, textStart, base, index);
        }
      } else if (k.type === "splat") {
        const s = named(k)[0];
        const steps: SplatStep[] = [];
        for (const step of s ? named(s) : []) {
          if (step.type === "get_attr") steps.push({ kind: "attr", name: this.name(named(step)[0]) });
          else if (step.type === "index") {
            const inner = named(step)[0];
            const e = inner?.type === "new_index" ? named(inner)[0] : undefined;
            const index: Expr = e
              ? this.expr(e)
              : {
                  kind: "literal",
                  value: Number((inner ? this.text(inner) : "").replace(/^\./, "")),
                  pos: this.source.pos(start, end),
                  text: this.source.slice(textStart, end),
                };
            steps.push({ kind: "index", index });
          }
        }
        base = new SplatNode(end, textStart, base, fitted(steps));
      }
    }
    return base;
  }

  private unsupported(node: Node, what: string): SpannedExpr {
    return new UnsupportedNode(this.source, this.start(node), this.end(node), what);
  }

  private term(node: Node): SpannedExpr {
    const start = this.start(node);
    const end = this.end(node);
    switch (node.type) {
      case "expression":
        return this.expr(node);
      case "literal_value":
        return this.literal(named(node)[0] ?? node);
      case "template_expr":
        return this.template(named(node)[0] ?? node);
      case "collection_value":
        return this.collection(named(node)[0] ?? node);
      case "variable_expr":
        return new VariableNode(this.source, start, end, this.name(named(node)[0] ?? node));
      case "function_call": {
        const parts = named(node);
        const args = parts.find((p) => p.type === "function_arguments");
        const argExprs = args ? named(args).filter((a) => a.type === "expression") : [];
        const expand = args ? named(args).some((a) => a.type === "ellipsis") : false;
        return new CallNode(
          this.source,
          start,
          end,
          this.name(parts[0]),
          fitted(argExprs.map((a) => this.expr(a))),
          expand,
        );
      }
      case "conditional": {
        const [c, t, e] = named(node);
        if (!c || !t || !e) return this.unsupported(node, "a conditional");
        return new ConditionalNode(this.source, start, end, this.expr(c), this.expr(t), this.expr(e));
      }
      case "operation":
        return this.term(named(node)[0] ?? node);
      case "binary_operation": {
        const kids = all(node);
        const at = kids.findIndex((k, idx) => idx > 0 && !k.isNamed && BINARY_OPERATORS.has(k.type));
        if (at < 0) return this.unsupported(node, "an operation");
        return new BinaryNode(
          this.source,
          start,
          end,
          this.intern(kids[at]?.type ?? ""),
          this.sequence(kids.slice(0, at), node),
          this.sequence(kids.slice(at + 1), node),
        );
      }
      case "unary_operation": {
        const kids = all(node);
        return new UnaryNode(
          this.source,
          start,
          end,
          this.intern(kids[0]?.type ?? ""),
          this.sequence(kids.slice(1), node),
        );
      }
      case "for_expr":
        return this.forExpr(named(node)[0] ?? node);
      default:
        return this.unsupported(node, node.type.replace(/_/g, " "));
    }
  }

  private literal(node: Node): SpannedExpr {
    const start = this.start(node);
    const end = this.end(node);
    switch (node.type) {
      case "numeric_lit":
        return new LiteralNode(this.source, start, end, Number(this.text(node)));
      case "bool_lit":
        return new LiteralNode(this.source, start, end, this.text(node) === "true");
      case "null_lit":
        return new LiteralNode(this.source, start, end, null);
      case "string_lit":
        return new LiteralNode(this.source, start, end, this.stringContent(node));
      default:
        return this.unsupported(node, "a literal");
    }
  }

  private template(node: Node): SpannedExpr {
    const kids = all(node);
    const heredoc = node.type === "heredoc_template";
    let from: number;
    let to: number;
    let inner: Node[];
    if (heredoc) {
      const ids = kids.filter((k) => k.type === "heredoc_identifier");
      const open = ids[0];
      const close = ids[ids.length - 1];
      if (!open || !close || open === close) return this.unsupported(node, "a heredoc");
      from = open.endIndex;
      to = close.startIndex;
      inner = kids.slice(kids.indexOf(open) + 1, kids.lastIndexOf(close));
    } else {
      const start = kids[0];
      const end = kids[kids.length - 1];
      if (!start || !end) return this.unsupported(node, "a string");
      from = start.endIndex;
      to = end.startIndex;
      inner = kids.slice(1, -1);
    }
    const parts: (string | Expr)[] = [];
    let cursor = from;
    for (const k of inner) {
      if (k.type === "template_literal") continue;
      if (k.type === "template_directive") return this.unsupported(node, "a template directive (%{ })");
      if (k.type === "template_interpolation") {
        parts.push(this.src.slice(cursor, k.startIndex));
        const e = named(k).find((c) => c.type === "expression");
        parts.push(e ? this.expr(e) : this.unsupported(k, "an empty interpolation"));
        cursor = k.endIndex;
      }
    }
    parts.push(this.src.slice(cursor, to));
    const indent = heredoc && all(node).find((k) => k.type === "heredoc_start")?.text === "<<-";
    const read = heredoc
      ? heredocParts(parts, indent)
      : parts.map((p) => (typeof p === "string" ? unescapeQuoted(p) : p));
    const interned = read.map((p) => (typeof p === "string" ? this.intern(p) : p));
    return new TemplateNode(this.source, this.start(node), this.end(node), interned);
  }

  private collection(node: Node): SpannedExpr {
    const start = this.start(node);
    const end = this.end(node);
    if (node.type === "tuple") {
      const items = named(node)
        .filter((c) => c.type === "expression")
        .map((c) => this.expr(c));
      return new TupleNode(this.source, start, end, fitted(items));
    }
    if (node.type === "object") {
      const entries: { key: Expr; value: Expr }[] = [];
      for (const elem of named(node)) {
        if (elem.type !== "object_elem") continue;
        const k = elem.childForFieldName("key");
        const v = elem.childForFieldName("val");
        if (!k || !v) continue;
        entries.push({ key: this.objectKey(k), value: this.expr(v) });
      }
      return new ObjectNode(this.source, start, end, fitted(entries));
    }
    return this.unsupported(node, "a collection");
  }

  /** A bare identifier as an object key is the key's name, not a variable. */
  private objectKey(node: Node): SpannedExpr {
    const kids = all(node);
    const only = kids.length === 1 ? kids[0] : undefined;
    if (only?.type === "variable_expr")
      return new LiteralNode(this.source, this.start(only), this.end(only), this.name(only));
    return this.expr(node);
  }

  private forExpr(node: Node): SpannedExpr {
    const kids = named(node);
    const intro = kids.find((k) => k.type === "for_intro");
    if (!intro) return this.unsupported(node, "a for expression");
    const ids = named(intro).filter((k) => k.type === "identifier");
    const collection = named(intro).find((k) => k.type === "expression");
    const exprs = kids.filter((k) => k.type === "expression");
    const cond = kids.find((k) => k.type === "for_cond");
    const condExpr = cond ? named(cond).find((k) => k.type === "expression") : undefined;
    if (!collection || ids.length === 0) return this.unsupported(node, "a for expression");
    const isObject = node.type === "for_object_expr";
    const valueVar = this.name(ids.length === 2 ? ids[1] : ids[0]);
    const keyVar = ids.length === 2 ? this.name(ids[0]) : null;
    const first = exprs[0];
    const second = exprs[1];
    if (!first || (isObject && !second)) return this.unsupported(node, "a for expression");
    return new ForNode(
      this.source,
      this.start(node),
      this.end(node),
      keyVar,
      valueVar,
      this.expr(collection),
      isObject ? this.expr(first) : null,
      this.expr(isObject && second ? second : first),
      condExpr ? this.expr(condExpr) : null,
      kids.some((k) => k.type === "ellipsis"),
    );
  }
}

/** Escapes of quoted strings: `\n \r \t \" \\ \uNNNN \UNNNNNNNN`, and `$${` / `%%{` for literal `${` / `%{`. */
export function unescapeQuoted(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (m, esc: string | undefined) => {
    if (m === "$${") return "${";
    if (m === "%%{") return "%{";
    if (!esc) return m;
    if (esc[0] === "u" || esc[0] === "U") return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
    const map: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };
    return map[esc] ?? m;
  });
}

/** A heredoc's text runs from the line after the marker to the line before the closing marker. */
function heredocParts(parts: (string | Expr)[], stripIndent: boolean): (string | Expr)[] {
  const out = parts.map((p) =>
    typeof p === "string" ? p.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{") : p,
  );
  if (typeof out[0] === "string") out[0] = out[0].replace(/^\r?\n/, "");
  const last = out.length - 1;
  if (typeof out[last] === "string") out[last] = (out[last] as string).replace(/[ \t]*$/, "");
  if (!stripIndent) return out;
  // `<<-`: the smallest indentation of the literal lines is removed from every line.
  const literal = out.filter((p): p is string => typeof p === "string").join("\uE000");
  const indents = literal
    .split("\n")
    .filter((l) => l.replace(/\uE000/g, "").trim() !== "")
    .map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const strip = indents.length > 0 ? Math.min(...indents) : 0;
  if (strip === 0) return out;
  let atLineStart = true;
  return out.map((p) => {
    if (typeof p !== "string") {
      atLineStart = false;
      return p;
    }
    const lines = p.split("\n");
    const result = lines.map((l, i) =>
      i > 0 || atLineStart ? l.slice(Math.min(strip, /^[ \t]*/.exec(l)?.[0].length ?? 0)) : l,
    );
    atLineStart = p.endsWith("\n");
    return result.join("\n");
  });
}

const TEMPLATE_MARKER = "TRAILGUARD_TEMPLATE_END";

/**
 * A template file (`templatefile()`) as one template expression, with positions in that file. Its text is read as
 * the body of a heredoc, which has the same template syntax.
 */
export function parseTemplate(text: string, path: string): Expr {
  const whole: Pos = { line: 1, column: 1, endLine: 1, endColumn: 1 };
  if (text.split(/\r?\n/).some((l) => l.trim() === TEMPLATE_MARKER))
    return { kind: "unsupported", what: "a template with a reserved line", pos: whole, text: path };
  const added = !text.endsWith("\n");
  const { file, errors } = parseHcl(
    `t = <<${TEMPLATE_MARKER}\n${text}${added ? "\n" : ""}${TEMPLATE_MARKER}\n`,
    path,
    PIECE_CHARS,
    (p) => ({ ...p, line: Math.max(1, p.line - 1), endLine: Math.max(1, p.endLine - 1) }),
  );
  const expr = file.body.attributes[0]?.expr;
  if (!expr || errors.length > 0)
    return { kind: "unsupported", what: "a template that does not parse", pos: whole, text: path };
  if (added && expr.kind === "template") {
    const last = expr.parts.length - 1;
    const tail = expr.parts[last];
    if (typeof tail === "string") expr.parts[last] = tail.replace(/\n$/, "");
  }
  return expr;
}

/**
 * A string of Terraform's JSON syntax as the expression it stands for: a template (`"${var.x}"`, `"a-${b}"`), or a
 * literal string when it has no interpolation. Every position is `at`: the string's place in the JSON file.
 */
export function parseJsonString(value: string, path: string, at: Pos): { expr: Expr; error?: string } {
  const literal: Expr = { kind: "literal", value, pos: at, text: JSON.stringify(value) };
  if (!value.includes("${") && !value.includes("%{")) return { expr: literal };
  const quoted = value
    .replace(/[\\"]/g, (c) => `\\${c}`)
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  const { file, errors } = parseHcl(`t = "${quoted}"\n`, path, PIECE_CHARS, () => ({ ...at }));
  const expr = file.body.attributes[0]?.expr;
  if (!expr || errors.length > 0) return { expr: literal, error: "the string is not a valid template" };
  return { expr };
}
