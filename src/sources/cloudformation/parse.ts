import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Schema,
  type YAMLError,
  type Node as YamlNode,
} from "yaml";
import type { InputErrorCode } from "../../model/index.js";
import { LineIndex } from "../line-index.js";
import { CLOUDFORMATION_TAGS, SHORT_FORMS } from "./tags.js";
import type { LEntry, LNode, Pos } from "./tree.js";

/** An alias may be expanded this many times per file; more is treated as an entity-expansion attack. */
export const MAX_ALIAS_EXPANSIONS = 100;
/** Deeper nesting than this is not a template (and would exhaust the stack). */
const MAX_DEPTH = 256;

export interface ParseProblem {
  code: InputErrorCode;
  message: string;
  pos: Pos;
  severity: "error" | "warning";
}

export interface ParsedFile {
  /** The document's root, absent when the text could not be parsed. */
  root: LNode | undefined;
  problems: ParseProblem[];
  /** YAML aliases expanded into the tree: each one copies its target, so the tree may be far larger than the text. */
  aliasExpansions?: number;
}

class ParseAbort extends Error {}

/**
 * The YAML 1.2 core schema with CloudFormation's tags, built once: yaml would otherwise build it for every document,
 * in time that grows with the square of the number of tags. A document that names its YAML version (`%YAML 1.1`)
 * gets the schema of that version, built for it as yaml does.
 */
const CLOUDFORMATION_SCHEMA = new Schema({
  schema: "core",
  resolveKnownTags: true,
  customTags: CLOUDFORMATION_TAGS,
});

/**
 * Parses YAML (and JSON, which YAML 1.2 reads the same way) into a located tree. CloudFormation short-form tags become
 * their long forms. Never throws.
 */
export function parseText(text: string): ParsedFile {
  const lineCounter = new LineCounter();
  const problems: ParseProblem[] = [];
  const tooDeep = flowNestingBeyond(text, MAX_DEPTH);
  if (tooDeep !== undefined) {
    // The YAML parser itself cannot cope with absurd flow nesting; refuse before calling it.
    for (const start of new LineIndex(text).lineStarts) lineCounter.addNewLine(start);
    const pos = posAt(lineCounter, tooDeep, tooDeep);
    problems.push({
      code: "limit-exceeded",
      message: `nesting deeper than ${MAX_DEPTH} levels`,
      pos,
      severity: "error",
    });
    return { root: undefined, problems };
  }
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      ...(text.includes("%YAML") ? { customTags: CLOUDFORMATION_TAGS } : { schema: CLOUDFORMATION_SCHEMA }),
      lineCounter,
      // yaml's own check compares every key with every other one (quadratic); the converter checks in linear time.
      uniqueKeys: false,
      prettyErrors: false,
    });
  } catch (err) {
    problems.push({
      code: "syntax",
      message: `cannot parse: ${String(err)}`,
      pos: posAt(lineCounter, 0, 0),
      severity: "error",
    });
    return { root: undefined, problems };
  }
  const span = (start: number, end: number): Pos => posAt(lineCounter, start, end);
  const fromError = (e: YAMLError, severity: "error" | "warning"): ParseProblem => ({
    code: "syntax",
    message: cleanMessage(e.message),
    pos: span(e.pos[0], e.pos[1]),
    severity,
  });
  for (const e of doc.errors) problems.push(fromError(e, "error"));
  for (const w of doc.warnings) {
    // An unknown tag is not valid CloudFormation: an error, not a mere warning.
    problems.push(fromError(w, w.code === "TAG_RESOLVE_FAILED" ? "error" : "warning"));
  }
  // What a parser recovers after an error is a guess: a file with an error contributes nothing, consistently.
  if (problems.some((p) => p.severity === "error")) return { root: undefined, problems };

  const converter = new Converter(doc, span, problems);
  try {
    const root = doc.contents ? converter.convert(doc.contents as YamlNode, 0) : undefined;
    if (converter.duplicateKeys) return { root: undefined, problems };
    return converter.aliasExpansions > 0
      ? { root, problems, aliasExpansions: converter.aliasExpansions }
      : { root, problems };
  } catch (err) {
    if (err instanceof ParseAbort) return { root: undefined, problems };
    throw err;
  }
}

