import type { StructureProblem } from "./template.js";
import { entryOf, type LEntry, type LNode } from "./tree.js";

/** Parameters by name, for a collection given as `!Ref` to a list parameter. */
export type ParameterDefaults = (name: string) => LNode | undefined;

/**
 * Expands `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]` (the `AWS::LanguageExtensions`
 * transform) into the resource entries it creates: `${Identifier}` and `&{Identifier}` in keys and strings, and
 * `Ref: Identifier`, take each value of the collection. A collection that is not known before deploy gives no
 * entries and a problem naming the loop. Nested loops expand too.
 */
export function expandForEach(
  entry: LEntry,
  parameter: ParameterDefaults,
  problems: StructureProblem[],
  depth = 0,
): LEntry[] {
  const args = entry.value;
  const fail = (why: string): LEntry[] => {
    problems.push({
      code: "unsupported",
      message: `${entry.key}: ${why}; the resources it creates are not known, so they are not checked`,
      pos: entry.keyPos,
      severity: "warning",
    });
    return [];
  };
  if (depth > 8) return fail("loops nested too deep");
  if (args.kind !== "seq" || args.items.length !== 3)
    return fail("expected [Identifier, Collection, {OutputKey: Value}]");
  const [identifierNode, collectionNode, outputNode] = args.items as [LNode, LNode, LNode];
  if (identifierNode.kind !== "scalar" || typeof identifierNode.value !== "string")
    return fail("the identifier is not a name");
  if (outputNode.kind !== "map") return fail("the output is not a mapping");
  const identifier = identifierNode.value;
  const values = collectionValues(collectionNode, parameter);
  if (typeof values === "string") return fail(values);

  const out: LEntry[] = [];
  for (const value of values) {
    for (const template of outputNode.entries) {
      const key = substitute(template.key, identifier, value);
      const body = replace(template.value, identifier, value);
      const produced = { key, keyPos: template.keyPos, value: body };
      if (!key.startsWith("Fn::ForEach::")) out.push(produced);
      // One by one: a nested loop may produce more entries than a call can take as arguments.
      else for (const inner of expandForEach(produced, parameter, problems, depth + 1)) out.push(inner);
    }
  }
  return out;
}

function collectionValues(node: LNode, parameter: ParameterDefaults): string[] | string {
  if (node.kind === "seq") {
    const values: string[] = [];
    for (const item of node.items) {
      if (item.kind !== "scalar" || item.value === null)
        return "the collection holds a value that is not a string";
      values.push(String(item.value));
    }
    return values;
  }
  const ref = node.kind === "map" && node.entries.length === 1 ? entryOf(node, "Ref")?.value : undefined;
  if (ref?.kind === "scalar" && typeof ref.value === "string") {
    const fallback = parameter(ref.value);
    if (fallback?.kind === "scalar" && fallback.value !== null) {
      return String(fallback.value)
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== "");
    }
    if (fallback?.kind === "seq") return collectionValues(fallback, parameter);
    return `the collection (parameter ${ref.value}) has no default; it is chosen at deploy time`;
  }
  return "the collection is not a list known before deploy";
}

function substitute(text: string, identifier: string, value: string): string {
  return text
    .split(`\${${identifier}}`)
    .join(value)
    .split(`&{${identifier}}`)
    .join(value.replace(/[^A-Za-z0-9]/g, ""));
}

function replace(node: LNode, identifier: string, value: string): LNode {
  switch (node.kind) {
    case "scalar":
      return typeof node.value === "string"
        ? { ...node, value: substitute(node.value, identifier, value) }
        : node;
    case "seq":
      return { ...node, items: node.items.map((item) => replace(item, identifier, value)) };
    case "map": {
      const only = node.entries.length === 1 ? node.entries[0] : undefined;
      if (only?.key === "Ref" && only.value.kind === "scalar" && only.value.value === identifier) {
        return { kind: "scalar", value, pos: node.pos };
      }
      return {
        ...node,
        entries: node.entries.map((e) => ({
          key: substitute(e.key, identifier, value),
          keyPos: e.keyPos,
          value: replace(e.value, identifier, value),
        })),
      };
    }
    default:
      return node;
  }
}
