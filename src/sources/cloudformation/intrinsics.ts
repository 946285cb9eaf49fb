import type { InputErrorCode } from "../../model/index.js";
import { append } from "../../model/index.js";
import { placeholder as placeholderText } from "./context.js";
import type { ResourceDecl, Template } from "./template.js";
import {
  entryOf,
  type LEntry,
  type LNode,
  NO_REFS,
  type Pos,
  type REntry,
  type RemovedEntry,
  type RMap,
  type RNode,
  type RScalar,
  type RSeq,
  type RUnknown,
  refsOf,
} from "./tree.js";

/** `Ref: AWS::NoValue`: the property is removed. */
export const NO_VALUE = Symbol("AWS::NoValue");
export type Resolved = RNode | typeof NO_VALUE;

/** An export of another template by name: its value, a reason it cannot be told, or undefined when none. */
export type ImportLookup = (
  name: string,
) => { file: string; line: number; value: RNode } | string | undefined;

/** Condition outcome: decided, or undecidable with the reason. */
export type Decision = boolean | { undecided: string };

const PSEUDO_PLACEHOLDERS = new Set([
  "AWS::AccountId",
  "AWS::Region",
  "AWS::Partition",
  "AWS::StackName",
  "AWS::StackId",
  "AWS::URLSuffix",
]);

/** The property that holds a resource's physical name, which `Ref` returns (simplified: see report). */
export const NAME_PROPERTY: Record<string, string> = {
  "AWS::S3::Bucket": "BucketName",
  "AWS::SNS::Topic": "TopicName",
  "AWS::Logs::LogGroup": "LogGroupName",
  "AWS::CloudTrail::Trail": "TrailName",
  "AWS::KMS::Alias": "AliasName",
  "AWS::IAM::Role": "RoleName",
  "AWS::Logs::MetricFilter": "FilterName",
  "AWS::CloudWatch::Alarm": "AlarmName",
};

/** `Fn::GetAtt` attributes that are the declared physical name. */
const NAME_ATTRIBUTE: Record<string, string> = {
  "AWS::SNS::Topic/TopicName": "TopicName",
  "AWS::KMS::Alias/AliasName": "AliasName",
};

export interface Problem {
  code: InputErrorCode;
  message: string;
  pos: Pos;
  severity: "error" | "warning";
}

function unknownNode(reason: string, pos: Pos, refs: string[] = NO_REFS): RUnknown {
  return { kind: "unknown", reason, pos, refs };
}

function scalar(value: RScalar["value"], pos: Pos, refs: string[] = NO_REFS, deploy = false): RScalar {
  return deploy ? { kind: "scalar", value, pos, refs, deploy } : { kind: "scalar", value, pos, refs };
}

function placeholder(text: string, pos: Pos, refs: string[] = NO_REFS): RScalar {
  return scalar(placeholderText(text), pos, refs, true);
}

function at(pos: Pos): string {
  return `line ${pos.line}`;
}

/**
 * Evaluates CloudFormation intrinsic functions over the located tree. Values that exist but are only known at
 * deploy time become placeholder strings (`${AWS::AccountId}`, `${Bucket}`, `${Key.Arn}`); values that cannot be
 * decided become Unknown nodes with the reason. Never guesses.
 */
export class Resolver {
  private readonly conditionMemo = new Map<string, Decision>();
  private readonly conditionsInProgress = new Set<string>();
  private readonly refsInProgress = new Set<string>();
  private readonly warned = new Set<string>();
  readonly problems: Problem[] = [];

  constructor(
    readonly template: Template,
    /** The exports of the other templates of the scan, for `Fn::ImportValue`. */
    private readonly imports?: ImportLookup,
  ) {}

