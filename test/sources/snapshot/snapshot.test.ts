import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, test } from "vitest";
import {
  type AccountInventory,
  emptyAccount,
  type Trail,
  Unknown,
  unknown,
} from "../../../src/model/index.js";
import { readSnapshot, snapshotReader, writeSnapshot } from "../../../src/sources/snapshot/index.js";
import { REPO_ROOT } from "../../support/paths.js";

const schema = JSON.parse(readFileSync(`${REPO_ROOT}/policies/schema/snapshot.schema.json`, "utf8"));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const file = (text: string) => ({
  path: "snap/account.json",
  absolutePath: `${REPO_ROOT}/snap/account.json`,
  text,
});

function account(): AccountInventory {
  const a = emptyAccount("123456789012", { address: "arn:aws:::account/123456789012" }, true);
  a.accountId = "123456789012";
  a.regions = unknown("ListRegions: AccessDeniedException: not authorized");
  const denied = unknown("GetEventSelectors: AccessDeniedException: no", {
    file: "elsewhere.yaml",
    line: 3,
    column: 5,
  });
  const trail: Trail = {
    kind: "trail",
    id: "arn:aws:cloudtrail:us-east-1:123456789012:trail/t",
    origin: { address: "arn:aws:cloudtrail:us-east-1:123456789012:trail/t" },
    fieldLocations: {},
    name: "t",
    arn: "arn:aws:cloudtrail:us-east-1:123456789012:trail/t",
    accountId: "123456789012",
    homeRegion: "us-east-1",
    isMultiRegionTrail: true,
    isOrganizationTrail: false,
    isLogging: unknown("GetTrailStatus: AccessDeniedException: no"),
    includeGlobalServiceEvents: true,
    logFileValidationEnabled: false,
    kmsKeyId: null,
    s3BucketName: "b",
    s3KeyPrefix: null,
    snsTopic: null,
    cloudWatchLogsLogGroupArn: null,
    cloudWatchLogsRoleArn: null,
    eventSelectors: denied,
    advancedEventSelectors: null,
    insightTypes: [],
    links: { bucket: "arn:aws:s3:::b" },
  };
  a.trails.push(trail);
  a.organization = unknown("DescribeOrganization: AccessDeniedException: no");
  return a;
}

describe("snapshots", () => {
  test("Unknown values (reason and location), nulls and links survive a round trip", () => {
    const text = writeSnapshot([account()], { generator: "trailguard/test" });
    expect(text.startsWith('{\n  "trailguardSnapshot": 1,')).toBe(true);
    expect(validate(JSON.parse(text))).toBe(true);
    const read = readSnapshot(file(text));
    expect(read?.errors).toEqual([]);
    const back = read?.accounts[0];
    const trail = back?.trails[0];
    expect(trail?.isLogging).toBeInstanceOf(Unknown);
    expect(trail?.isLogging).toMatchObject({ reason: "GetTrailStatus: AccessDeniedException: no" });
    expect(trail?.eventSelectors).toEqual(
      new Unknown("GetEventSelectors: AccessDeniedException: no", {
        file: "elsewhere.yaml",
        line: 3,
        column: 5,
      }),
    );
    expect(trail?.kmsKeyId).toBeNull();
    expect(trail?.advancedEventSelectors).toBeNull();
    expect(trail?.links).toEqual({ bucket: "arn:aws:s3:::b" });
    expect(back?.regions).toBeInstanceOf(Unknown);
    expect(back?.organization).toBeInstanceOf(Unknown);
    expect(back?.completeAccount).toBe(true);
    expect(back?.accountId).toBe("123456789012");
  });

  test("resources and their fields point at their lines in the snapshot", () => {
    const text = writeSnapshot([account()]);
    const lines = text.split("\n");
    const trail = readSnapshot(file(text))?.accounts[0]?.trails[0];
    const line = trail?.origin.location?.line ?? 0;
    expect(trail?.origin.location?.file).toBe("snap/account.json");
    expect(lines[line - 1]?.trim()).toBe("{");
    expect(lines[line]?.trim()).toBe('"kind": "trail",');
    const logging = trail?.fieldLocations.isLogging;
    expect(lines[(logging?.line ?? 0) - 1]).toContain('"isLogging"');
  });

  test("the file reader gives the recorded accounts whole; other JSON is not its business", () => {
    const result = snapshotReader.read(file(writeSnapshot([account()])));
    expect(result.status).toBe("accounts");
    if (result.status === "accounts") {
      expect(result.accounts[0]?.trails).toHaveLength(1);
      expect(result.accounts[0]?.completeAccount).toBe(true);
    }
    expect(snapshotReader.read(file('{"AWSTemplateFormatVersion": "2010-09-09"}')).status).toBe("not-mine");
  });

  test("a broken or newer snapshot is an error with its line, not a silent empty inventory", () => {
    const broken = readSnapshot(file('{"trailguardSnapshot": 1,\n  "accounts": [\n    {"key": "x",]\n}'));
    expect(broken?.errors[0]).toMatchObject({ file: "snap/account.json", line: 3, severity: "error" });
    const newer = readSnapshot(file('{"trailguardSnapshot": 2, "accounts": []}'));
    expect(newer?.errors[0]?.message).toMatch(/unsupported snapshot version 2/);
    const wrongKind = readSnapshot(
      file(
        '{"trailguardSnapshot": 1, "accounts": [{"key": "k", "trails": [{"kind": "bucket", "id": "x"}]}]}',
      ),
    );
    expect(wrongKind?.errors[0]?.message).toMatch(/expected a trail/);
  });

  test("the schema rejects a snapshot that breaks the format", () => {
    const doc = JSON.parse(writeSnapshot([account()]));
    doc.accounts[0].trails[0].isLogging = "yes";
    expect(validate(doc)).toBe(false);
    delete doc.trailguardSnapshot;
    expect(validate(doc)).toBe(false);
  });
});
