import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import type { AwsClients } from "../clients.js";

/** How a member account is entered. */
export interface RoleToAssume {
  roleArn: string;
  externalId?: string;
  /** Seconds the session lasts (AssumeRole's DurationSeconds); AWS's default of an hour when absent. */
  durationSeconds?: number;
}

export const SESSION_NAME = "trailguard";

/** Credentials are renewed this long before they expire, so no call is signed with a key about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * A credential provider for the role, assumed with the calling account's STS client in the home region (a regional
 * endpoint: its tokens are valid in every region, opt-in ones included). The session is cached and assumed again
 * shortly before it expires, so a long scan never signs with lapsed credentials; concurrent callers share one
 * AssumeRole.
 */
export function assumeRoleProvider(
  clients: AwsClients,
  role: RoleToAssume,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  const { sts } = clients.sdk;
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity | undefined): c is AwsCredentialIdentity =>
    c !== undefined && (c.expiration === undefined || c.expiration.getTime() - now() > REFRESH_MARGIN_MS);
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const out = await clients.sts(clients.homeRegion).send(
      new sts.AssumeRoleCommand({
        RoleArn: role.roleArn,
        RoleSessionName: SESSION_NAME,
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
        ...(role.durationSeconds ? { DurationSeconds: role.durationSeconds } : {}),
      }),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("AssumeRole returned no credentials");
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
      ...(c.Expiration ? { expiration: new Date(c.Expiration) } : {}),
    };
  };
  return async () => {
    if (fresh(current)) return current;
    pending ??= assume().then(
      (c) => {
        current = c;
        pending = undefined;
        return c;
      },
      (error) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
}
