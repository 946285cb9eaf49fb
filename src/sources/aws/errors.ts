import type { InputError } from "../../model/index.js";
import { type Unknown, unknown } from "../../model/index.js";

/**
 * Errors by which an API says "this setting is not configured": a known absence, not a failure. Every other error
 * (AccessDenied, a region that refuses, a throttle that outlasted the retries, a timeout) makes the fields it would
 * have filled `Unknown`, with the error named.
 */
export const NOT_CONFIGURED: Record<string, readonly string[]> = {
  GetBucketPolicy: ["NoSuchBucketPolicy"],
  GetPublicAccessBlock: ["NoSuchPublicAccessBlockConfiguration"],
  GetAccountPublicAccessBlock: ["NoSuchPublicAccessBlockConfiguration"],
  GetBucketPolicyStatus: ["NoSuchBucketPolicy"],
  GetBucketEncryption: ["ServerSideEncryptionConfigurationNotFoundError"],
  GetBucketLifecycleConfiguration: ["NoSuchLifecycleConfiguration"],
  GetObjectLockConfiguration: ["ObjectLockConfigurationNotFoundError"],
  GetBucketWebsite: ["NoSuchWebsiteConfiguration"],
  GetBucketOwnershipControls: ["OwnershipControlsNotFoundError"],
  GetInsightSelectors: ["InsightNotEnabledException"],
  // Asymmetric and HMAC keys cannot rotate: the API refuses the question, the answer is "no".
  GetKeyRotationStatus: ["UnsupportedOperationException"],
  DescribeOrganization: ["AWSOrganizationsNotInUseException"],
};

export function errorName(error: unknown): string {
  const e = error as {
    name?: unknown;
    Code?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const name = [e?.name, e?.Code, e?.code].find((v) => typeof v === "string" && v !== "" && v !== "Error");
  if (typeof name === "string") return name;
  const status = e?.$metadata?.httpStatusCode;
  return status ? `HTTP ${status}` : "Error";
}

/** `GetBucketPolicy: AccessDenied: Access Denied` — the operation, the error's name and its message. */
export function describeError(operation: string, error: unknown): string {
  const name = errorName(error);
  const raw = (error as { message?: unknown })?.message;
  const message = typeof raw === "string" ? raw.replace(/\s+/g, " ").trim() : "";
  const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
  const detail =
    message && message !== name && message !== "UnknownError" ? `: ${message.slice(0, 300)}` : "";
  const http = name.startsWith("HTTP") || !status || detail ? "" : ` (HTTP ${status})`;
  return `${operation}: ${name}${http}${detail}`;
}

export function isNotConfigured(operation: string, error: unknown): boolean {
  return NOT_CONFIGURED[operation]?.includes(errorName(error)) ?? false;
}

/** A call's outcome: its output, a known absence (`not-configured`), or a failure that makes fields Unknown. */
export type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; notConfigured: true }
  | { ok: false; notConfigured: false; reason: string };

export async function attempt<T>(operation: string, run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (isNotConfigured(operation, error)) return { ok: false, notConfigured: true };
    return { ok: false, notConfigured: false, reason: describeError(operation, error) };
  }
}

export function failure(outcome: Outcome<unknown>): Unknown | undefined {
  return !outcome.ok && !outcome.notConfigured ? unknown(outcome.reason) : undefined;
}

/** Collects the problems met while reading one account: never dropped, always returned with the inventory. */
export class ErrorLog {
  readonly errors: InputError[] = [];
  private readonly seen = new Set<string>();

  /** A field could not be read: the rest of the resource is still assessed. */
  warn(message: string): void {
    this.add(message, "warning");
  }

  /** A whole API or region failed. */
  error(message: string): void {
    this.add(message, "error");
  }

  private add(message: string, severity: InputError["severity"]): void {
    const key = `${severity}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.errors.push({ code: "aws-error", message, severity });
  }
}
