import { describe, expect, test } from "vitest";
import type { InputError, SourceLocation } from "../../src/model/index.js";
import { isUnknown, Unknown, unknown } from "../../src/model/index.js";
import { FieldReader as AnswerReader, AWS_ANSWERS } from "../../src/sources/aws-api/fields.js";
import { FieldReader as TemplateReader } from "../../src/sources/cloudformation/fields.js";
import type { Pos, RNode } from "../../src/sources/cloudformation/tree.js";
import { type Coercion, type Shape, type SourceNodes, ValueReader } from "../../src/sources/fields.js";
import { LocatedJson } from "../../src/sources/json.js";
import { Fields } from "../../src/sources/terraform/fields.js";
import type { Val } from "../../src/sources/terraform/values.js";
import { read, reasonOf } from "./cloudformation/helpers.js";
import { scanFiles } from "./terraform/support.js";

/** Plain values as nodes; a read passes the location of the value it reads. */
class PlainNodes implements SourceNodes<unknown, SourceLocation> {
  readonly reported: { message: string; at: SourceLocation | undefined }[] = [];
  shape(v: unknown): Shape {
    if (v === undefined) return "absent";
    if (v === null) return "null";
    if (v instanceof Unknown) return "unknown";
    if (Array.isArray(v)) return "list";
    return typeof v === "object" ? "mapping" : "scalar";
  }
  scalar(v: unknown) {
    return v as string | number | boolean;
  }
  items(v: unknown) {
    return v as unknown[];
  }
  unknownOf(v: unknown) {
    return v as Unknown;
  }
  location(_v: unknown, at: SourceLocation | undefined) {
    return at;
  }
  report(message: string, at: SourceLocation | undefined) {
    this.reported.push({ message, at });
  }
}

/** No conversion but exact `true` / `false` and digits; each test relaxes what it is about. */
const STRICT: Coercion = { ...AWS_ANSWERS, numberText: /^\d+$/ };
const AT: SourceLocation = { file: "in.txt", line: 3, column: 5 };

function reader(coercion: Partial<Coercion> = {}, label?: string) {
  const nodes = new PlainNodes();
  return { nodes, r: new ValueReader(nodes, { ...STRICT, ...coercion }, { label, origin: "the answer" }) };
}

