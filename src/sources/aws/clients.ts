import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { AccountClient } from "@aws-sdk/client-account";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { KMSClient } from "@aws-sdk/client-kms";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { S3Client } from "@aws-sdk/client-s3";
import type { S3ControlClient } from "@aws-sdk/client-s3-control";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { createLimiter, type Limiter } from "./limit.js";

/**
 * The AWS SDK modules, loaded on first use only: a scan of templates never pays for them. Type imports above are
 * erased at build time.
 */
export interface Sdk {
  account: typeof import("@aws-sdk/client-account");
  cloudtrail: typeof import("@aws-sdk/client-cloudtrail");
  cloudwatch: typeof import("@aws-sdk/client-cloudwatch");
  ec2: typeof import("@aws-sdk/client-ec2");
  kms: typeof import("@aws-sdk/client-kms");
  logs: typeof import("@aws-sdk/client-cloudwatch-logs");
  organizations: typeof import("@aws-sdk/client-organizations");
  s3: typeof import("@aws-sdk/client-s3");
  s3control: typeof import("@aws-sdk/client-s3-control");
  sns: typeof import("@aws-sdk/client-sns");
  sts: typeof import("@aws-sdk/client-sts");
}

export async function loadSdk(): Promise<Sdk> {
  const [account, cloudtrail, cloudwatch, ec2, kms, logs, organizations, s3, s3control, sns, sts] =
    await Promise.all([
      import("@aws-sdk/client-account"),
      import("@aws-sdk/client-cloudtrail"),
      import("@aws-sdk/client-cloudwatch"),
      import("@aws-sdk/client-ec2"),
      import("@aws-sdk/client-kms"),
      import("@aws-sdk/client-cloudwatch-logs"),
      import("@aws-sdk/client-organizations"),
      import("@aws-sdk/client-s3"),
      import("@aws-sdk/client-s3-control"),
      import("@aws-sdk/client-sns"),
      import("@aws-sdk/client-sts"),
    ]);
  return { account, cloudtrail, cloudwatch, ec2, kms, logs, organizations, s3, s3control, sns, sts };
}

/** How every client is configured: one place for credentials, endpoint, retries and the user agent. */
export interface ClientSettings {
  /** Named profile of the shared config files; the default credential chain when absent. */
  profile?: string;
  /** Home region: where global and account-wide calls go. The SDK's own resolution when absent. */
  region?: string;
  /** An endpoint for every service (an emulator); `AWS_ENDPOINT_URL` is honoured by the SDK itself. */
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts per call, first try included (adaptive retry mode). */
  maxAttempts?: number;
  /** Calls in flight at once, over all services and regions. */
  concurrency?: number;
  /** Per-request time limit, in milliseconds. */
  requestTimeoutMs?: number;
  /** A limit shared with other accounts' clients (an organization scan); else one of `concurrency` slots. */
  limiter?: Limiter;
  /** `trailguard/<version>` is sent as the user agent. */
  version: string;
  /** Connections shared with other accounts' clients (an organization scan); else each client keeps its own. */
  agents?: SharedAgents;
  /**
   * Endpoint choices another account's clients resolved already from the same environment and profile (an
   * organization scan): each member's clients then skip resolving them again, which costs CPU on every client.
   */
  endpointFlags?: EndpointFlags;
}

/** FIPS and dual-stack endpoints, as the SDK resolves them from the environment and the shared config files. */
export interface EndpointFlags {
  useFipsEndpoint: boolean;
  useDualstackEndpoint: boolean;
}

/**
 * The endpoint choices of the clients' home region, resolved once, for the clients of other accounts; undefined
 * when they cannot be resolved (each client then meets the problem itself, and reports it with its call).
 */
export async function endpointFlagsOf(clients: AwsClients): Promise<EndpointFlags | undefined> {
  try {
    const config = clients.sts(clients.homeRegion).config;
    return {
      useFipsEndpoint: await config.useFipsEndpoint(),
      useDualstackEndpoint: await config.useDualstackEndpoint(),
    };
  } catch {
    return undefined;
  }
}

