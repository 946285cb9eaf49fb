import type { AccountInventory } from "./inventory.js";
import { fieldAt, linksOf, resourcesOfKind } from "./link.js";
import { RELATIONS, type Relation } from "./relations.js";
import type { Bucket, Resource } from "./resources.js";
import { isUnknown, type Unknown, unknown } from "./value.js";

/**
 * Which resources a trail uses, following the declared relations: what a trail points at, and along `usage` edges
 * (a metric filter on a trail's log group, an alarm on that filter's metric, the topic the alarm notifies).
 *
 * A trail whose reference cannot be told (an `!ImportValue`, an unknown in a plan) may use any unlinked resource of
 * the kind in its deployment unit (the same template or root module; the whole account when a side has none):
 * those are `maybe`, with the reason, and the rules about trail resources are unknown for them. A bucket that
 * cannot receive CloudTrail's logs (its known policy grants CloudTrail nothing) is never such a candidate.
 */
export interface Usage {
  /** Ids of resources a trail certainly uses. */
  used: ReadonlySet<string>;
  /** Resources a trail may use, with why it cannot be told. */
  maybe: ReadonlyMap<string, Unknown>;
  /** Trails pointing at each resource directly, by resource id. */
  trailsOf: ReadonlyMap<string, Resource[]>;
}

export function trailUsage(account: AccountInventory): Usage {
  const used = new Set<string>();
  const maybe = new Map<string, Unknown>();
  const trailsOf = new Map<string, Resource[]>();

  const fromTrails = RELATIONS.filter((r) => r.from === "trail" && r.usage === "forward");
  const units = new Map<Relation["to"], UnitIndex>();
  for (const trail of account.trails) {
    for (const relation of fromTrails) {
      const targets = targetIds(trail, relation);
      for (const id of targets) {
        used.add(id);
        const list = trailsOf.get(id) ?? [];
        list.push(trail);
        trailsOf.set(id, list);
      }
      const reference = fieldAt(trail, relation.field);
      if (targets.length > 0 || !isUnknown(reference)) continue;
      const why = unknown(
        `trail ${trail.origin.address} points at a ${relation.what} that cannot be told (${reference.reason})`,
      );
      let index = units.get(relation.to);
      if (!index) {
        index = indexByUnit(resourcesOfKind(account, relation.to));
        units.set(relation.to, index);
      }
      for (const candidates of index.sameUnitAs(trail)) {
        for (const candidate of candidates) {
          if (used.has(candidate.id) || maybe.has(candidate.id)) continue;
          if (!canBeTarget(relation, candidate)) continue;
          maybe.set(candidate.id, why);
        }
      }
    }
  }

  // A resource handed to configuration the source could not read may be a trail's.
  for (const relation of fromTrails) {
    for (const candidate of resourcesOfKind(account, relation.to)) {
      if (candidate.trailUse && !used.has(candidate.id) && !maybe.has(candidate.id)) {
        maybe.set(candidate.id, candidate.trailUse);
      }
    }
  }

  // Propagate along the other relations until nothing changes (the graphs are small and acyclic in practice).
  const others = RELATIONS.filter((r) => r.from !== "trail" && r.usage !== "none");
  for (let changed = true; changed; ) {
    changed = false;
    for (const relation of others) {
      for (const from of resourcesOfKind(account, relation.from)) {
        for (const toId of targetIds(from, relation)) {
          const [source, target] = relation.usage === "forward" ? [from.id, toId] : [toId, from.id];
          if (used.has(source) && !used.has(target)) {
            used.add(target);
            maybe.delete(target);
            changed = true;
          } else if (!used.has(target) && !maybe.has(target)) {
            const why = maybe.get(source);
            if (why) {
              maybe.set(target, why);
              changed = true;
            }
          }
        }
      }
    }
  }
  for (const id of used) maybe.delete(id);
  return { used, maybe, trailsOf };
}

/** Most resources link nothing along most relations: they share one empty list. */
const NO_TARGETS: readonly string[] = Object.freeze([]);

function targetIds(resource: Resource, relation: Relation): readonly string[] {
  const link = linksOf(resource)?.[relation.name];
  if (link === undefined) return NO_TARGETS;
  return Array.isArray(link) ? link : [link];
}

/**
 * The resources of one kind by deployment unit. Those of the same unit as a resource are those of its unit and
 * those that belong to the account as a whole; all of them when the resource itself belongs to the account as a
 * whole. Indexed, so that many trails of many units cost one pass over the resources, not one pass per trail.
 */
interface UnitIndex {
  sameUnitAs(resource: Resource): Resource[][];
}

function indexByUnit(resources: Resource[]): UnitIndex {
  const byUnit = new Map<string, Resource[]>();
  const accountWide: Resource[] = [];
  for (const resource of resources) {
    const unit = resource.origin.unit;
    if (unit === undefined) accountWide.push(resource);
    else {
      const list = byUnit.get(unit);
      if (list) list.push(resource);
      else byUnit.set(unit, [resource]);
    }
  }
  return {
    sameUnitAs: (resource) =>
      resource.origin.unit === undefined
        ? [resources]
        : [byUnit.get(resource.origin.unit) ?? [], accountWide],
  };
}

/** CloudTrail can deliver only to a bucket whose policy lets it write; a known policy without that rules it out. */
function canBeTarget(relation: Relation, candidate: Resource): boolean {
  if (relation.to !== "bucket") return true;
  return grantsCloudTrail(candidate as Bucket) !== false;
}

/**
 * Whether the bucket's policy lets CloudTrail write to it: true, false, or Unknown when the policy (or a statement
 * that could be the grant) is unknown. A statement with an unknown principal list can still be ruled out when it is
 * known to be a Deny.
 */
export function grantsCloudTrail(bucket: Bucket): boolean | Unknown {
  const policy = bucket.policy;
  if (policy === null) return false;
  if (isUnknown(policy))
    return unknown(`whether CloudTrail writes to it: the policy is unknown (${policy.reason})`);
  if (isUnknown(policy.statements)) return policy.statements;
  let undecided: Unknown | undefined;
  for (const s of policy.statements) {
    if (s.effect === "Deny") continue;
    if (isUnknown(s.effect)) {
      undecided ??= s.effect;
      continue;
    }
    if (isUnknown(s.principals)) {
      // An unknown value of a known principal type other than Service (an account from a parameter) is not it.
      if (s.principalTypes && !s.principalTypes.includes("Service")) continue;
      undecided ??= s.principals;
      continue;
    }
    if (s.principals.includes("Service:cloudtrail.amazonaws.com")) return true;
  }
  return undecided ?? false;
}
