import {
  append,
  attachPending,
  type InputErrorCode,
  RESOURCE_LISTS,
  type Resource,
  type SourceLocation,
  Unknown,
  unknown,
} from "../../model/index.js";
import { emptyFragment, type ReadResult, type SourceFile } from "../fragment.js";
import { mapBucket } from "./bucket.js";
import { FileMapping, type ResourceInput } from "./context.js";
import { mapEventDataStore } from "./eventdatastore.js";
import type { ExportTable } from "./exports.js";
import { location, type ReadContext } from "./fields.js";
import { Resolver } from "./intrinsics.js";
import { attachAlias, mapKey } from "./kms.js";
import { mapAlarm, mapLogGroup, mapMetricFilter } from "./logs.js";
import { excerpt, parseText } from "./parse.js";
import { attachBucketPolicy } from "./policy.js";
import { attachSubscription, mapTopic } from "./sns.js";
import { readSuppressions } from "./suppressions.js";
import { isCloudFormation, readTemplateSections, type StructureProblem } from "./template.js";
import { mapTrail } from "./trail.js";
import type { LNode, Pos } from "./tree.js";

/** Text that makes an unparsable file worth reporting rather than skipping. */
const LOOKS_LIKE_CLOUDFORMATION = /AWSTemplateFormatVersion|AWS::/;

const NOT_FIELDS = new Set(["kind", "id", "origin", "fieldLocations", "suppressions", "links", "existence"]);

type Mapper = (m: FileMapping, input: ResourceInput) => void;

const MAPPERS: Record<string, Mapper> = {
  "AWS::CloudTrail::Trail": (m, i) => register(m, i, m.fragment.trails, mapTrail(m, i)),
  "AWS::S3::Bucket": (m, i) => register(m, i, m.fragment.buckets, mapBucket(m, i)),
  "AWS::KMS::Key": (m, i) => register(m, i, m.fragment.keys, mapKey(m, i)),
  "AWS::Logs::LogGroup": (m, i) => register(m, i, m.fragment.logGroups, mapLogGroup(m, i)),
  "AWS::Logs::MetricFilter": (m, i) => register(m, i, m.fragment.metricFilters, mapMetricFilter(m, i)),
  "AWS::CloudWatch::Alarm": (m, i) => register(m, i, m.fragment.alarms, mapAlarm(m, i)),
  "AWS::SNS::Topic": (m, i) => register(m, i, m.fragment.topics, mapTopic(m, i)),
  "AWS::CloudTrail::EventDataStore": (m, i) =>
    register(m, i, m.fragment.eventDataStores, mapEventDataStore(m, i)),
  "AWS::S3::BucketPolicy": attachBucketPolicy,
  "AWS::KMS::Alias": attachAlias,
  "AWS::SNS::Subscription": attachSubscription,
};

function register<T extends { suppressions?: unknown }>(
  m: FileMapping,
  input: ResourceInput,
  list: T[],
  resource: T,
) {
  list.push(resource);
  m.byLogicalId.set(input.decl.logicalId, resource as never);
}

/**
 * Reads one CloudFormation template (YAML or JSON). `exports`: those of the other templates of the scan, which
 * `Fn::ImportValue` resolves against. Never throws.
 */
export function readTemplate(file: SourceFile, exports?: ExportTable): ReadResult {
  try {
    return readUnguarded(file, exports);
  } catch (err) {
    // A bug of ours must not stop a scan: report it against the file.
    if (!LOOKS_LIKE_CLOUDFORMATION.test(file.text)) return { status: "not-mine" };
    const fragment = emptyFragment();
    fragment.errors.push({
      file: file.path,
      line: 1,
      column: 1,
      code: "reader-failure",
      message: `internal error while reading the template: ${String(err)}`,
      severity: "error",
    });
    return { status: "read", fragment };
  }
}

