import { matchesWildcard, type Wildcard } from "../../model/wildcard.js";
import { Resolver } from "./intrinsics.js";
import { type ParsedFile, parseText } from "./parse.js";
import { isCloudFormation, readTemplateSections } from "./template.js";
import { entryOf, type RNode } from "./tree.js";

export interface ExportedValue {
  /** The template that exports it, as reports show it. */
  file: string;
  line: number;
  /** The resolved `Value`: a string known before deploy, or the reason it is not. */
  value: RNode;
}

/**
 * The `Outputs … Export` of the templates of one scan, by export name, so that `Fn::ImportValue` can be resolved
 * against them. Names that are known only at deploy time (`${AWS::StackName}-Logs`) are kept apart: an import
 * that such a name could match stays unknown, with the candidates named.
 */
export class ExportTable {
  private readonly byName = new Map<string, ExportedValue[]>();
  private readonly deployTimeNames: { pattern: Wildcard; text: string; from: ExportedValue }[] = [];
  /** Templates parsed to find their exports, kept for their read (each once), by path. */
  private readonly parsed = new Map<string, { text: string; parsed: ParsedFile }>();
  private parsedChars = 0;

  /**
   * Keeps a template's parse for its read, while the texts kept stay within `MAX_KEPT_CHARS`. A tree with expanded
   * aliases is not kept: its size does not follow its text's.
   */
  keepParsed(file: { path: string; text: string }, parsed: ParsedFile): void {
    if (parsed.aliasExpansions || this.parsed.has(file.path)) return;
    if (this.parsedChars + file.text.length > MAX_KEPT_CHARS) return;
    this.parsedChars += file.text.length;
    this.parsed.set(file.path, { text: file.text, parsed });
  }

  /** The parse kept for this file (of this very text), handed over once: the table lets go of it. */
  takeParsed(file: { path: string; text: string }): ParsedFile | undefined {
    const kept = this.parsed.get(file.path);
    if (!kept) return undefined;
    this.parsed.delete(file.path);
    this.parsedChars -= kept.text.length;
    return kept.text === file.text ? kept.parsed : undefined;
  }

  add(name: RNode, exported: ExportedValue): void {
    if (name.kind !== "scalar" || name.value === null) return;
    const text = String(name.value);
    if (name.deploy) {
      // Each `${…}` stands for at least one character.
      const pattern = { segments: text.split(/\$\{[^}]*\}/), gap: 1, anyOne: false };
      this.deployTimeNames.push({ pattern, text, from: exported });
      return;
    }
    const list = this.byName.get(text) ?? [];
    list.push(exported);
    this.byName.set(text, list);
  }

  /** The exported value for an import of `name`, a reason when it cannot be told, undefined when nobody exports it. */
  lookup(name: string): ExportedValue | string | undefined {
    const exact = this.byName.get(name) ?? [];
    const maybe = this.deployTimeNames.filter((d) => matchesWildcard(d.pattern, name));
    if (exact.length === 1 && maybe.length === 0) return exact[0];
    if (exact.length + maybe.length === 0) return undefined;
    const candidates = [
      ...exact.map((e) => `${e.file}:${e.line}`),
      ...maybe.map((d) => `${d.from.file}:${d.from.line} (as ${d.text})`),
    ];
    return `export ${JSON.stringify(name)} may come from more than one template of the scan: ${candidates.join(", ")}`;
  }

  get size(): number {
    return this.byName.size + this.deployTimeNames.length;
  }
}

/** Cheap test before parsing: only templates with Outputs that export can contribute. */
const MAY_EXPORT = /Outputs[\s\S]*Export/;

/**
 * How much template text the parses kept for the reads may amount to. A parsed tree without aliases takes about
 * 20 bytes per character of its text, so this keeps at most about 40 MB; past it (a scan where most templates
 * export), a template is parsed again when it is read.
 */
const MAX_KEPT_CHARS = 2 * 1024 * 1024;

/**
 * Reads the exports of every template among `files` (only those with Outputs with Export are parsed). Their parses
 * are kept in the table for `readTemplate`, so that a template is not parsed twice.
 */
export function collectExports(files: { path: string; text: string }[]): ExportTable {
  const table = new ExportTable();
  for (const file of files) {
    if (!MAY_EXPORT.test(file.text)) continue;
    const parsed = parseText(file.text);
    // Only a template's parse is kept: another reader (snapshots) may claim the file, and never take it.
    if (!isCloudFormation(parsed.root)) continue;
    table.keepParsed(file, parsed);
    const sections = readTemplateSections(parsed.root, []);
    const resolver = new Resolver(sections);
    const outputs = entryOf(parsed.root, "Outputs")?.value;
    if (outputs?.kind !== "map") continue;
    for (const output of outputs.entries) {
      if (output.value.kind !== "map") continue;
      const exportNode = entryOf(output.value, "Export")?.value;
      const nameNode = exportNode?.kind === "map" ? entryOf(exportNode, "Name")?.value : undefined;
      const valueNode = entryOf(output.value, "Value")?.value;
      if (!nameNode || !valueNode) continue;
      const condition = entryOf(output.value, "Condition")?.value;
      const name = resolver.value(nameNode);
      let value = resolver.value(valueNode) ?? {
        kind: "unknown",
        reason: "no Value",
        pos: valueNode.pos,
        refs: [],
      };
      if (condition?.kind === "scalar" && typeof condition.value === "string") {
        const decision = resolver.condition(condition.value, output.keyPos);
        if (decision === false) continue;
        if (decision !== true) {
          const reason = `exported only if condition ${condition.value} holds, which cannot be decided: ${decision.undecided}`;
          value = { kind: "unknown", reason, pos: valueNode.pos, refs: [] };
        }
      }
      if (name) table.add(name, { file: file.path, line: output.keyPos.line, value });
    }
  }
  return table;
}
