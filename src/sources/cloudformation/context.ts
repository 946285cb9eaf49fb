import type { KmsKey, PendingAttachment, Resource, Unknown } from "../../model/index.js";
import type { InventoryFragment } from "../fragment.js";
import { FieldReader, type Got, location, type ReadContext } from "./fields.js";
import type { Resolver } from "./intrinsics.js";
import type { ResourceDecl, Template } from "./template.js";
import type { RNode } from "./tree.js";

/** State shared by the mappers while one template is read. */
export class FileMapping {
  /** Mapped resources by logical id (resources skipped by a false Condition are absent). */
  readonly byLogicalId = new Map<string, Resource>();
  /** Work that needs every resource mapped first (links, policies, aliases, subscriptions). */
  readonly deferred: (() => void)[] = [];

  /** Settings that declarations of this template attach to buckets (`AWS::S3::BucketPolicy`). */
  readonly attachments: PendingAttachment[] = [];

  /** `AWS::KMS::Alias` logical id → the logical ids its `TargetKeyId` refers to. */
  readonly aliasTargets = new Map<string, string[]>();

  constructor(
    readonly ctx: ReadContext,
    readonly template: Template,
    readonly resolver: Resolver,
    readonly fragment: InventoryFragment,
  ) {}

  addressOf(logicalId: string): string {
    return `${this.ctx.file}#${logicalId}`;
  }

  /** The first mapped resource of `kind` among the logical ids a value refers to. */
  find<K extends Resource["kind"]>(refs: string[], kind: K): Extract<Resource, { kind: K }> | undefined {
    for (const ref of refs) {
      const r = this.byLogicalId.get(ref);
      if (r && r.kind === kind) return r as Extract<Resource, { kind: K }>;
    }
    return undefined;
  }

  /** The key a value refers to, directly or through an alias of this template. */
  keyFor(refs: string[]): KmsKey | undefined {
    const direct = this.find(refs, "key");
    if (direct) return direct;
    for (const ref of refs) {
      const targets = this.aliasTargets.get(ref);
      const key = targets ? this.find(targets, "key") : undefined;
      if (key) return key;
    }
    return undefined;
  }

  /** The resolved `Properties` of a resource and a reader for it. */
  open(decl: ResourceDecl, existence?: Unknown): ResourceInput {
    const reader = new FieldReader(this.ctx, `${decl.logicalId} (${decl.type ?? "no Type"})`);
    const propsEntry = decl.properties;
    let node: RNode | undefined;
    if (propsEntry) node = this.resolver.value(propsEntry.value);
    if (node && node.kind !== "map" && node.kind !== "unknown") {
      const reason = `Properties of ${decl.logicalId} is not a mapping (line ${node.pos.line})`;
      this.ctx.errors.push({
        file: this.ctx.file,
        line: node.pos.line,
        column: node.pos.column,
        code: "structure",
        message: reason,
        severity: "warning",
      });
      node = { kind: "unknown", reason, pos: node.pos, refs: [] };
    }
    // A property the template leaves out is pointed at by the resource itself (its logical id).
    const props: Got = { node, pos: decl.pos };
    const address = this.addressOf(decl.logicalId);
    const make = <T extends Resource>(kind: T["kind"], own: Omit<T, CommonField>): T =>
      // The common properties are written out first: in a literal that starts with a spread (`{ ...base, name }`)
      // V8 gives every object a hidden class of its own, built property by property (measured at about 60 µs for a
      // trail); this way resources of a kind share a few (with and without `existence`).
      ({
        kind,
        id: address,
        origin: { location: location(this.ctx, decl.pos), address, unit: this.ctx.file },
        fieldLocations: reader.fieldLocations,
        ...(existence ? { existence } : {}),
        ...own,
      }) as T;
    return { decl, props, reader, make, existence };
  }
}

/** The fields every resource of a template has, which `make` sets. */
type CommonField = "kind" | "id" | "origin" | "fieldLocations" | "existence";

export interface ResourceInput {
  decl: ResourceDecl;
  props: Got;
  reader: FieldReader;
  /** The resource of `kind`: the fields every resource has (id, origin, field locations, existence), then `own`. */
  make<T extends Resource>(kind: T["kind"], own: Omit<T, CommonField>): T;
  /** Set when the resource is created only under a condition that cannot be decided. */
  existence?: Unknown;
}

const placeholders = new Map<string, string>();

/**
 * A placeholder for a deploy-time value: `${LogicalId}` or `${LogicalId.Attribute}`. The same few placeholders recur
 * in every template (`${AWS::AccountId}`, `${Trail.Arn}`): one string each is kept for the whole scan.
 */
export function placeholder(text: string): string {
  let interned = placeholders.get(text);
  if (interned === undefined) {
    interned = `\${${text}}`;
    placeholders.set(text, interned);
  }
  return interned;
}