describe("the shared value reader", () => {
  test("absent is the fallback given, or null", () => {
    const { r } = reader();
    expect(r.str(undefined, "x")).toBeNull();
    expect(r.str(undefined, "x", "dflt")).toBe("dflt");
    expect(r.bool(undefined, "x", true)).toBe(true);
    expect(r.num(undefined, "x")).toBeNull();
    expect(r.strList(undefined, "x")).toBeNull();
    expect(r.list(undefined, "x")).toBeNull();
    expect(r.mapping(undefined, "x")).toBeNull();
  });

  test("null is absent where the source says so, else a value of the wrong type", () => {
    const absent = reader({ nullIsAbsent: true }).r;
    expect(absent.str(null, "x", "dflt", AT)).toBe("dflt");
    expect(absent.bool(null, "x", false, AT)).toBe(false);
    expect(absent.num(null, "x", AT)).toBeNull();
    expect(absent.strList(null, "x", false, AT)).toBeNull();
    const { r, nodes } = reader({ nullIsAbsent: false });
    for (const value of [
      r.str(null, "S", "dflt", AT),
      r.bool(null, "B", false, AT),
      r.num(null, "N", AT),
      r.strList(null, "L", false, AT),
      r.list(null, "I", AT),
      r.mapping(null, "M", AT),
    ])
      expect(reasonOf(value)).toMatch(/^[SBNLIM] must be .+, got null \(in\.txt:3\)$/);
    expect(nodes.reported).toHaveLength(6);
  });

  test("an unknown value is passed on as it is, also as an item", () => {
    const { r, nodes } = reader();
    const u = unknown("known after apply", AT);
    expect(r.str(u, "x")).toBe(u);
    expect(r.bool(u, "x", true)).toBe(u);
    expect(r.num(u, "x")).toBe(u);
    expect(r.strList(["a", u], "x")).toBe(u);
    expect(r.list([{}, u], "x")).toBe(u);
    expect(r.mapping(u, "x")).toBe(u);
    expect(nodes.reported).toEqual([]);
  });

  test("strings: numbers and booleans are their text only where the source converts them", () => {
    expect(reader({ scalarsAsText: true }).r.str(5, "x")).toBe("5");
    expect(reader({ scalarsAsText: true }).r.str(false, "x")).toBe("false");
    const { r, nodes } = reader({ scalarsAsText: false }, "res");
    expect(r.str("a", "x")).toBe("a");
    expect(reasonOf(r.str(5, "Name", null, AT))).toBe("res: Name must be a string, got number 5 (in.txt:3)");
    expect(reasonOf(r.str(["a"], "Name", null, AT))).toMatch(/got a list/);
    expect(reasonOf(r.str({}, "Name", null, AT))).toMatch(/got a mapping/);
    expect(nodes.reported.map((x) => x.at)).toEqual([AT, AT, AT]);
  });

  test("a long string is shown by its start", () => {
    const { r } = reader();
    const long = `{"Statement": [${"x".repeat(200)}]}`;
    expect(reasonOf(r.bool(long, "On", false, AT))).toBe(
      `On must be a boolean, got string ${JSON.stringify(`${long.slice(0, 60)}…`)} (in.txt:3)`,
    );
  });

  test("booleans: the source's texts, folded and trimmed only where it says", () => {
    const exact = reader().r;
    expect(exact.bool(true, "x", false)).toBe(true);
    expect(exact.bool("false", "x", true)).toBe(false);
    expect(isUnknown(exact.bool("TRUE", "x", false))).toBe(true);
    expect(isUnknown(exact.bool(" true", "x", false))).toBe(true);
    expect(isUnknown(exact.bool(1, "x", false))).toBe(true);
    const loose = reader({ foldsBooleanCase: true, trimsText: true, trueText: ["true", "yes"] }).r;
    expect(loose.bool(" TRUE ", "x", false)).toBe(true);
    expect(loose.bool("Yes", "x", false)).toBe(true);
    expect(reasonOf(loose.bool("maybe", "On", false, AT))).toBe(
      'On must be a boolean, got string "maybe" (in.txt:3)',
    );
  });

  test("numbers: strings of the source's number syntax, finite only", () => {
    const { r } = reader({ numberText: /^-?\d+(\.\d+)?(e\d+)?$/ });
    expect(r.num(7, "x")).toBe(7);
    expect(r.num("-2.5", "x")).toBe(-2.5);
    expect(isUnknown(r.num("1e999", "x"))).toBe(true);
    expect(isUnknown(r.num(" 4", "x"))).toBe(true);
    expect(reader({ trimsText: true }).r.num(" 4 ", "x")).toBe(4);
    expect(isUnknown(r.num(true, "x"))).toBe(true);
  });

  test("lists of strings: items read as strings; a string alone only when asked", () => {
    const { r } = reader({ scalarsAsText: true });
    expect(r.strList(["a", 1, true], "x")).toEqual(["a", "1", "true"]);
    expect(r.strList("a", "x", true)).toEqual(["a"]);
    expect(reasonOf(r.strList("a", "Values", false, AT))).toBe(
      'Values must be a list of strings, got string "a" (in.txt:3)',
    );
    expect(reasonOf(r.strList(["a", null], "Values", false, AT))).toBe(
      "Values items must be strings, got null (in.txt:3)",
    );
    expect(reasonOf(r.strList(["a", ["b"]], "Values", false, AT))).toMatch(
      /items must be strings, got a list/,
    );
    expect(isUnknown(reader().r.strList([1], "x"))).toBe(true);
  });

  test("lists and mappings", () => {
    const { r } = reader();
    const items = [{ a: 1 }, "b"];
    expect(r.list(items, "x")).toBe(items);
    expect(reasonOf(r.list({}, "x", AT))).toMatch(/x must be a list, got a mapping/);
    const m = { a: 1 };
    expect(r.mapping(m, "x")).toBe(m);
    expect(reasonOf(r.mapping([], "x", AT))).toMatch(/x must be a mapping, got a list/);
  });

  test("fields are recorded where read; a place without a location is named by the origin", () => {
    const { r } = reader();
    r.record("a", AT);
    r.record("b", undefined);
    expect(r.fieldLocations).toEqual({ a: AT });
    const u = r.num("x", "Count");
    expect(reasonOf(u)).toBe('Count must be a number, got string "x" (the answer)');
    expect((u as Unknown).location).toBeUndefined();
  });
});

