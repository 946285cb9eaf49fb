import { append } from "./append.js";
import type { InputError } from "./errors.js";
import type { SourceLocation } from "./location.js";
import type { Bucket } from "./resources.js";
import { type Maybe, Unknown, unknown } from "./value.js";

/** Bucket settings that a declaration of its own may attach to a bucket declared elsewhere. */
export type AttachableBucketField = "policy" | "lifecycleRules";

/**
 * A setting declared apart from the bucket it applies to (a CloudFormation `AWS::S3::BucketPolicy`, a Terraform
 * `aws_s3_bucket_policy`). The source resolves what it can itself (a reference inside the same file); what names
 * the bucket by its literal name or ARN is left pending and attached once every source of the account is merged.
 */
export interface PendingAttachment {
  /** The bucket: its id when the source resolved the reference, else the name or ARN given (Unknown: undecidable). */
  target: { id: string } | { name: Maybe<string> };
  field: AttachableBucketField;
  /** The setting's value; Unknown when the declaration may not take effect (an undecided condition). */
  value: Bucket[AttachableBucketField];
  /** The declaring resource, for messages: `stack.yaml#LogsPolicy` at its location. */
  declaredBy: { address: string; location?: SourceLocation };
  /** Field locations the setting brings (`policy`, `policy.statements`). */
  fieldLocations: Record<string, SourceLocation>;
}

/** Only what attaching needs of an account or a source's fragment. */
export interface WithBuckets {
  buckets: Bucket[];
}

export interface AttachOutcome {
  /** Attachments whose bucket is not among `buckets` (named by a bucket declared elsewhere, or not at all). */
  unresolved: PendingAttachment[];
  errors: InputError[];
}

/**
 * Attaches pending settings to the buckets they name. One declaration of a setting applies; two or more on one
 * bucket (or one on a bucket that already has the setting) are a conflict: the setting becomes Unknown, never "the
 * last one wins". A declaration whose bucket cannot be told makes that setting Unknown on every bucket that has
 * none, since it may be any of them.
 */
export function attachPending(account: WithBuckets, pending: PendingAttachment[]): AttachOutcome {
  const byId = new Map<string, Bucket>();
  const byName = new Map<string, Bucket>();
  for (const bucket of account.buckets) {
    byId.set(bucket.id, bucket);
    if (typeof bucket.name === "string" && !byName.has(bucket.name)) byName.set(bucket.name, bucket);
  }
  const errors: InputError[] = [];
  const unresolved: PendingAttachment[] = [];
  const anywhere: PendingAttachment[] = [];
  const perTarget = new Map<Bucket, Map<AttachableBucketField, PendingAttachment[]>>();

  for (const attachment of pending) {
    const target = attachment.target;
    let bucket: Bucket | undefined;
    if ("id" in target) bucket = byId.get(target.id);
    else if (target.name instanceof Unknown) {
      anywhere.push(attachment);
      continue;
    } else bucket = byName.get(bucketNameOf(target.name));
    if (!bucket) {
      unresolved.push(attachment);
      continue;
    }
    let fields = perTarget.get(bucket);
    if (!fields) {
      fields = new Map();
      perTarget.set(bucket, fields);
    }
    const list = fields.get(attachment.field) ?? [];
    list.push(attachment);
    fields.set(attachment.field, list);
  }

  for (const [bucket, fields] of perTarget) {
    for (const [field, attachments] of fields) {
      const only = attachments.length === 1 ? attachments[0] : undefined;
      if (only && isUnset(bucket, field)) {
        setField(bucket, field, only.value);
        Object.assign(bucket.fieldLocations, only.fieldLocations);
        continue;
      }
      const declared = attachments.map((a) => describeDeclaration(a));
      if (!isUnset(bucket, field)) declared.unshift("the bucket's own declaration");
      const reason = `${field} of bucket ${bucket.origin.address} is declared more than once (${declared.join(", ")}); which one applies cannot be told`;
      const first = attachments[0]?.declaredBy.location;
      setField(bucket, field, unknown(reason, first));
      for (const a of attachments) {
        errors.push({
          code: "structure",
          file: a.declaredBy.location?.file,
          line: a.declaredBy.location?.line,
          column: a.declaredBy.location?.column,
          message: reason,
          severity: "warning",
        });
      }
    }
  }

  for (const attachment of anywhere) {
    const reason = `${attachment.declaredBy.address} sets the ${attachment.field} of a bucket that cannot be told: ${(attachment.target as { name: Unknown }).name.reason}`;
    for (const bucket of account.buckets) {
      if (isUnset(bucket, attachment.field))
        setField(bucket, attachment.field, unknown(reason, attachment.declaredBy.location));
    }
  }
  return { unresolved, errors };
}

/**
 * The scan-level step: attaches what sources left pending across all buckets of the account; what still names no
 * bucket is reported (its bucket is not part of the scan, so the setting is judged with nothing).
 */
export function attachAcrossScan(account: WithBuckets, pending: PendingAttachment[]): InputError[] {
  const named = pending.filter((a) => !("name" in a.target && a.target.name instanceof Unknown));
  const { unresolved, errors } = attachPending(account, named);
  for (const a of unresolved) {
    const name = "name" in a.target ? String(a.target.name) : a.target.id;
    errors.push({
      code: "unresolved",
      file: a.declaredBy.location?.file,
      line: a.declaredBy.location?.line,
      column: a.declaredBy.location?.column,
      message: `${a.declaredBy.address}: bucket ${name} is not declared in the scanned files; its ${a.field} is not checked with it`,
      severity: "warning",
    });
  }
  // A setting of a bucket that cannot be told may belong to any bucket of the account, not only its own file's.
  const anywhere = pending.filter((a) => "name" in a.target && a.target.name instanceof Unknown);
  append(errors, attachPending(account, anywhere).errors);
  return errors;
}

/** `arn:aws:s3:::logs` and `logs` name the same bucket. */
function bucketNameOf(nameOrArn: string): string {
  const arn = /^arn:[^:]+:s3:::([^/]+)$/.exec(nameOrArn);
  return arn?.[1] ?? nameOrArn;
}

function isUnset(bucket: Bucket, field: AttachableBucketField): boolean {
  const value = bucket[field];
  return value === null || (Array.isArray(value) && value.length === 0);
}

function setField(bucket: Bucket, field: AttachableBucketField, value: Bucket[AttachableBucketField]): void {
  (bucket as unknown as Record<string, unknown>)[field] = value;
}

function describeDeclaration(a: PendingAttachment): string {
  const at = a.declaredBy.location;
  return at ? `${a.declaredBy.address} at ${at.file}:${at.line}` : a.declaredBy.address;
}