  warn(message: string, pos: Pos): void {
    const key = `${pos.line}\u0000${message}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.problems.push({ code: "unresolved", message, pos, severity: "warning" });
  }

  /**
   * The resolved value of a node. A part of the template without intrinsic functions is its own resolved value
   * (a parsed scalar is a resolved scalar that refers to nothing): it is shared, not copied, and a mapping or list
   * is made anew only when one of its values changed. (The casts below state that: a node that resolved to itself
   * holds no intrinsic function, so it is a resolved node too.)
   */
  resolve(node: LNode): Resolved {
    switch (node.kind) {
      case "scalar":
        return node;
      case "bad":
        return unknownNode(node.reason, node.pos);
      case "seq": {
        let items: RNode[] | undefined;
        for (let i = 0; i < node.items.length; i++) {
          const item = node.items[i] as LNode;
          const r = this.resolve(item);
          if (r === item) {
            items?.push(r);
            continue;
          }
          items ??= node.items.slice(0, i) as RNode[];
          if (r !== NO_VALUE) items.push(r);
        }
        return items ? { kind: "seq", items, pos: node.pos } : (node as RSeq);
      }
      case "map": {
        const only = node.entries.length === 1 ? node.entries[0] : undefined;
        if (only && (only.key === "Ref" || only.key.startsWith("Fn::")))
          return this.intrinsic(only, node.pos);
        let entries: REntry[] | undefined;
        // Few mappings lose a key to AWS::NoValue: the list of removed keys is made only for those.
        let removed: RemovedEntry[] | undefined;
        for (let i = 0; i < node.entries.length; i++) {
          const e = node.entries[i] as LEntry;
          const r = this.resolve(e.value);
          if (r === e.value) {
            entries?.push(e as REntry);
            continue;
          }
          entries ??= node.entries.slice(0, i) as REntry[];
          if (r !== NO_VALUE) entries.push({ key: e.key, keyPos: e.keyPos, value: r });
          else {
            removed ??= [];
            removed.push({ key: e.key, keyPos: e.keyPos });
          }
        }
        if (!entries) return node as RMap;
        return removed
          ? { kind: "map", entries, pos: node.pos, removed }
          : { kind: "map", entries, pos: node.pos };
      }
    }
  }

  /** Resolves and maps NoValue to `undefined` (an absent property). */
  value(node: LNode | undefined): RNode | undefined {
    if (!node) return undefined;
    const r = this.resolve(node);
    return r === NO_VALUE ? undefined : r;
  }

  private intrinsic(entry: LEntry, pos: Pos): Resolved {
    const fn = entry.key;
    const arg = entry.value;
    switch (fn) {
      case "Ref":
        if (arg.kind !== "scalar" || typeof arg.value !== "string") return this.malformed(fn, pos, "a name");
        return this.ref(arg.value, pos);
      case "Fn::GetAtt":
        return this.getAtt(arg, pos);
      case "Fn::Sub":
        return this.sub(arg, pos);
      case "Fn::Join":
        return this.join(arg, pos);
      case "Fn::Select":
        return this.select(arg, pos);
      case "Fn::Split":
        return this.split(arg, pos);
      case "Fn::FindInMap":
        return this.findInMap(arg, pos);
      case "Fn::If":
        return this.fnIf(arg, pos);
      case "Fn::Equals":
      case "Fn::And":
      case "Fn::Or":
      case "Fn::Not": {
        const d = this.decide({ kind: "map", entries: [entry], pos });
        return typeof d === "boolean" ? scalar(d, pos) : unknownNode(d.undecided, pos);
      }
      case "Fn::ImportValue":
        return this.importValue(arg, pos);
      case "Fn::GetAZs":
        return unknownNode(
          `Fn::GetAZs (${at(pos)}): the list of Availability Zones is known only at deploy time`,
          pos,
        );
      case "Fn::Cidr":
        return unknownNode(`Fn::Cidr (${at(pos)}) is not evaluated`, pos);
      case "Fn::Transform":
        return unknownNode(`Fn::Transform (${at(pos)}) runs a macro at deploy time`, pos);
      case "Fn::Base64": {
        const inner = this.value(arg);
        if (inner?.kind === "scalar" && !inner.deploy && inner.value !== null) {
          return scalar(Buffer.from(String(inner.value)).toString("base64"), pos, refsOf(inner));
        }
        return unknownNode(`Fn::Base64 (${at(pos)}) of a value known only at deploy time`, pos);
      }
      case "Fn::ToJsonString": {
        const inner = this.value(arg);
        const plain = inner ? toPlain(inner) : undefined;
        if (plain === undefined)
          return unknownNode(`Fn::ToJsonString (${at(pos)}) of an undecidable value`, pos);
        return scalar(JSON.stringify(plain), pos, [], JSON.stringify(plain).includes("${"));
      }
      case "Fn::Length": {
        const inner = this.value(arg);
        if (inner?.kind === "seq") return scalar(inner.items.length, pos);
        return unknownNode(`Fn::Length (${at(pos)}) of a value that is not a known list`, pos);
      }
      default:
        return unknownNode(`${fn} (${at(pos)}) is not supported by trailguard`, pos);
    }
  }

  private importValue(arg: LNode, pos: Pos): RNode {
    const name = this.value(arg);
    if (name?.kind !== "scalar" || name.value === null) {
      const why = name?.kind === "unknown" ? name.reason : "the name is not a string";
      return unknownNode(`Fn::ImportValue (${at(pos)}): the export name cannot be told: ${why}`, pos);
    }
    const label = JSON.stringify(String(name.value));
    if (name.deploy) {
      return unknownNode(
        `Fn::ImportValue ${label} (${at(pos)}): the export name is known only at deploy time`,
        pos,
      );
    }
    const found = this.imports?.(String(name.value));
    if (found === undefined) {
      return unknownNode(
        `Fn::ImportValue ${label} (${at(pos)}) is exported by no template of the scan; its value is known only at deploy time`,
        pos,
      );
    }
    if (typeof found === "string") return unknownNode(`Fn::ImportValue ${label} (${at(pos)}): ${found}`, pos);
    const where = `exported by ${found.file}:${found.line}`;
    const value = found.value;
    // Resource references of the exporting template mean nothing here: only a value known as text is taken.
    if (value.kind === "scalar" && !value.deploy && value.value !== null) return scalar(value.value, pos);
    const why = value.kind === "unknown" ? value.reason : "a value known only at deploy time";
    return unknownNode(`Fn::ImportValue ${label} (${at(pos)}), ${where}: ${why}`, pos);
  }

  private malformed(fn: string, pos: Pos, expected: string): RUnknown {
    const reason = `malformed ${fn} (${at(pos)}): expected ${expected}`;
    this.warn(reason, pos);
    return unknownNode(reason, pos);
  }

  // ---------------------------------------------------------------- Ref / GetAtt

  ref(name: string, pos: Pos): Resolved {
    if (name === "AWS::NoValue") return NO_VALUE;
    if (PSEUDO_PLACEHOLDERS.has(name)) return placeholder(name, pos);
    if (name === "AWS::NotificationARNs") {
      return unknownNode(`Ref AWS::NotificationARNs (${at(pos)}) is known only at deploy time`, pos);
    }
    const param = this.template.parameters.get(name);
    if (param) return this.parameter(name, pos);
    const resource = this.template.resources.get(name);
    if (resource) return this.resourceRef(resource, pos);
    return unknownNode(`Ref ${name} (${at(pos)}): neither a parameter nor a resource of this template`, pos);
  }

  private parameter(name: string, pos: Pos): Resolved {
    const param = this.template.parameters.get(name);
    if (!param) return unknownNode(`parameter ${name} is not declared`, pos);
    if (param.type.startsWith("AWS::SSM::Parameter::Value")) {
      return unknownNode(`parameter ${name} is read from SSM Parameter Store at deploy time`, pos);
    }
    if (!param.default) {
      return unknownNode(`parameter ${name} has no default; its value is chosen at deploy time`, pos);
    }
    // A secret's default stays a placeholder: set, but its text is never read into the model or a message.
    if (param.noEcho) return placeholder(name, pos);
    const d = param.default;
    if (d.kind !== "scalar") {
      if (d.kind === "seq") return this.resolve(d);
      return unknownNode(`parameter ${name} has a Default that is not a value`, pos);
    }
    const isList = param.type === "CommaDelimitedList" || param.type.startsWith("List<");
    if (isList) {
      const text = d.value === null ? "" : String(d.value);
      const items = text === "" ? [] : text.split(",").map((s) => scalar(s.trim(), pos));
      return { kind: "seq", items, pos };
    }
    return scalar(d.value === null ? "" : d.value, pos);
  }

  private resourceRef(resource: ResourceDecl, pos: Pos): Resolved {
    const id = resource.logicalId;
    const nameProp = resource.type ? NAME_PROPERTY[resource.type] : undefined;
    if (!nameProp) return placeholder(id, pos, [id]);
    return this.declaredName(resource, nameProp, pos) ?? placeholder(id, pos, [id]);
  }

  /** The resource's declared physical name (as a value referring to it), or undefined when it declares none. */
  declaredName(resource: ResourceDecl, property: string, pos: Pos): RNode | undefined {
    const id = resource.logicalId;
    const props = resource.properties?.value;
    const nameNode = props?.kind === "map" ? entryOf(props, property)?.value : undefined;
    if (!nameNode) return undefined;
    const guard = `${id}/${property}`;
    if (this.refsInProgress.has(guard)) {
      return unknownNode(`circular reference through ${id}.${property} (${at(pos)})`, pos, [id]);
    }
    this.refsInProgress.add(guard);
    try {
      const name = this.value(nameNode);
      if (!name) return undefined;
      if (name.kind === "scalar") return scalar(name.value, pos, [id], name.deploy === true);
      if (name.kind === "unknown") {
        return unknownNode(`${property} of ${id} is not known: ${name.reason}`, pos, [id]);
      }
      return unknownNode(`${property} of ${id} is not a string`, pos, [id]);
    } finally {
      this.refsInProgress.delete(guard);
    }
  }

  private getAtt(arg: LNode, pos: Pos): Resolved {
    let resourceName: string | undefined;
    let attribute: string | undefined;
    if (arg.kind === "scalar" && typeof arg.value === "string") {
      const dot = arg.value.indexOf(".");
      if (dot > 0) {
        resourceName = arg.value.slice(0, dot);
        attribute = arg.value.slice(dot + 1);
      }
    } else if (arg.kind === "seq" && arg.items.length === 2) {
      const [r, a] = arg.items;
      if (r?.kind === "scalar" && typeof r.value === "string") resourceName = r.value;
      const attr = a ? this.value(a) : undefined;
      if (attr?.kind === "scalar" && typeof attr.value === "string" && !attr.deploy) attribute = attr.value;
      else if (attr?.kind === "unknown")
        return unknownNode(`Fn::GetAtt attribute is not known: ${attr.reason}`, pos);
    }
    if (!resourceName || !attribute) return this.malformed("Fn::GetAtt", pos, "[LogicalId, Attribute]");
    return this.attribute(resourceName, attribute, pos);
  }

  attribute(resourceName: string, attribute: string, pos: Pos): Resolved {
    const resource = this.template.resources.get(resourceName);
    if (!resource) {
      return unknownNode(
        `Fn::GetAtt ${resourceName}.${attribute} (${at(pos)}): no such resource in this template`,
        pos,
      );
    }
    const nameProp = resource.type ? NAME_ATTRIBUTE[`${resource.type}/${attribute}`] : undefined;
    const declared = nameProp ? this.declaredName(resource, nameProp, pos) : undefined;
    return declared ?? placeholder(`${resourceName}.${attribute}`, pos, [resourceName]);
  }

  // ---------------------------------------------------------------- string functions

  private sub(arg: LNode, pos: Pos): Resolved {
    let text: string | undefined;
    let vars: Map<string, LNode> | undefined;
    if (arg.kind === "scalar" && typeof arg.value === "string") text = arg.value;
    else if (arg.kind === "seq" && arg.items.length === 2) {
      const [t, v] = arg.items;
      if (t?.kind === "scalar" && typeof t.value === "string") text = t.value;
      if (v?.kind === "map") vars = new Map(v.entries.map((e) => [e.key, e.value]));
    }
    if (text === undefined) return this.malformed("Fn::Sub", pos, "a string or [string, {variables}]");

    let out = "";
    let deploy = false;
    const refs: string[] = [];
    const unknowns: string[] = [];
    let last = 0;
    // Each `${` up to the first `}` after it, as the regular expression `\$\{([^}]*)\}` finds them.
    for (let start = text.indexOf("${"); start >= 0; start = text.indexOf("${", last)) {
      const end = text.indexOf("}", start + 2);
      if (end < 0) break;
      out += text.slice(last, start);
      last = end + 1;
      const inner = text.slice(start + 2, end);
      if (inner.startsWith("!")) {
        out += `\${${inner.slice(1)}}`;
        continue;
      }
      const name = inner.trim();
      let value: Resolved;
      const variable = vars?.get(name);
      if (variable) value = this.resolve(variable);
      else if (name.includes(".") && !name.startsWith("AWS::")) {
        const dot = name.indexOf(".");
        value = this.attribute(name.slice(0, dot), name.slice(dot + 1), pos);
      } else value = this.ref(name, pos);
      if (value === NO_VALUE) continue;
      if (value.kind === "scalar") {
        out += value.value === null ? "" : String(value.value);
        deploy ||= value.deploy === true;
        append(refs, refsOf(value));
      } else if (value.kind === "unknown") {
        unknowns.push(`\${${name}}: ${value.reason}`);
        append(refs, refsOf(value));
      } else {
        unknowns.push(`\${${name}} is ${value.kind === "seq" ? "a list" : "a mapping"}, not a string`);
      }
    }
    out += text.slice(last);
    if (unknowns.length > 0) {
      return unknownNode(
        `Fn::Sub (${at(pos)}) cannot be evaluated: ${unknowns.join("; ")}`,
        pos,
        unique(refs),
      );
    }
    return scalar(out, pos, unique(refs), deploy);
  }

  private join(arg: LNode, pos: Pos): Resolved {
    if (arg.kind !== "seq" || arg.items.length !== 2)
      return this.malformed("Fn::Join", pos, "[delimiter, [values]]");
    const [d, l] = arg.items as [LNode, LNode];
    const delim = this.value(d);
    if (delim?.kind !== "scalar" || typeof delim.value !== "string") {
      return this.malformed("Fn::Join", pos, "a string delimiter");
    }
    const list = this.value(l);
    if (list?.kind === "unknown")
      return unknownNode(`Fn::Join (${at(pos)}) over ${list.reason}`, pos, list.refs);
    if (list?.kind !== "seq") return this.malformed("Fn::Join", pos, "a list of values");
    return this.concat(list, delim.value, "Fn::Join", pos);
  }

  private concat(list: RSeq, delim: string, fn: string, pos: Pos): RNode {
    const parts: string[] = [];
    const refs: string[] = [];
    const unknowns: string[] = [];
    let deploy = false;
    for (const item of list.items) {
      if (item.kind === "scalar") {
        parts.push(item.value === null ? "" : String(item.value));
        append(refs, refsOf(item));
        deploy ||= item.deploy === true;
      } else if (item.kind === "unknown") {
        unknowns.push(item.reason);
        append(refs, refsOf(item));
      } else {
        unknowns.push(`an item at line ${item.pos.line} is not a string`);
      }
    }
    if (unknowns.length > 0) {
      return unknownNode(`${fn} (${at(pos)}) cannot be evaluated: ${unknowns.join("; ")}`, pos, unique(refs));
    }
    return scalar(parts.join(delim), pos, unique(refs), deploy);
  }

  private select(arg: LNode, pos: Pos): Resolved {
    if (arg.kind !== "seq" || arg.items.length !== 2)
      return this.malformed("Fn::Select", pos, "[index, [values]]");
    const [i, l] = arg.items as [LNode, LNode];
    const index = this.value(i);
    const n = index?.kind === "scalar" ? Number(index.value) : Number.NaN;
    if (index?.kind === "unknown") return unknownNode(`Fn::Select (${at(pos)}) index: ${index.reason}`, pos);
    if (!Number.isInteger(n) || n < 0)
      return this.malformed("Fn::Select", pos, "a non-negative integer index");
    const list = this.value(l);
    if (list?.kind === "unknown")
      return unknownNode(`Fn::Select (${at(pos)}) from ${list.reason}`, pos, list.refs);
    if (list?.kind !== "seq") return this.malformed("Fn::Select", pos, "a list");
    const item = list.items[n];
    if (!item) {
      const reason = `Fn::Select (${at(pos)}): index ${n} is out of range (${list.items.length} items)`;
      this.warn(reason, pos);
      return unknownNode(reason, pos);
    }
    return item;
  }

  private split(arg: LNode, pos: Pos): Resolved {
    if (arg.kind !== "seq" || arg.items.length !== 2)
      return this.malformed("Fn::Split", pos, "[delimiter, string]");
    const [d, s] = arg.items as [LNode, LNode];
    const delim = this.value(d);
    if (delim?.kind !== "scalar" || typeof delim.value !== "string" || delim.value === "") {
      return this.malformed("Fn::Split", pos, "a non-empty string delimiter");
    }
    const source = this.value(s);
    if (source?.kind === "unknown")
      return unknownNode(`Fn::Split (${at(pos)}) of ${source.reason}`, pos, source.refs);
    if (source?.kind !== "scalar") return this.malformed("Fn::Split", pos, "a string to split");
    if (source.deploy) {
      return unknownNode(`Fn::Split (${at(pos)}) of a value known only at deploy time`, pos, refsOf(source));
    }
    const text = source.value === null ? "" : String(source.value);
    return {
      kind: "seq",
      items: text.split(delim.value).map((part) => scalar(part, pos, refsOf(source))),
      pos,
    };
  }

  private findInMap(arg: LNode, pos: Pos): Resolved {
    if (arg.kind !== "seq" || arg.items.length < 3) {
      return this.malformed("Fn::FindInMap", pos, "[MapName, TopLevelKey, SecondLevelKey]");
    }
    const keys: string[] = [];
    for (const item of arg.items.slice(0, 3)) {
      const k = this.value(item);
      if (k?.kind === "unknown") return unknownNode(`Fn::FindInMap (${at(pos)}) key: ${k.reason}`, pos);
      if (k?.kind !== "scalar" || k.value === null)
        return this.malformed("Fn::FindInMap", pos, "string keys");
      if (k.deploy) {
        return unknownNode(
          `Fn::FindInMap (${at(pos)}): key ${String(k.value)} is known only at deploy time`,
          pos,
        );
      }
      keys.push(String(k.value));
    }
    let node: LNode | undefined = this.template.mappings;
    for (const key of keys) node = node?.kind === "map" ? entryOf(node, key)?.value : undefined;
    if (!node) {
      const reason = `Fn::FindInMap (${at(pos)}): ${keys.join(" / ")} is not in Mappings`;
      this.warn(reason, pos);
      return unknownNode(reason, pos);
    }
    return this.resolve(node);
  }

  // ---------------------------------------------------------------- conditions

  private fnIf(arg: LNode, pos: Pos): Resolved {
    if (arg.kind !== "seq" || arg.items.length !== 3) {
      return this.malformed("Fn::If", pos, "[ConditionName, ValueIfTrue, ValueIfFalse]");
    }
    const [c, whenTrue, whenFalse] = arg.items as [LNode, LNode, LNode];
    if (c.kind !== "scalar" || typeof c.value !== "string")
      return this.malformed("Fn::If", pos, "a condition name");
    const d = this.condition(c.value, pos);
    if (d === true) return this.resolve(whenTrue);
    if (d === false) return this.resolve(whenFalse);
    return unknownNode(`Fn::If on condition ${c.value} (${at(pos)}) cannot be decided: ${d.undecided}`, pos);
  }

  /** Evaluates a named condition from the `Conditions` section. */
  condition(name: string, pos: Pos): Decision {
    const memo = this.conditionMemo.get(name);
    if (memo !== undefined) return memo;
    const entry = this.template.conditions.get(name);
    if (!entry) {
      const reason = `condition ${name} (${at(pos)}) is not declared in Conditions`;
      this.warn(reason, pos);
      return { undecided: reason };
    }
    if (this.conditionsInProgress.has(name)) return { undecided: `condition ${name} refers to itself` };
    this.conditionsInProgress.add(name);
    try {
      const d = this.decide(entry.value);
      this.conditionMemo.set(name, d);
      return d;
    } finally {
      this.conditionsInProgress.delete(name);
    }
  }

  /** Evaluates a condition expression (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `Condition`). */
  decide(node: LNode): Decision {
    const only = node.kind === "map" && node.entries.length === 1 ? node.entries[0] : undefined;
    if (!only) {
      const r = this.value(node);
      if (r?.kind === "scalar" && typeof r.value === "boolean") return r.value;
      if (r?.kind === "scalar" && typeof r.value === "string" && /^(true|false)$/i.test(r.value)) {
        return r.value.toLowerCase() === "true";
      }
      return { undecided: `the expression at ${at(node.pos)} is not a condition` };
    }
    const arg = only.value;
    const items = arg.kind === "seq" ? arg.items : [];
    switch (only.key) {
      case "Condition":
        if (arg.kind !== "scalar" || typeof arg.value !== "string") {
          return { undecided: `malformed Condition at ${at(node.pos)}` };
        }
        return this.condition(arg.value, node.pos);
      case "Fn::Equals": {
        if (items.length !== 2) return { undecided: `malformed Fn::Equals at ${at(node.pos)}` };
        const [a, b] = items.map((i) => this.value(i));
        return equals(a, b, node.pos);
      }
      case "Fn::Not": {
        if (items.length !== 1) return { undecided: `malformed Fn::Not at ${at(node.pos)}` };
        const d = this.decide(items[0] as LNode);
        return typeof d === "boolean" ? !d : d;
      }
      case "Fn::And":
      case "Fn::Or": {
        const isAnd = only.key === "Fn::And";
        let undecided: { undecided: string } | undefined;
        for (const item of items) {
          const d = this.decide(item);
          if (typeof d !== "boolean") undecided ??= d;
          else if (d !== isAnd) return d;
        }
        return undecided ?? isAnd;
      }
      default: {
        const r = this.value(node);
        if (r?.kind === "scalar" && typeof r.value === "boolean") return r.value;
        if (r?.kind === "unknown") return { undecided: r.reason };
        return { undecided: `${only.key} at ${at(node.pos)} is not a condition function` };
      }
    }
  }
}

function equals(a: RNode | undefined, b: RNode | undefined, pos: Pos): Decision {
  for (const side of [a, b]) {
    if (side?.kind === "unknown") return { undecided: side.reason };
  }
  const pa = a ? toPlain(a) : "";
  const pb = b ? toPlain(b) : "";
  if (pa === undefined || pb === undefined)
    return { undecided: `Fn::Equals at ${at(pos)} of undecidable values` };
  const sa = JSON.stringify(normalizeScalar(pa));
  const sb = JSON.stringify(normalizeScalar(pb));
  if (sa === sb) return true;
  const deploy = (n: RNode | undefined) => n?.kind === "scalar" && n.deploy === true;
  if (deploy(a) || deploy(b)) {
    return { undecided: `Fn::Equals at ${at(pos)} compares ${sa} with ${sb}, known only at deploy time` };
  }
  return false;
}

function normalizeScalar(v: unknown): unknown {
  return typeof v === "number" || typeof v === "boolean" ? String(v) : v;
}

/** The plain JSON value of a resolved node; undefined when any part is unknown. */
export function toPlain(node: RNode): unknown {
  switch (node.kind) {
    case "scalar":
      return node.value;
    case "unknown":
      return undefined;
    case "seq": {
      const out: unknown[] = [];
      for (const item of node.items) {
        const v = toPlain(item);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case "map": {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) {
        const v = toPlain(e.value);
        if (v === undefined) return undefined;
        out[e.key] = v;
      }
      return out;
    }
  }
}

/** The values without repeats; most values name no resource or one, which need no set. */
function unique(values: string[]): string[] {
  if (values.length === 0) return NO_REFS;
  return values.length === 1 ? values : [...new Set(values)];
}