// ---------------------------------------------------------------- the sources' conversions

const pos = (line: number): Pos => ({ line, column: 3, endLine: line, endColumn: 9 });
const scalar = (value: string | number | boolean | null, line = 4): RNode => ({
  kind: "scalar",
  value,
  pos: pos(line),
  refs: [],
});

function template() {
  const errors: InputError[] = [];
  const r = new TemplateReader({ file: "t.yaml", errors }, "T (AWS::X::Y)");
  const got = (node: RNode | undefined) => ({ node, pos: pos(2) });
  return { errors, r, got };
}

function answer(text: string) {
  const file = LocatedJson.parse("a.json", text);
  const r = new AnswerReader(file, {});
  return { r, root: file.root };
}

function config() {
  const warnings: string[] = [];
  const f = new Fields("aws_x.y", (m) => warnings.push(m));
  const loc: SourceLocation = { file: "main.tf", line: 7, column: 3 };
  const got = (value: Val | undefined) => ({ value, loc, refs: [] });
  return { warnings, f, got };
}

/** How each source reads one string where a boolean or a number is expected (the value, or "wrong"). */
function readAs(kind: "bool" | "num", text: string) {
  const t = template();
  const a = answer(JSON.stringify({ v: text }));
  const node = a.root.kind === "object" ? a.root.members.get("v") : undefined;
  const c = config();
  const show = (v: unknown) => (isUnknown(v) ? "wrong" : v);
  if (kind === "bool")
    return {
      cloudformation: show(t.r.bool(t.got(scalar(text)), "V", false)),
      aws: show(a.r.bool(node, null, "V", null)),
      terraform: show(c.f.bool(c.got(text), "v", false)),
    };
  return {
    cloudformation: show(t.r.num(t.got(scalar(text)), "V")),
    aws: show(a.r.num(node, null, "V")),
    terraform: show(c.f.num(c.got(text), "v")),
  };
}

