import type { SourceLocation } from "./location.js";

/**
 * A value trailguard could not determine: an AccessDenied, an unresolvable `!ImportValue`, an unknown value in a
 * plan. Rules that depend on it yield `unknown`, never `pass`.
 */
export class Unknown {
  readonly unknown = true as const;
  constructor(
    readonly reason: string,
    readonly location?: SourceLocation,
  ) {}
}

/**
 * A field is either known (a value, or `null` for "not set") or Unknown with the reason.
 *
 * A known string may contain `${Name}` placeholders for parts fixed only at deploy time that are certain to exist
 * (`${AWS::AccountId}`, `${TrailBucket.Arn}`): the value is set, its exact text is not. Placeholders of the same
 * name denote the same thing, so comparing such strings is meaningful.
 */
export type Maybe<T> = T | Unknown;

export function unknown(reason: string, location?: SourceLocation): Unknown {
  return new Unknown(reason, location);
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

export function isKnown<T>(value: Maybe<T>): value is T {
  return !(value instanceof Unknown);
}