class Converter {
  aliasExpansions = 0;
  /** A mapping repeats a key: the file is not valid CloudFormation (which keeps one of them silently). */
  duplicateKeys = false;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly span: (start: number, end: number) => Pos,
    private readonly problems: ParseProblem[],
  ) {}

  private rangeOf(node: { range?: [number, number, number] | null | undefined }): Pos {
    const range = node.range;
    return range ? this.span(range[0], range[1]) : this.span(0, 0);
  }

  convert(node: YamlNode | null | undefined, depth: number): LNode {
    if (depth > MAX_DEPTH) {
      const pos = node ? this.rangeOf(node) : this.span(0, 0);
      this.problems.push({
        code: "limit-exceeded",
        message: `nesting deeper than ${MAX_DEPTH} levels`,
        pos,
        severity: "error",
      });
      throw new ParseAbort();
    }
    if (node === null || node === undefined) {
      return { kind: "scalar", value: null, pos: this.span(0, 0) };
    }
    if (isAlias(node)) {
      const pos = this.rangeOf(node);
      this.aliasExpansions++;
      if (this.aliasExpansions > MAX_ALIAS_EXPANSIONS) {
        this.problems.push({
          code: "limit-exceeded",
          message: `more than ${MAX_ALIAS_EXPANSIONS} YAML alias expansions (an entity-expansion attack?); file not read`,
          pos,
          severity: "error",
        });
        throw new ParseAbort();
      }
      const target = node.resolve(this.doc);
      if (!target) return { kind: "bad", reason: `unresolved alias *${node.source}`, pos };
      return this.convert(target as YamlNode, depth + 1);
    }
    const pos = this.rangeOf(node);
    let converted: LNode;
    if (isScalar(node)) {
      const v = node.value;
      const value =
        typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null
          ? v
          : typeof v === "bigint"
            ? Number(v)
            : String(v);
      converted = { kind: "scalar", value, pos };
    } else if (isMap(node)) {
      const entries: LEntry[] = [];
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const key = keyNode && isScalar(keyNode) ? String(keyNode.value) : "";
        if (seen.has(key)) {
          this.duplicateKeys = true;
          this.problems.push({
            code: "syntax",
            message: `Map keys must be unique (${excerpt(key)} repeats)`,
            pos: keyNode ? this.rangeOf(keyNode) : pos,
            severity: "error",
          });
        }
        seen.add(key);
        const value = this.convert(pair.value as YamlNode | null, depth + 1);
        const keyStart = keyNode ? this.rangeOf(keyNode) : value.pos;
        const keyPos: Pos = {
          line: keyStart.line,
          column: keyStart.column,
          endLine: Math.max(value.pos.endLine, keyStart.endLine),
          endColumn: value.pos.endLine >= keyStart.endLine ? value.pos.endColumn : keyStart.endColumn,
        };
        if (pair.value === null) value.pos = keyPos;
        entries.push({ key, keyPos, value });
      }
      converted = { kind: "map", entries, pos };
    } else if (isSeq(node)) {
      converted = {
        kind: "seq",
        items: node.items.map((item) => this.convert(item as YamlNode | null, depth + 1)),
        pos,
      };
    } else {
      converted = { kind: "bad", reason: "unsupported YAML node", pos };
    }
    return this.applyTag(node.tag, converted, pos);
  }

  private applyTag(tag: string | undefined, node: LNode, pos: Pos): LNode {
    if (!tag?.startsWith("!") || tag.startsWith("!!")) return node;
    const longForm = SHORT_FORMS[tag];
    if (!longForm) return { kind: "bad", reason: `unknown tag ${tag} (line ${pos.line})`, pos };
    let value = node;
    // `!GetAtt Resource.Attribute` is the string form of `Fn::GetAtt: [Resource, Attribute]`.
    if (longForm === "Fn::GetAtt" && node.kind === "scalar" && typeof node.value === "string") {
      const dot = node.value.indexOf(".");
      if (dot > 0) {
        value = {
          kind: "seq",
          items: [
            { kind: "scalar", value: node.value.slice(0, dot), pos },
            { kind: "scalar", value: node.value.slice(dot + 1), pos },
          ],
          pos,
        };
      }
    }
    return { kind: "map", entries: [{ key: longForm, keyPos: pos, value }], pos };
  }
}

/** Offset where `[`/`{` nesting first exceeds `limit` (outside quoted strings), if it does. */
function flowNestingBeyond(text: string, limit: number): number | undefined {
  // Nesting beyond the limit needs more opening brackets than the limit; most templates have far fewer, and counting
  // them with a regular expression costs much less than the walk below on a program's first template.
  if (countUpTo(text, /[[{]/g, limit + 1) <= limit) return undefined;
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || (c === "'" && /[\s[{,:]/.test(text[i - 1] ?? " "))) quote = c;
    else if (c === "[" || c === "{") {
      if (++depth > limit) return i;
    } else if (c === "]" || c === "}") depth = Math.max(0, depth - 1);
  }
  return undefined;
}

/** Matches of the global `pattern` in `text`, counted up to `cap`. */
function countUpTo(text: string, pattern: RegExp, cap: number): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (count < cap && pattern.test(text)) count++;
  return count;
}

function posAt(lineCounter: LineCounter, start: number, end: number): Pos {
  const a = lineCounter.linePos(start);
  const b = lineCounter.linePos(Math.max(start, end));
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/**
 * yaml's messages end with " at line L, column C:" and a code excerpt; we report the position separately. The few
 * messages that quote the source (a bad escape, a block scalar header, a tag) may quote a secret: the quoted text is
 * kept only when it is a short name, otherwise replaced by its length.
 */
function cleanMessage(message: string): string {
  const first = message.split("\n")[0] ?? message;
  const text = first.replace(/ at line \d+, column \d+:?$/, "").trim();
  for (const pattern of QUOTING_MESSAGES) {
    const m = pattern.exec(text);
    if (m?.groups?.quoted !== undefined) {
      const quoted = m.groups.quoted;
      const start = m.index + m[0].indexOf(quoted);
      return `${text.slice(0, start)}${excerpt(quoted)}${text.slice(start + quoted.length)}`;
    }
  }
  return text;
}

/** yaml messages that interpolate source text. */
const QUOTING_MESSAGES = [
  /^Block scalar header includes extra characters: (?<quoted>.*)$/,
  /^Invalid escape sequence (?<quoted>.*)$/,
  /^(?:Unresolved tag|Not a valid tag|Could not resolve tag): (?<quoted>.*)$/,
  /^Unresolved plain scalar (?<quoted>.*)$/,
  /^Verbatim tags aren't resolved, so (?<quoted>.*) is invalid\.$/,
  /^The (?<quoted>.*) tag has no suffix$/,
  /^Unknown directive (?<quoted>.*)$/,
  /^Unsupported YAML version (?<quoted>.*)$/,
];

/** Source text safe to show in a message: a short name or tag, else only its length. */
export function excerpt(text: string): string {
  return /^!?[A-Za-z0-9_:./-]{1,48}$/.test(text) ? text : `(${text.length} characters, not shown)`;
}
