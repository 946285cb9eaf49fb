import { describe, expect, test } from "vitest";
import { isUnknown } from "../../../src/model/index.js";
import { ask } from "../../../src/sources/aws/answers.js";
import {
  type Answer,
  type AnswerSource,
  liveDocument,
  nodeOf,
} from "../../../src/sources/aws-api/answers.js";
import { FieldReader } from "../../../src/sources/aws-api/fields.js";
import { mapTrail } from "../../../src/sources/aws-api/trails.js";
import { LocatedJson } from "../../../src/sources/json.js";

const ARN = "arn:aws:cloudtrail:us-east-1:123456789012:trail/main";

/** Answers by command, for one trail. */
function source(answers: Record<string, Answer>): AnswerSource {
  return {
    dir: "",
    answer: (command) => answers[command] ?? { kind: "absent", reason: `${command} not given` },
    ids: (command) => (answers[command] ? [ARN] : []),
  };
}

const fileAnswer = (path: string, value: unknown): Answer => {
  const file = LocatedJson.parse(path, JSON.stringify(value, null, 2));
  return { kind: "json", file, root: file.root };
};
const liveAnswer = (operation: string, value: unknown): Answer => ({
  kind: "json",
  file: liveDocument(operation),
  root: nodeOf(value),
});

/** A trail read from AWS CLI files and from SDK responses: the model without where each value was read. */
function bothWays(trail: Record<string, unknown>, status: Record<string, unknown>) {
  const fromFiles = mapTrail(
    source({ "get-trail-status": fileAnswer("get-trail-status.main.json", status) }),
    new FieldReader(LocatedJson.parse("describe-trails.json", JSON.stringify(trail)), {}),
    LocatedJson.parse("describe-trails.json", JSON.stringify(trail)).root,
    () => ARN,
  ).trail;
  const fromSdk = mapTrail(
    source({
      "get-trail-status": liveAnswer("GetTrailStatus", { $metadata: { httpStatusCode: 200 }, ...status }),
    }),
    new FieldReader(liveDocument("DescribeTrails"), {}),
    nodeOf(trail),
    () => ARN,
  ).trail;
  const settings = (t: typeof fromFiles) => {
    const { origin: _origin, fieldLocations: _locations, ...rest } = t;
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, isUnknown(v) ? "unknown" : v]));
  };
  return { fromFiles, fromSdk, files: settings(fromFiles), sdk: settings(fromSdk) };
}

describe("one mapping for SDK responses and AWS CLI output", () => {
  const trail = {
    Name: "main",
    TrailARN: ARN,
    HomeRegion: "us-east-1",
    S3BucketName: "logs",
    IsMultiRegionTrail: true,
    IsOrganizationTrail: false,
    IncludeGlobalServiceEvents: true,
    LogFileValidationEnabled: true,
    HasCustomEventSelectors: false,
    HasInsightSelectors: false,
  };

  test("the same trail answers give the same trail; only the file answers carry positions", () => {
    const { fromFiles, fromSdk, files, sdk } = bothWays(trail, { IsLogging: true });
    expect(sdk).toEqual(files);
    expect(fromSdk.isLogging).toBe(true);
    expect(fromFiles.fieldLocations.isLogging?.file).toBe("get-trail-status.main.json");
    expect(fromSdk.fieldLocations).toEqual({});
    expect(fromSdk.origin.location).toBeUndefined();
  });

  test.each(["IncludeGlobalServiceEvents", "IsMultiRegionTrail", "LogFileValidationEnabled"])(
    "a trail answer without %s is unknown from either source, never false",
    (flag) => {
      const { [flag as keyof typeof trail]: _left, ...rest } = trail;
      const { files, sdk } = bothWays(rest, { IsLogging: true });
      expect(sdk).toEqual(files);
      const field = flag.charAt(0).toLowerCase() + flag.slice(1);
      expect(sdk[field]).toBe("unknown");
    },
  );

  test("SDK dates become the ISO text the AWS CLI prints; response metadata and undefined members are dropped", () => {
    const node = nodeOf({
      $metadata: { requestId: "x" },
      LatestDeliveryTime: new Date("2026-01-02T03:04:05.000Z"),
      Missing: undefined,
    });
    expect(node.kind === "object" && [...node.members.keys()]).toEqual(["LatestDeliveryTime"]);
    const time = node.kind === "object" ? node.members.get("LatestDeliveryTime") : undefined;
    expect(time?.kind === "scalar" && time.value).toBe("2026-01-02T03:04:05.000Z");
  });

  test("a failed call is an answer with the error's code and the operation named in its reason", async () => {
    const warnings: string[] = [];
    const error = Object.assign(new Error("Access Denied"), { name: "AccessDenied" });
    const answer = await ask(
      "GetBucketPolicy",
      () => Promise.reject(error),
      (reason) => warnings.push(reason),
    );
    expect(answer).toMatchObject({
      kind: "error",
      code: "AccessDenied",
      reason: "GetBucketPolicy: AccessDenied: Access Denied",
    });
    expect(warnings).toEqual(["GetBucketPolicy: AccessDenied: Access Denied"]);
    // "Not configured" is an answer, not a problem to report.
    const none = Object.assign(new Error("no policy"), { name: "NoSuchBucketPolicy" });
    expect(
      await ask(
        "GetBucketPolicy",
        () => Promise.reject(none),
        (r) => warnings.push(r),
      ),
    ).toMatchObject({
      kind: "error",
      code: "NoSuchBucketPolicy",
    });
    expect(warnings).toHaveLength(1);
  });
});
