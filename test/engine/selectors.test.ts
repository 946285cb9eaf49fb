import { describe, expect, test } from "vitest";
import { managementCoverage, s3DataCoverage } from "../../src/engine/selectors.js";
import type { AdvancedFieldSelector, EventSelector } from "../../src/model/index.js";
import { isUnknown, unknown } from "../../src/model/index.js";
import { trail } from "../support/builders.js";

const basic = (rw: "All" | "ReadOnly" | "WriteOnly", values: string[], management = true): EventSelector => ({
  readWriteType: rw,
  includeManagementEvents: management,
  excludeManagementEventSources: [],
  dataResources: [{ type: "AWS::S3::Object", values }],
});
const field = (
  name: string,
  equals: string[] | null,
  notEquals: string[] | null = null,
): AdvancedFieldSelector => ({
  field: name,
  equals,
  notEquals,
  startsWith: null,
  notStartsWith: null,
  endsWith: null,
  notEndsWith: null,
});

describe("S3 data events for every bucket", () => {
  test.each([
    [["arn:aws:s3"], { read: true, write: true }],
    [["arn:aws:s3:::"], { read: true, write: true }],
    [["arn:aws-us-gov:s3:::"], { read: true, write: true }],
    [["arn:${AWS::Partition}:s3"], { read: true, write: true }],
    [["arn:aws:s3:::my-bucket/"], { read: false, write: false }],
    [["arn:aws:s3::"], { read: false, write: false }],
    [["arn:aws:s3:::x", "arn:aws:s3"], { read: true, write: true }],
  ])("basic selector values %j → %j", (values, expected) => {
    expect(s3DataCoverage(trail({ eventSelectors: [basic("All", values)] }))).toEqual(expected);
  });

  test("read-only and write-only selectors add up", () => {
    const t = trail({
      eventSelectors: [basic("ReadOnly", ["arn:aws:s3"]), basic("WriteOnly", ["arn:aws:s3"])],
    });
    expect(s3DataCoverage(t)).toEqual({ read: true, write: true });
  });

  test.each([
    [
      [field("eventCategory", ["Data"]), field("resources.type", ["AWS::S3::Object"])],
      { read: true, write: true },
    ],
    [
      [
        field("eventCategory", ["Data"]),
        field("resources.type", ["AWS::S3::Object"]),
        field("readOnly", ["false"]),
      ],
      { read: false, write: true },
    ],
    [
      [
        field("eventCategory", ["Data"]),
        field("resources.type", ["AWS::S3::Object"]),
        field("resources.ARN", null, ["arn:aws:s3:::x/"]),
      ],
      { read: false, write: false },
    ],
    [
      [field("eventCategory", ["Data"]), field("resources.type", ["AWS::DynamoDB::Table"])],
      { read: false, write: false },
    ],
  ])("advanced selector %# → %j", (fieldSelectors, expected) => {
    expect(s3DataCoverage(trail({ advancedEventSelectors: [{ name: null, fieldSelectors }] }))).toEqual(
      expected,
    );
  });

  test("an unknown selector list is unknown, not 'no data events'", () => {
    expect(
      isUnknown(s3DataCoverage(trail({ eventSelectors: unknown("GetEventSelectors: AccessDenied") }))),
    ).toBe(true);
  });
});

describe("management events", () => {
  test("no selectors configured is AWS's default: read and write", () => {
    expect(managementCoverage(trail({ eventSelectors: null }))).toEqual({
      read: true,
      write: true,
      excludedSources: [],
    });
  });
  test("an empty selector list records no management events", () => {
    expect(managementCoverage(trail({ eventSelectors: [] }))).toEqual({
      read: false,
      write: false,
      excludedSources: [],
    });
  });
  test("management events off", () => {
    expect(managementCoverage(trail({ eventSelectors: [basic("All", [], false)] }))).toMatchObject({
      read: false,
      write: false,
    });
  });
  test("advanced selectors replace basic ones", () => {
    const t = trail({
      eventSelectors: [basic("All", [])],
      advancedEventSelectors: [
        {
          name: null,
          fieldSelectors: [field("eventCategory", ["Management"]), field("readOnly", null, ["true"])],
        },
      ],
    });
    expect(managementCoverage(t)).toEqual({ read: false, write: true, excludedSources: [] });
  });
  test("excluded sources are reported", () => {
    const t = trail({
      advancedEventSelectors: [
        {
          name: null,
          fieldSelectors: [
            field("eventCategory", ["Management"]),
            field("eventSource", null, ["kms.amazonaws.com"]),
          ],
        },
      ],
    });
    expect(managementCoverage(t)).toEqual({
      read: true,
      write: true,
      excludedSources: ["kms.amazonaws.com"],
    });
  });
});

describe("advanced selector filters that narrow what is recorded", () => {
  test.each([
    ["userIdentity.arn", field("userIdentity.arn", null, ["arn:aws:iam::1:role/x"])],
    ["eventName", field("eventName", ["PutObject"])],
    ["errorCode", field("errorCode", null, ["AccessDenied"])],
  ])("an S3 data selector filtered by %s is not 'every bucket'", (_name, filter) => {
    const fieldSelectors = [
      field("eventCategory", ["Data"]),
      field("resources.type", ["AWS::S3::Object"]),
      filter,
    ];
    expect(s3DataCoverage(trail({ advancedEventSelectors: [{ name: null, fieldSelectors }] }))).toEqual({
      read: false,
      write: false,
    });
  });

  test("an eventSource prefix filter on management events counts as an exclusion", () => {
    const source: AdvancedFieldSelector = { ...field("eventSource", null), notStartsWith: ["kms."] };
    const t = trail({
      advancedEventSelectors: [
        { name: null, fieldSelectors: [field("eventCategory", ["Management"]), source] },
      ],
    });
    const coverage = managementCoverage(t);
    expect(coverage).toMatchObject({ read: true, write: true });
    expect((coverage as { excludedSources: string[] }).excludedSources).toEqual([
      "eventSource filtered by kms.",
    ]);
  });
});