describe("each source converts as its format does", () => {
  test.each([
    ["true", true, true, true],
    ["false", false, false, false],
    // CloudFormation takes booleans in any case and with blanks around; AWS answers and Terraform do not.
    ["TRUE", true, "wrong", "wrong"],
    [" false ", false, "wrong", "wrong"],
    // cty converts "1" and "0" to a bool; nothing else does.
    ["1", "wrong", "wrong", true],
    ["0", "wrong", "wrong", false],
    ["yes", "wrong", "wrong", "wrong"],
  ])("the string %j as a boolean", (text, cloudformation, aws, terraform) => {
    expect(readAs("bool", text)).toEqual({ cloudformation, aws, terraform });
  });

  test.each([
    ["30", 30, 30, 30],
    ["-4", -4, -4, -4],
    // AWS answers give integers as strings (SNS attributes); the IaC formats take any decimal.
    ["2.5", 2.5, "wrong", 2.5],
    ["1e3", 1000, "wrong", 1000],
    // Blanks: CloudFormation's conversion trims them, cty's does not.
    [" 7 ", 7, "wrong", "wrong"],
    // Not decimal numbers anywhere (JavaScript's Number() would read them).
    ["0x1E", "wrong", "wrong", "wrong"],
    ["0b11", "wrong", "wrong", "wrong"],
    ["", "wrong", "wrong", "wrong"],
    ["1e999", "wrong", "wrong", "wrong"],
  ])("the string %j as a number", (text, cloudformation, aws, terraform) => {
    expect(readAs("num", text)).toEqual({ cloudformation, aws, terraform });
  });

  test("a long run of digits from an input is read in time linear in its length", () => {
    // With a pattern that lets the digits split two ways, 40,000 digits took seconds and 400,000 minutes.
    const digits = "1".repeat(400_000);
    expect(readAs("num", `${digits}x`)).toEqual({
      cloudformation: "wrong",
      aws: "wrong",
      terraform: "wrong",
    });
    expect(readAs("num", `${"0".repeat(400_000)}.5`)).toEqual({
      cloudformation: 0.5,
      aws: "wrong",
      terraform: 0.5,
    });
  });

  test("numbers and booleans as strings: the IaC formats convert them, AWS answers do not", () => {
    const t = template();
    expect(t.r.str(t.got(scalar(12)), "V")).toBe("12");
    const c = config();
    expect(c.f.str(c.got(true), "v")).toBe("true");
    const a = answer('{"v": 12}');
    const v = a.root.kind === "object" ? a.root.members.get("v") : undefined;
    expect(reasonOf(a.r.str(v, "f", "V"))).toBe("V must be a string, got number 12 (a.json:1)");
  });

  test("one message for a value of the wrong type, in every source", () => {
    const t = template();
    expect(reasonOf(t.r.bool(t.got(scalar("maybe", 9)), "IsLogging", false))).toBe(
      'T (AWS::X::Y): IsLogging must be a boolean, got string "maybe" (t.yaml:9)',
    );
    expect(t.errors.map((e) => [e.message, e.line, e.severity])).toEqual([
      ['T (AWS::X::Y): IsLogging must be a boolean, got string "maybe" (t.yaml:9)', 9, "warning"],
    ]);
    const c = config();
    expect(reasonOf(c.f.bool(c.got("maybe"), "enable_logging", false))).toBe(
      'aws_x.y: enable_logging must be a boolean, got string "maybe" (main.tf:7)',
    );
    expect(c.warnings).toHaveLength(1);
    const a = answer('{\n  "v": "maybe"\n}');
    const v = a.root.kind === "object" ? a.root.members.get("v") : undefined;
    expect(reasonOf(a.r.bool(v, null, "IsLogging", null))).toBe(
      'IsLogging must be a boolean, got string "maybe" (a.json:2)',
    );
  });

  test("an item of the wrong type is named, not the list", () => {
    const c = config();
    expect(reasonOf(c.f.strList(c.got(["a", { k: "b" }]), "values"))).toBe(
      "aws_x.y: values items must be strings, got a mapping (main.tf:7)",
    );
  });

  test("a string where an AWS answer has a list is not a list of one", () => {
    const a = answer('{"AlarmActions": "arn:aws:sns:us-east-1:1:t"}');
    const v = a.root.kind === "object" ? a.root.members.get("AlarmActions") : undefined;
    expect(reasonOf(a.r.strList(v, "alarmActions", "AlarmActions"))).toMatch(
      /^AlarmActions must be a list of strings, got string/,
    );
  });
});

const TRAIL = `Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: logs
`;

