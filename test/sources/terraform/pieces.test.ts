import { beforeAll, describe, expect, test } from "vitest";
import { chunkStarts } from "../../../src/sources/terraform/chunks.js";
import { loadHclParser, parseHcl } from "../../../src/sources/terraform/parse.js";

/** A module whose text holds every construct that may hide a bracket or a line start from a naive cut. */
function item(i: number): string {
  return `resource "aws_s3_bucket" "b${i}" {
  bucket = "logs-\${var.env}-{${i}}"
  # a comment with a } brace
  tags = { Name = "x \${jsonencode({ a = "}" })} y", Other = "$\${literal} %%{not}" }
}

/* a block comment
   with "quotes" and {
names at column 0
*/
locals {
  policy_${i} = <<-EOT
    {
resource "not" "a block" {
    }
    EOT
  list_${i} = [
    1,
    2,
  ]
}

v_${i} = (
  1
)
`;
}

describe("a large HCL file parsed in pieces", () => {
  beforeAll(loadHclParser);
  const text = Array.from({ length: 40 }, (_, i) => item(i)).join("\n");

  test("is cut only before top-level items", () => {
    const starts = chunkStarts(text, 500);
    expect(starts.length).toBeGreaterThan(20);
    for (const start of starts.slice(1)) {
      expect(text.slice(start)).toMatch(/^(resource "aws_s3_bucket"|locals \{|v_\d+ = \()/);
    }
  });

  test("reads the same blocks, attributes and positions as the file parsed at once", () => {
    const atOnce = parseHcl(text, "main.tf", Number.POSITIVE_INFINITY);
    expect(atOnce.errors).toEqual([]);
    expect(atOnce.file.body.blocks.length).toBe(80);
    for (const size of [1, 700, 5000]) expect(parseHcl(text, "main.tf", size)).toEqual(atOnce);
  });

  test("with a syntax error in a piece is parsed at once, so that its errors and recovery stay the same", () => {
    const broken = `${text}\nresource "aws_kms_key" "k" {\n  enable_key_rotation = = true\n}\n${item(99)}`;
    const atOnce = parseHcl(broken, "main.tf", Number.POSITIVE_INFINITY);
    expect(atOnce.errors.length).toBeGreaterThan(0);
    expect(parseHcl(broken, "main.tf", 700)).toEqual(atOnce);
  });

  test("is not cut where the text cannot be followed", () => {
    expect(chunkStarts(`a = "open\nb = 1\nc = 2\n`, 1)).toEqual([0]);
    expect(chunkStarts(`a = <<EOT\nb = 1\nc = 2\n`, 1)).toEqual([0]);
    expect(chunkStarts(`a = 1\nb = 1\n}\nc = 2\nd = 3\n`, 1)).toEqual([0, 6]);
    expect(chunkStarts(`a = 1\nb = 2\n  c = 3\nd = 4\n`, 1)).toEqual([0, 6, 20]);
  });
});

/** Every node's kind, position and text, depth first: what a comparison of two trees must see. */
function outline(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const item of node) outline(item, out);
    return out;
  }
  if (typeof node !== "object" || node === null) return out;
  const n = node as Record<string, unknown>;
  if (n.pos) out.push(`${n.kind ?? n.type ?? n.name}@${JSON.stringify(n.pos)}:${n.text ?? ""}`);
  for (const key of Object.keys(n)) if (key !== "source" && key !== "pos") outline(n[key], out);
  return out;
}

describe("positions and texts of parsed nodes", () => {
  beforeAll(loadHclParser);

  test("are the same whether the file is parsed in pieces or at once", () => {
    const text = Array.from({ length: 30 }, (_, i) => item(i)).join("\r\n");
    const atOnce = outline(parseHcl(text, "main.tf", Number.POSITIVE_INFINITY).file.body);
    expect(atOnce.length).toBeGreaterThan(500);
    for (const size of [1, 900]) expect(outline(parseHcl(text, "main.tf", size).file.body)).toEqual(atOnce);
  });

  test("count columns in UTF-16 units and lines at line feeds, as tree-sitter does", () => {
    const { file } = parseHcl('a = "é😀"\r\nb = 1 # é\r\n  c = [1, "😀😀", (d).e]\n', "main.tf");
    const [a, , c] = file.body.attributes;
    expect(a?.pos).toEqual({ line: 1, column: 1, endLine: 1, endColumn: 10 });
    expect(c?.pos).toEqual({ line: 3, column: 3, endLine: 3, endColumn: 25 });
    expect(c?.expr.kind === "tuple" && c.expr.items.map((e) => [e.pos, e.text])).toEqual([
      [{ line: 3, column: 8, endLine: 3, endColumn: 9 }, "1"],
      [{ line: 3, column: 11, endLine: 3, endColumn: 17 }, '"😀😀"'],
      // A parenthesized target: the position starts inside the parenthesis, the text before it.
      [{ line: 3, column: 20, endLine: 3, endColumn: 24 }, "(d).e"],
    ]);
  });
});
