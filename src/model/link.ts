import type { AccountInventory } from "./inventory.js";
import { KIND } from "./kinds.js";
import { type MatchKind, RELATIONS, type Relation } from "./relations.js";
import type {
  Alarm,
  Bucket,
  KmsKey,
  Links,
  LogGroup,
  MetricFilter,
  Resource,
  ResourceKind,
  Topic,
} from "./resources.js";
import { isKnown, type Maybe, Unknown } from "./value.js";

/**
 * Connects resources along the declared relations (relations.ts), the same way for every source. A link a source
 * set itself (a resolved `!Ref`) is kept; a reference that matches nothing stays unlinked, and the engine's views
 * say so (unknown: "not among the scanned inputs").
 */
export function linkAccount(account: AccountInventory): void {
  const targets = new Targets(account);
  for (const relation of RELATIONS) {
    for (const resource of resourcesOfKind(account, relation.from)) {
      const own = linksOf(resource);
      if (own?.[relation.name] !== undefined) continue;
      const found = targets.find(relation, resource);
      if (found !== undefined && (!Array.isArray(found) || found.length > 0)) {
        resource.links = { ...own, [relation.name]: found };
      }
    }
  }
}

/** A resource's links, read generically by relation name. */
export function linksOf(resource: Resource): Links | undefined {
  return resource.links as Links | undefined;
}

/** The resources of one kind in an account: its list, or the organization. */
export function resourcesOfKind(account: AccountInventory, kind: ResourceKind): Resource[] {
  const list = KIND[kind].list;
  if (list !== null) return account[list as keyof AccountInventory] as Resource[];
  const org = account.organization;
  return org && isKnown(org) ? [org] : [];
}