describe("the mappers read with the sources' conversions", () => {
  test("CloudFormation: a null property is refused, not taken as unset", () => {
    const fragment = read(`${TRAIL}      S3KeyPrefix:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: ~
`);
    expect(reasonOf(fragment.trails[0]?.s3KeyPrefix)).toMatch(/S3KeyPrefix must be a string, got null/);
    expect(reasonOf(fragment.logGroups[0]?.retentionInDays)).toMatch(
      /RetentionInDays must be a number, got null/,
    );
    expect(fragment.errors.filter((e) => e.severity === "warning").map((e) => e.line)).toEqual([7, 11]);
  });

  test("CloudFormation: a list where a mapping holds the properties read has the one message form", () => {
    const fragment = read(`${TRAIL}      EventSelectors:
        - [ReadWriteType, All]
`);
    const selectors = fragment.trails[0]?.eventSelectors;
    const first = Array.isArray(selectors) ? selectors[0]?.readWriteType : selectors;
    expect(reasonOf(first)).toBe(
      "Trail (AWS::CloudTrail::Trail): the value that holds ReadWriteType must be a mapping, got a list (template.yaml:8)",
    );
    expect(fragment.errors).toContainEqual(expect.objectContaining({ line: 8, severity: "warning" }));
  });

  test("CloudFormation: a hexadecimal string is not a number", () => {
    const fragment = read(`Resources:
  Logs:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: "0x1E"
`);
    expect(reasonOf(fragment.logGroups[0]?.retentionInDays)).toMatch(/must be a number, got string "0x1E"/);
  });

  test("CloudFormation: an unknown item of a list is the list's Unknown, with the item's reason", () => {
    const fragment = read(`${TRAIL}      EventSelectors:
        - DataResources:
            - Type: AWS::S3::Object
              Values: [!ImportValue shared-bucket-arn]
`);
    const selectors = fragment.trails[0]?.eventSelectors;
    const values = Array.isArray(selectors) ? selectors[0]?.dataResources : undefined;
    const reason = reasonOf(Array.isArray(values) ? values[0]?.values : values);
    // As an unknown value alone is passed on: its reason already says what and where.
    expect(reason).toMatch(/^Fn::ImportValue "shared-bucket-arn" \(line 10\)/);
  });

  test("Terraform: the strings 1 and 0 are booleans, as cty converts them", () => {
    const r = scanFiles({
      "main.tf": `resource "aws_cloudtrail" "t" {
  name = "t"
  s3_bucket_name = "b"
  enable_logging = "0"
  enable_log_file_validation = "1"
}
`,
    });
    const [trail] = r.account.trails;
    expect(trail?.isLogging).toBe(false);
    expect(trail?.logFileValidationEnabled).toBe(true);
    expect(r.errors).toEqual([]);
  });

  test("Terraform: a number with blanks around it is not a number", () => {
    const r = scanFiles({
      "main.tf": `resource "aws_cloudwatch_log_group" "g" {
  name = "g"
  retention_in_days = " 30 "
}
`,
    });
    expect(reasonOf(r.account.logGroups[0]?.retentionInDays)).toBe(
      'aws_cloudwatch_log_group.g: retention_in_days must be a number, got string " 30 " (main.tf:3)',
    );
  });

  test("Terraform: variables of a declared type and tobool()/tonumber() convert by the same rules", () => {
    const r = scanFiles({
      "main.tf": `variable "on" {
  type = bool
}
variable "days" {
  type = number
}
resource "aws_cloudtrail" "t" {
  name = "t"
  s3_bucket_name = "b"
  enable_logging = var.on
  include_global_service_events = tobool("0")
}
resource "aws_cloudwatch_log_group" "a" {
  name = "a"
  retention_in_days = var.days
}
resource "aws_cloudwatch_log_group" "b" {
  name = "b"
  retention_in_days = tonumber("0x10")
}
`,
      "terraform.tfvars": `on = "1"\ndays = " 30"\n`,
    });
    const [trail] = r.account.trails;
    expect(trail?.isLogging).toBe(true);
    expect(trail?.includeGlobalServiceEvents).toBe(false);
    const [a, b] = r.account.logGroups;
    expect(reasonOf(a?.retentionInDays)).toMatch(/retention_in_days must be a number, got string " 30"/);
    expect(reasonOf(b?.retentionInDays)).toMatch(/tonumber\(\) cannot convert "0x10"/);
  });
});