function readUnguarded(file: SourceFile, exports: ExportTable | undefined): ReadResult {
  const ctx: ReadContext = { file: file.path, errors: [] };
  const report = (p: { code: InputErrorCode; message: string; pos: Pos; severity: "error" | "warning" }) =>
    ctx.errors.push({
      code: p.code,
      file: file.path,
      line: p.pos.line,
      column: p.pos.column,
      message: p.message,
      severity: p.severity,
    });

  const parsed = exports?.takeParsed(file) ?? parseText(file.text);
  if (!parsed.root) {
    if (!LOOKS_LIKE_CLOUDFORMATION.test(file.text)) return { status: "not-mine" };
    const fragment = emptyFragment();
    for (const p of parsed.problems) report(p);
    if (ctx.errors.length === 0) {
      report({
        code: "structure",
        message: "the file is empty or not a template",
        pos: { line: 1, column: 1, endLine: 1, endColumn: 1 },
        severity: "error",
      });
    }
    fragment.errors = ctx.errors;
    const reason = `${file.path} does not parse, so what it declares is not read`;
    fragment.coverage = Object.fromEntries(
      RESOURCE_LISTS.map((list) => [list, { state: "partial", reason }] as const),
    );
    return { status: "read", fragment };
  }
  if (!isCloudFormation(parsed.root)) return { status: "not-mine" };
  for (const p of parsed.problems) report(p);

  const structure: StructureProblem[] = [];
  const sections = readTemplateSections(parsed.root, structure);
  for (const p of structure) report(p);
  const transform = parsed.root.entries.find((e) => e.key === "Transform");
  const macros = transform ? unknownTransforms(transform.value) : [];
  const rewritten =
    transform && macros.length > 0
      ? unknown(
          `the template's Transform ${macros.join(", ")} runs at deploy time and may change or remove this resource`,
          location(ctx, transform.keyPos),
        )
      : undefined;
  if (transform && rewritten) {
    report({
      code: "unsupported",
      message: `${rewritten.reason}: every resource of the template is unknown`,
      pos: transform.keyPos,
      severity: "warning",
    });
  }

  const resolver = new Resolver(sections, exports && ((name) => exports.lookup(name)));
  const fragment = emptyFragment();
  const m = new FileMapping(ctx, sections, resolver, fragment);
  // Comment suppressions need the lines; most files have none, so do not split them needlessly.
  const lines = file.text.includes("trailguard:ignore") ? file.text.split(/\r?\n/) : [];

  for (const decl of sections.resources.values()) {
    let existence: Unknown | undefined;
    if (decl.condition) {
      const decision = resolver.condition(decl.condition, decl.pos);
      if (decision === false) continue;
      if (decision !== true) {
        const reason = `${decl.logicalId} is created only if condition ${decl.condition} holds, which cannot be decided: ${decision.undecided}`;
        existence = unknown(reason, location(ctx, decl.pos));
        report({ code: "unresolved", message: reason, pos: decl.pos, severity: "warning" });
      }
    }
    const mapper = decl.type ? MAPPERS[decl.type] : undefined;
    if (!mapper) continue;
    mapper(m, m.open(decl, existence));
    const resource = m.byLogicalId.get(decl.logicalId);
    if (resource) {
      const suppressions = readSuppressions(ctx, decl, lines);
      if (suppressions.length > 0) resource.suppressions = suppressions;
    }
  }
  for (const run of m.deferred) run();
  // Settings for buckets of this template attach here; those naming other buckets wait for the whole scan.
  const attached = attachPending(fragment, m.attachments);
  append(ctx.errors, attached.errors);
  const undecidedTarget = m.attachments.filter((a) => "name" in a.target && a.target.name instanceof Unknown);
  if (attached.unresolved.length + undecidedTarget.length > 0) {
    fragment.attachments = [...attached.unresolved, ...undecidedTarget];
  }
  // Fields derived rather than read (ARNs, account, defaults of absent sections) point at the logical id.
  for (const [logicalId, resource] of m.byLogicalId) {
    const decl = sections.resources.get(logicalId);
    if (!decl) continue;
    const locations = resource.fieldLocations;
    let own: SourceLocation | undefined;
    for (const field in resource) {
      if (NOT_FIELDS.has(field) || locations[field]) continue;
      own ??= location(ctx, decl.pos);
      locations[field] = own;
    }
  }
  if (rewritten) for (const resource of m.byLogicalId.values()) makeUnknown(resource, rewritten);
  for (const p of resolver.problems) report(p);

  fragment.errors = ctx.errors;
  return { status: "read", fragment };
}

/** Transforms whose effect trailguard models: it expands `Fn::ForEach`; SAM passes plain AWS resources through. */
const KNOWN_TRANSFORMS = new Set(["AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"]);

/** The transforms (macros) of a `Transform` section that trailguard does not model, by name. */
function unknownTransforms(node: LNode): string[] {
  const items = node.kind === "seq" ? node.items : [node];
  const out: string[] = [];
  for (const item of items) {
    const nameNode = item.kind === "map" ? item.entries.find((e) => e.key === "Name")?.value : item;
    const name =
      nameNode?.kind === "scalar" && nameNode.value !== null ? String(nameNode.value) : "(unnamed)";
    if (!KNOWN_TRANSFORMS.has(name)) out.push(excerpt(name));
  }
  return out;
}

/** Every field of the resource becomes the Unknown: a macro may rewrite any of them. */
function makeUnknown(resource: Resource, why: Unknown): void {
  const fields = resource as unknown as Record<string, unknown>;
  for (const field of Object.keys(fields)) if (!NOT_FIELDS.has(field)) fields[field] = why;
  resource.existence = why;
}