/**
 * Keep-alive connection pools for the clients of many accounts: an organization scan then opens a connection (and a
 * TLS session) per endpoint, not one per endpoint and account. A client's `destroy()` leaves them open; `close()`
 * ends them once every account is read.
 */
export interface SharedAgents {
  http: HttpAgent;
  https: HttpsAgent;
  close(): void;
}

const SHARED_SOCKETS_PER_ORIGIN = 64;

export function createSharedAgents(): SharedAgents {
  // The SDK destroys a client's agent with the client; these outlive every client.
  class KeptHttp extends HttpAgent {
    override destroy(): void {}
  }
  class KeptHttps extends HttpsAgent {
    override destroy(): void {}
  }
  const options = { keepAlive: true, maxSockets: SHARED_SOCKETS_PER_ORIGIN };
  const http = new KeptHttp(options);
  const https = new KeptHttps(options);
  return {
    http,
    https,
    close() {
      HttpAgent.prototype.destroy.call(http);
      HttpsAgent.prototype.destroy.call(https);
    },
  };
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;

/** One API operation called, as IAM names it by service prefix: `cloudtrail:GetTrailStatus`. */
export interface ApiCall {
  service: string;
  operation: string;
  region: string;
}

type Service = keyof Sdk;

export interface AwsClients {
  sdk: Sdk;
  /** The region used for account-wide and global calls. */
  homeRegion: string;
  account(): AccountClient;
  cloudtrail(region: string): CloudTrailClient;
  cloudwatch(region: string): CloudWatchClient;
  ec2(region: string): EC2Client;
  kms(region: string): KMSClient;
  logs(region: string): CloudWatchLogsClient;
  organizations(): OrganizationsClient;
  s3(region: string): S3Client;
  /** S3 Control, for the account's own settings; account-wide, asked in the home region. */
  s3control(): S3ControlClient;
  sns(region: string): SNSClient;
  sts(region: string): STSClient;
  /** Every operation called, in order (retries not repeated). */
  calls: ApiCall[];
  /** HTTP attempts made, retries included. */
  attempts(): number;
  destroy(): void;
}

/** IAM service prefix of each client. */
const IAM_PREFIX: Record<Service, string> = {
  account: "account",
  cloudtrail: "cloudtrail",
  cloudwatch: "cloudwatch",
  ec2: "ec2",
  kms: "kms",
  logs: "logs",
  organizations: "organizations",
  s3: "s3",
  // S3 Control actions are `s3:` actions in IAM; its own name keeps its operations apart from the bucket ones.
  s3control: "s3control",
  sns: "sns",
  sts: "sts",
};

/** The part of a client's middleware stack used here, typed loosely: one middleware serves every client. */
interface MiddlewareAdder {
  add(
    middleware: (
      next: (args: unknown) => Promise<unknown>,
      context: { commandName?: string },
    ) => (args: unknown) => Promise<unknown>,
    options: { step: "initialize" | "deserialize"; name: string },
  ): void;
}

interface Middlewared {
  middlewareStack: unknown;
  destroy(): void;
}

/**
 * The client factory: one client per service and region, created on demand and shared by every collector. Each
 * client retries in adaptive mode (its rate limiter then tracks the per-account, per-region quota it talks to),
 * records the operations it is asked to call, and waits for a slot of the shared concurrency limit.
 */
export async function createClients(settings: ClientSettings, sdk?: Sdk): Promise<AwsClients> {
  const modules = sdk ?? (await loadSdk());
  const calls: ApiCall[] = [];
  let attempts = 0;
  const limiter: Limiter = settings.limiter ?? createLimiter(settings.concurrency ?? DEFAULT_CONCURRENCY);
  const cache = new Map<string, Middlewared>();
  const endpoint = settings.endpoint;
  const customEndpoint = endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL;
  const controlEndpoint = endpoint ?? process.env.AWS_ENDPOINT_URL_S3_CONTROL ?? process.env.AWS_ENDPOINT_URL;

  const base = (region: string) => ({
    region,
    ...(settings.profile ? { profile: settings.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(settings.endpointFlags ?? {}),
    maxAttempts: settings.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: "adaptive",
    customUserAgent: `trailguard/${settings.version}`,
    requestHandler: {
      requestTimeout: settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      connectionTimeout: Math.min(settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, 10_000),
      // A slow answer is an error (retried, then Unknown), not a warning while the scan waits.
      throwOnRequestTimeout: true,
      ...(settings.agents ? { httpAgent: settings.agents.http, httpsAgent: settings.agents.https } : {}),
    },
  });

  const instrument = <C extends Middlewared>(client: C, service: Service, region: string): C => {
    const stack = client.middlewareStack as MiddlewareAdder;
    stack.add(
      (next, context) => async (args) => {
        const operation = (context.commandName ?? "Unknown").replace(/Command$/, "");
        calls.push({ service: IAM_PREFIX[service], operation, region });
        return limiter.run(() => next(args));
      },
      { step: "initialize", name: "trailguardRecordCall" },
    );
    stack.add(
      (next) => async (args) => {
        attempts++;
        return next(args);
      },
      { step: "deserialize", name: "trailguardCountAttempt" },
    );
    return client;
  };

  const get = <C extends Middlewared>(service: Service, region: string, make: () => C): C => {
    const key = `${service}:${region}`;
    let client = cache.get(key) as C | undefined;
    if (!client) {
      client = instrument(make(), service, region);
      cache.set(key, client);
    }
    return client;
  };

  // The home region: as given, else as the SDK resolves it (environment, profile), else us-east-1.
  let homeRegion = settings.region;
  let credentials = settings.credentials;
  // Region and credentials given (a member of an organization scan): nothing to resolve.
  if (!homeRegion || !credentials) {
    const probe = new modules.sts.STSClient({
      ...(settings.profile ? { profile: settings.profile } : {}),
      ...(homeRegion ? { region: homeRegion } : {}),
      ...(credentials ? { credentials } : {}),
    });
    if (!homeRegion) {
      try {
        homeRegion = await probe.config.region();
      } catch {
        homeRegion = "us-east-1";
      }
    }
    // One credential provider for every client, so a profile's role is assumed once, not once per client.
    credentials ??= probe.config.credentials;
    probe.destroy();
  }
  const home = homeRegion ?? "us-east-1";

  return {
    sdk: modules,
    homeRegion: home,
    account: () => get("account", home, () => new modules.account.AccountClient(base(home))),
    cloudtrail: (region) =>
      get("cloudtrail", region, () => new modules.cloudtrail.CloudTrailClient(base(region))),
    cloudwatch: (region) =>
      get("cloudwatch", region, () => new modules.cloudwatch.CloudWatchClient(base(region))),
    ec2: (region) => get("ec2", region, () => new modules.ec2.EC2Client(base(region))),
    kms: (region) => get("kms", region, () => new modules.kms.KMSClient(base(region))),
    logs: (region) => get("logs", region, () => new modules.logs.CloudWatchLogsClient(base(region))),
    organizations: () =>
      get("organizations", home, () => new modules.organizations.OrganizationsClient(base(home))),
    s3: (region) =>
      get(
        "s3",
        region,
        () =>
          new modules.s3.S3Client({
            ...base(region),
            followRegionRedirects: true,
            // An emulator on a loopback address cannot serve `<bucket>.<host>` names.
            ...(customEndpoint ? { forcePathStyle: true } : {}),
          }),
      ),
    s3control: () =>
      get(
        "s3control",
        home,
        () =>
          new modules.s3control.S3ControlClient({
            ...base(home),
            // S3 Control puts the account id in the host name, which an emulator on a loopback address cannot
            // serve: a custom endpoint is used as it is.
            ...(controlEndpoint ? { endpointProvider: () => ({ url: new URL(controlEndpoint) }) } : {}),
          }),
      ),
    sns: (region) => get("sns", region, () => new modules.sns.SNSClient(base(region))),
    sts: (region) => get("sts", region, () => new modules.sts.STSClient(base(region))),
    calls,
    attempts: () => attempts,
    destroy() {
      for (const client of cache.values()) client.destroy();
      cache.clear();
    },
  };
}
