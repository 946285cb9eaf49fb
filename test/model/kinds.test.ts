import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BOOKKEEPING_FIELDS, type FieldType, KINDS } from "../../src/model/index.js";

const schema = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../policies/schema/${name}`, import.meta.url), "utf8"));

/** The snapshot schema's definition name of each kind. */
const camel = (kind: string) =>
  kind.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()).replace("key", "key");

describe("the kinds table is the one declaration of kinds", () => {
  it("gives the pack schema its scopes", () => {
    const scopes = schema("pack.schema.json").definitions.rule.properties.scope.enum;
    expect(scopes).toEqual(["account", ...KINDS.map((k) => k.kind)]);
  });

  it("lists the snapshot's resource lists, in its order", () => {
    const account = schema("snapshot.schema.json").definitions.account.properties;
    const lists = Object.keys(account).filter((k) => KINDS.some((spec) => spec.list === k));
    expect(lists).toEqual(KINDS.flatMap((k) => (k.list ? [k.list] : [])));
  });

  it.each(KINDS.map((k) => [k.kind, k] as const))(
    "declares the fields the snapshot schema has for %s",
    (kind, spec) => {
      const definitions = schema("snapshot.schema.json").definitions;
      const definition = definitions[camel(kind)];
      expect(definition, `snapshot schema definition for ${kind}`).toBeDefined();
      const own = Object.keys(definition.properties).filter(
        (f) => !["kind", "id", ...BOOKKEEPING_FIELDS].includes(f),
      );
      expect(own.sort()).toEqual(Object.keys(spec.fields).sort());
      // Nested objects agree too, wherever the schema spells them out.
      const compare = (field: FieldType, node: Record<string, unknown>, path: string) => {
        const resolved = resolve(node, definitions);
        if (typeof field === "string") return;
        if ("list" in field) {
          const items = findItems(resolved, definitions);
          if (items) compare(field.list, items, `${path}[]`);
          return;
        }
        const props = findProperties(resolved, definitions);
        // A policy statement's `location` is where it is written, not a setting.
        const names = props && Object.keys(props).filter((p) => p !== "location" && p !== "principalTypes");
        if (names) expect(names.sort(), path).toEqual(Object.keys(field.object).sort());
        for (const [name, sub] of Object.entries(field.object))
          if (props?.[name]) compare(sub, props[name], `${path}.${name}`);
      };
      for (const [name, field] of Object.entries(spec.fields))
        compare(field, definition.properties[name], `${kind}.${name}`);
    },
  );
});

type Node = Record<string, unknown>;
function resolve(node: Node, definitions: Record<string, Node>): Node {
  const ref = node.$ref;
  if (typeof ref === "string" && ref.startsWith("#/definitions/")) {
    return resolve(definitions[ref.slice("#/definitions/".length)] as Node, definitions);
  }
  return node;
}
/** The object properties a (possibly nullable or unknown-able) schema node describes. */
function findProperties(node: Node, definitions: Record<string, Node>): Record<string, Node> | undefined {
  if (node.properties && !(node.properties as Node).$unknown) return node.properties as Record<string, Node>;
  for (const alt of [...((node.anyOf as Node[]) ?? []), ...((node.oneOf as Node[]) ?? [])]) {
    const found = findProperties(resolve(alt, definitions), definitions);
    if (found) return found;
  }
  return undefined;
}
function findItems(node: Node, definitions: Record<string, Node>): Node | undefined {
  if (node.items) return resolve(node.items as Node, definitions);
  for (const alt of [...((node.anyOf as Node[]) ?? []), ...((node.oneOf as Node[]) ?? [])]) {
    const found = findItems(resolve(alt, definitions), definitions);
    if (found) return found;
  }
  return undefined;
}
