import type { InputErrorCode } from "../../model/index.js";
import { expandForEach } from "./foreach.js";
import { entryOf, type LEntry, type LMap, type LNode, type Pos } from "./tree.js";

export interface ParameterDecl {
  name: string;
  type: string;
  default: LNode | undefined;
  /** `NoEcho: true`: the value is a secret; it must never reach the model (nor any report). */
  noEcho: boolean;
  pos: Pos;
}

export interface ResourceDecl {
  logicalId: string;
  /** `AWS::S3::Bucket`, ... or null when `Type` is missing or not a string. */
  type: string | null;
  /** Position of the logical-id key. */
  pos: Pos;
  body: LNode;
  /** The `Properties` entry, when present. */
  properties: LEntry | undefined;
  condition: string | null;
  metadata: LNode | undefined;
}

/** The top-level sections of a CloudFormation template, located. */
export interface Template {
  root: LMap;
  parameters: Map<string, ParameterDecl>;
  mappings: LNode | undefined;
  conditions: Map<string, LEntry>;
  resources: Map<string, ResourceDecl>;
}

/**
 * A file is CloudFormation when its top level is a mapping with `AWSTemplateFormatVersion`, or with a `Resources`
 * mapping whose entries have a `Type` starting with `AWS::` or are `Fn::ForEach` loops.
 */
export function isCloudFormation(root: LNode | undefined): root is LMap {
  if (root?.kind !== "map") return false;
  if (entryOf(root, "AWSTemplateFormatVersion")) return true;
  const resources = entryOf(root, "Resources")?.value;
  if (resources?.kind !== "map") return false;
  return resources.entries.some((e) => {
    if (e.key.startsWith("Fn::ForEach::")) return true;
    const type = e.value.kind === "map" ? entryOf(e.value, "Type")?.value : undefined;
    return type?.kind === "scalar" && typeof type.value === "string" && type.value.startsWith("AWS::");
  });
}

export interface StructureProblem {
  code: InputErrorCode;
  message: string;
  pos: Pos;
  severity: "error" | "warning";
}

export function readTemplateSections(root: LMap, problems: StructureProblem[]): Template {
  const parameters = new Map<string, ParameterDecl>();
  const paramSection = entryOf(root, "Parameters")?.value;
  if (paramSection?.kind === "map") {
    for (const e of paramSection.entries) {
      const body = e.value.kind === "map" ? e.value : undefined;
      const typeNode = body ? entryOf(body, "Type")?.value : undefined;
      const noEcho = body ? entryOf(body, "NoEcho")?.value : undefined;
      parameters.set(e.key, {
        name: e.key,
        type: typeNode?.kind === "scalar" && typeof typeNode.value === "string" ? typeNode.value : "String",
        default: body ? entryOf(body, "Default")?.value : undefined,
        noEcho: noEcho?.kind === "scalar" && String(noEcho.value).toLowerCase() === "true",
        pos: e.keyPos,
      });
    }
  }

  const conditions = new Map<string, LEntry>();
  const condSection = entryOf(root, "Conditions")?.value;
  if (condSection?.kind === "map") for (const e of condSection.entries) conditions.set(e.key, e);

  const resources = new Map<string, ResourceDecl>();
  const resSection = entryOf(root, "Resources");
  if (resSection && resSection.value.kind !== "map") {
    problems.push({
      code: "structure",
      message: "Resources is not a mapping",
      pos: resSection.keyPos,
      severity: "error",
    });
  } else if (resSection?.value.kind === "map") {
    const defaults = (name: string) => parameters.get(name)?.default;
    // Pushed one by one: a loop may expand to more resources than a call can take as arguments.
    const entries: LEntry[] = [];
    for (const e of resSection.value.entries) {
      if (!e.key.startsWith("Fn::ForEach::")) entries.push(e);
      else for (const expanded of expandForEach(e, defaults, problems)) entries.push(expanded);
    }
    for (const e of entries) {
      if (resources.has(e.key)) {
        problems.push({
          code: "structure",
          message: `resource ${e.key} is declared twice (a Fn::ForEach output repeats a logical id)`,
          pos: e.keyPos,
          severity: "error",
        });
        continue;
      }
      const body = e.value;
      if (body.kind !== "map") {
        problems.push({
          code: "structure",
          message: `resource ${e.key} is not a mapping`,
          pos: e.keyPos,
          severity: "warning",
        });
        resources.set(e.key, {
          logicalId: e.key,
          type: null,
          pos: e.keyPos,
          body,
          properties: undefined,
          condition: null,
          metadata: undefined,
        });
        continue;
      }
      const typeNode = entryOf(body, "Type")?.value;
      const type = typeNode?.kind === "scalar" && typeof typeNode.value === "string" ? typeNode.value : null;
      if (type === null) {
        problems.push({
          code: "structure",
          message: `resource ${e.key} has no Type`,
          pos: e.keyPos,
          severity: "warning",
        });
      }
      const condNode = entryOf(body, "Condition")?.value;
      resources.set(e.key, {
        logicalId: e.key,
        type,
        pos: e.keyPos,
        body,
        properties: entryOf(body, "Properties"),
        condition: condNode?.kind === "scalar" && typeof condNode.value === "string" ? condNode.value : null,
        metadata: entryOf(body, "Metadata")?.value,
      });
    }
  }

  return { root, parameters, mappings: entryOf(root, "Mappings")?.value, conditions, resources };
}
