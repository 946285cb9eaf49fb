import { readFileSync } from "node:fs";
import * as account from "@aws-sdk/client-account";
import * as cloudtrail from "@aws-sdk/client-cloudtrail";
import * as cloudwatch from "@aws-sdk/client-cloudwatch";
import * as logs from "@aws-sdk/client-cloudwatch-logs";
import * as ec2 from "@aws-sdk/client-ec2";
import * as kms from "@aws-sdk/client-kms";
import * as organizations from "@aws-sdk/client-organizations";
import * as s3 from "@aws-sdk/client-s3";
import * as s3control from "@aws-sdk/client-s3-control";
import * as sns from "@aws-sdk/client-sns";
import * as sts from "@aws-sdk/client-sts";
import type { MetadataBearer } from "@smithy/types";
import { type AwsStub, mockClient } from "aws-sdk-client-mock";
import {
  type ApiCall,
  collectLive,
  type LiveOptions,
  type LiveResult,
} from "../../../src/sources/aws/index.js";
import { liveOptions } from "./helpers.js";

/**
 * The AWS-shaped account of test/fixtures/aws/aws-shaped-account.json served through aws-sdk-client-mock: every
 * client class answers from the fixture, and a test may override any operation (an AccessDenied, a throttle).
 */
const FIXTURE = JSON.parse(
  readFileSync(new URL("../../fixtures/aws/aws-shaped-account.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

/** An SDK-like service error: what the SDK throws for an error response. */
export function awsError(name: string, message: string, status = 403): Error {
  return Object.assign(new Error(message), { name, $fault: "client", $metadata: { httpStatusCode: status } });
}

type Handler = (input: Record<string, unknown>, region: string) => unknown;

const SERVICES = [
  ["account", account.AccountClient, account],
  ["cloudtrail", cloudtrail.CloudTrailClient, cloudtrail],
  ["cloudwatch", cloudwatch.CloudWatchClient, cloudwatch],
  ["ec2", ec2.EC2Client, ec2],
  ["kms", kms.KMSClient, kms],
  ["logs", logs.CloudWatchLogsClient, logs],
  ["organizations", organizations.OrganizationsClient, organizations],
  ["s3", s3.S3Client, s3],
  ["s3control", s3control.S3ControlClient, s3control],
  ["sns", sns.SNSClient, sns],
  ["sts", sts.STSClient, sts],
] as const;

export interface MockedAccount {
  /** Operations called, as the recorder of the real clients names them. */
  calls(): Promise<ApiCall[]>;
  restore(): void;
}

/**
 * Mocks every client with the fixture's answers; `overrides` replace the answer of an operation. A key may name the
 * service (`s3control:GetPublicAccessBlock`) where two services have an operation of one name.
 */
export function mockAwsAccount(overrides: Record<string, Handler> = {}): MockedAccount {
  const stubs: [string, AwsStub<object, MetadataBearer, unknown>][] = [];
  for (const [service, Client] of SERVICES) {
    // biome-ignore lint/suspicious/noExplicitAny: one stub type for every client class
    const stub = mockClient(Client as any) as unknown as AwsStub<object, MetadataBearer, unknown>;
    stubs.push([service, stub]);
    stub.callsFake(async (input: Record<string, unknown>, getClient: () => unknown) => {
      throw new Error(`unexpected call with ${JSON.stringify(input)} (${typeof getClient})`);
    });
  }
  // Each command class of the fixture's operations answers from the fixture (or the override).
  for (const [service, , module] of SERVICES) {
    const stub = stubs.find(([s]) => s === service)?.[1];
    for (const [name, Command] of Object.entries(module)) {
      if (!name.endsWith("Command") || typeof Command !== "function" || name === "Command") continue;
      const operation = name.slice(0, -"Command".length);
      // `s3control:GetPublicAccessBlock` apart from S3's own `GetPublicAccessBlock`.
      const qualified = `${service}:${operation}`;
      const key = qualified in FIXTURE || qualified in overrides ? qualified : operation;
      const override = overrides[key];
      if (!override && !(key in FIXTURE)) continue;
      // biome-ignore lint/suspicious/noExplicitAny: the stub accepts any command class
      stub?.on(Command as any).callsFake(async (input: Record<string, unknown>, getClient: () => unknown) => {
        const client = getClient() as { config: { region: () => Promise<string> } };
        const region = await client.config.region();
        if (override) return override(input, region);
        return answer(key, region);
      });
    }
  }
  return {
    async calls() {
      const out: ApiCall[] = [];
      for (const [service, stub] of stubs) {
        for (const call of stub.calls()) {
          const command = call.args[0] as { constructor: { name: string } };
          const client = call.thisValue as { config: { region: () => Promise<string> } };
          out.push({
            service,
            operation: command.constructor.name.replace(/Command$/, ""),
            region: await client.config.region(),
          });
        }
      }
      return out;
    },
    restore() {
      for (const [, stub] of stubs) stub.restore();
    },
  };
}

/** The fixture's answer to an operation (per region when the fixture keys it so). */
export function answer(operation: string, region: string): unknown {
  let value = FIXTURE[operation] as Record<string, unknown>;
  if (value && region in value) value = value[region] as Record<string, unknown>;
  if (value && typeof value.$error === "string") {
    throw awsError(value.$error, String(value.message ?? value.$error), Number(value.status ?? 400));
  }
  return structuredClone(value);
}

/** Collects the fixture account (with overrides), then restores the real clients. */
export async function collectAwsShaped(
  overrides: Record<string, Handler> = {},
  options: LiveOptions = {},
): Promise<LiveResult> {
  const mocked = mockAwsAccount(overrides);
  try {
    const result = await collectLive(liveOptions("http://127.0.0.1:9", options));
    // The mocks stand in for the clients' send(), before the recording middleware: they record instead.
    return { ...result, apiCalls: await mocked.calls() };
  } finally {
    mocked.restore();
  }
}