/** The value at a dotted path of a resource (`logging.targetBucket`); undefined when a step is null or unknown. */
export function fieldAt(resource: Resource, path: string): unknown {
  let value: unknown = resource;
  for (const step of path.split(".")) {
    if (value === null || value === undefined || value instanceof Unknown) return value;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** A concrete value: a string with no `${…}` placeholder (a part fixed only at deploy time). */
function concrete(value: unknown): value is string {
  return typeof value === "string" && !value.includes("${");
}

/** Indexes of an account's resources by what references match, built lazily once per kind. */
class Targets {
  private readonly byName = new Map<ResourceKind, Map<string, Resource[]>>();
  constructor(private readonly account: AccountInventory) {}

  find(relation: Relation, from: Resource): string | string[] | undefined {
    const match = MATCHERS[relation.match];
    if (relation.match === "metric") return match(this, from, undefined) as string[] | undefined;
    const reference = fieldAt(from, relation.field);
    if (relation.many) {
      if (!Array.isArray(reference)) return undefined;
      const ids = reference.flatMap((ref) => {
        const id = match(this, from, ref);
        return typeof id === "string" ? [id] : [];
      });
      return [...new Set(ids)];
    }
    const id = match(this, from, reference);
    return typeof id === "string" ? id : undefined;
  }

  named(kind: ResourceKind, name: string): Resource[] {
    let index = this.byName.get(kind);
    if (!index) {
      index = new Map();
      for (const resource of resourcesOfKind(this.account, kind)) {
        const value = "name" in resource ? resource.name : undefined;
        if (typeof value !== "string") continue;
        const list = index.get(value) ?? [];
        list.push(resource);
        index.set(value, list);
      }
      this.byName.set(kind, index);
    }
    return index.get(name) ?? [];
  }

  all<K extends ResourceKind>(kind: K): Resource[] {
    return resourcesOfKind(this.account, kind);
  }

  get accountId(): Maybe<string | null> {
    return this.account.accountId;
  }

  get organizationId(): string | undefined {
    const org = this.account.organization;
    return org && isKnown(org) ? org.id : undefined;
  }
}

type Matcher = (targets: Targets, from: Resource, reference: unknown) => string | string[] | undefined;

const MATCHERS: Record<MatchKind, Matcher> = {
  "bucket-name": (targets, _from, ref) => {
    if (typeof ref !== "string" || ref === "") return undefined;
    const name = ref.startsWith("arn:") ? (/^arn:[^:]+:s3:::([^/]+)$/.exec(ref)?.[1] ?? ref) : ref;
    return (targets.named("bucket", name)[0] as Bucket | undefined)?.id;
  },
  "kms-key": (targets, _from, ref) => {
    if (typeof ref !== "string") return undefined;
    return findKey(targets.all("key") as KmsKey[], ref);
  },
  "log-group-arn": (targets, _from, ref) => {
    const wanted = parseLogGroupArn(ref);
    if (!wanted) return undefined;
    const own = targets.accountId;
    for (const group of targets.named("log-group", wanted.name) as LogGroup[]) {
      const have = parseLogGroupArn(group.arn);
      if (have) {
        if (agrees(have.account, wanted.account) && agrees(have.region, wanted.region)) return group.id;
      } else if (!concrete(own) || agrees(own, wanted.account)) return group.id;
    }
    return undefined;
  },
  "log-group-name": (targets, _from, ref) => {
    if (typeof ref !== "string" || ref === "") return undefined;
    return targets.named("log-group", ref)[0]?.id;
  },
  topic: (targets, _from, ref) => {
    if (typeof ref !== "string" || ref === "") return undefined;
    const topics = targets.all("topic") as Topic[];
    if (concrete(ref) && ref.startsWith("arn:")) {
      const exact = topics.find((t) => t.arn === ref);
      if (exact) return exact.id;
      // A topic whose ARN is not known (infrastructure code) is matched by name; one whose ARN differs is not it.
      const name = ref.split(":").pop();
      return topics.find((t) => !concrete(t.arn) && t.name === name)?.id;
    }
    return topics.find((t) => t.arn === ref || t.name === ref)?.id;
  },
  metric: (targets, from) => {
    const alarm = from as Alarm;
    if (!concrete(alarm.metricName) || !concrete(alarm.namespace)) return undefined;
    return (targets.all("metric-filter") as MetricFilter[])
      .filter(
        (f) =>
          isKnown(f.metricTransformations) &&
          f.metricTransformations.some(
            (t) => t.metricName === alarm.metricName && t.metricNamespace === alarm.namespace,
          ),
      )
      .map((f) => f.id);
  },
  organization: (targets, _from, ref) => (ref === true ? targets.organizationId : undefined),
};

/** Equal, or either side not concrete (`${AWS::Region}` stands for whatever the deploy region is). */
function agrees(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || !concrete(a) || !concrete(b) || a === b;
}

/** `arn:aws:logs:us-east-1:123456789012:log-group:name:*` → its parts. */
function parseLogGroupArn(arn: unknown): { name: string; account?: string; region?: string } | undefined {
  if (typeof arn !== "string") return undefined;
  const match = /^arn:[^:]+:logs:([^:]*):([^:]*):log-group:([^:]+)(?::\*)?$/.exec(arn);
  if (!match?.[3]) return undefined;
  return { name: match[3], region: match[1] || undefined, account: match[2] || undefined };
}

/** `arn:aws:logs:us-east-1:123456789012:log-group:name:*` → `name`. */
export function logGroupNameFromArn(arn: Maybe<string | null>): string | null {
  return parseLogGroupArn(arn)?.name ?? null;
}

/** A trail's `KmsKeyId` may be a key id, key ARN, alias name or alias ARN. */
function findKey(keys: KmsKey[], ref: string): string | undefined {
  const alias = /(?:^|:)(alias\/.+)$/.exec(ref)?.[1];
  for (const key of keys) {
    if (key.keyId === ref || key.arn === ref) return key.id;
    if (alias && isKnown(key.aliases) && key.aliases.includes(alias)) return key.id;
    if (typeof key.keyId === "string" && ref.endsWith(`:key/${key.keyId}`)) return key.id;
  }
  return undefined;
}
