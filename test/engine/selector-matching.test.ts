import { describe, expect, test } from "vitest";
import { managementCoverage, s3DataCoverage } from "../../src/engine/selectors.js";
import type { AdvancedFieldSelector, EventSelector } from "../../src/model/index.js";
import { emptyFieldSelector } from "../../src/sources/selectors.js";
import { trail } from "../support/builders.js";

const f = (field: string, ops: Partial<Omit<AdvancedFieldSelector, "field">>): AdvancedFieldSelector => ({
  ...emptyFieldSelector(field),
  ...ops,
});
const s3Objects = [
  f("eventCategory", { equals: ["Data"] }),
  f("resources.type", { equals: ["AWS::S3::Object"] }),
];
const data = (...extra: AdvancedFieldSelector[]) =>
  s3DataCoverage(
    trail({ advancedEventSelectors: [{ name: null, fieldSelectors: [...s3Objects, ...extra] }] }),
  );

describe("S3 data selectors are judged by what they match", () => {
  test.each([
    ["resources.ARN StartsWith arn:aws:s3:::", f("resources.ARN", { startsWith: ["arn:aws:s3:::"] })],
    ["resources.ARN StartsWith arn:aws-cn:s3", f("resources.ARN", { startsWith: ["arn:aws-cn:s3"] })],
    ["resources.ARN StartsWith arn:", f("resources.ARN", { startsWith: ["arn:"] })],
    ["eventSource Equals s3.amazonaws.com", f("eventSource", { equals: ["s3.amazonaws.com"] })],
    ["eventSource NotEquals another service", f("eventSource", { notEquals: ["lambda.amazonaws.com"] })],
    ["eventSource StartsWith s3.", f("eventSource", { startsWith: ["s3."] })],
    [
      "resources.ARN NotStartsWith another service",
      f("resources.ARN", { notStartsWith: ["arn:aws:lambda:"] }),
    ],
  ])("%s keeps every bucket", (_name, filter) => {
    expect(data(filter)).toEqual({ read: true, write: true });
  });

  test.each([
    ["resources.ARN StartsWith one bucket", f("resources.ARN", { startsWith: ["arn:aws:s3:::logs/"] })],
    ["resources.ARN Equals one object", f("resources.ARN", { equals: ["arn:aws:s3:::logs/a"] })],
    ["resources.ARN NotStartsWith one bucket", f("resources.ARN", { notStartsWith: ["arn:aws:s3:::x/"] })],
    ["resources.ARN EndsWith a suffix", f("resources.ARN", { endsWith: [".csv"] })],
    ["eventSource Equals another service", f("eventSource", { equals: ["lambda.amazonaws.com"] })],
    ["eventSource NotEquals s3", f("eventSource", { notEquals: ["s3.amazonaws.com"] })],
    ["eventName Equals PutObject", f("eventName", { equals: ["PutObject"] })],
  ])("%s does not", (_name, filter) => {
    expect(data(filter)).toEqual({ read: false, write: false });
  });

  test("readOnly NotEquals true leaves the write direction", () => {
    expect(data(f("readOnly", { notEquals: ["true"] }))).toEqual({ read: false, write: true });
  });
});

const management = (...selectors: AdvancedFieldSelector[][]) =>
  managementCoverage(
    trail({
      advancedEventSelectors: selectors.map((fields) => ({
        name: null,
        fieldSelectors: [f("eventCategory", { equals: ["Management"] }), ...fields],
      })),
    }),
  );
const basic = (rw: "All" | "ReadOnly" | "WriteOnly", excluded: string[]): EventSelector => ({
  readWriteType: rw,
  includeManagementEvents: true,
  excludeManagementEventSources: excluded,
  dataResources: [],
});

describe("a management event is recorded when any selector records it", () => {
  test("two advanced selectors, only one excluding KMS, still record KMS events", () => {
    expect(management([f("eventSource", { notEquals: ["kms.amazonaws.com"] })], [])).toEqual({
      read: true,
      write: true,
      excludedSources: [],
    });
  });

  test("two basic selectors, only one excluding KMS, still record KMS events", () => {
    const t = trail({ eventSelectors: [basic("All", ["kms.amazonaws.com"]), basic("All", [])] });
    expect(managementCoverage(t)).toEqual({ read: true, write: true, excludedSources: [] });
  });

  test("a source left out by every selector stays excluded", () => {
    expect(
      management(
        [f("eventSource", { notEquals: ["kms.amazonaws.com", "rdsdata.amazonaws.com"] })],
        [f("eventSource", { notEquals: ["kms.amazonaws.com"] })],
      ),
    ).toEqual({ read: true, write: true, excludedSources: ["kms.amazonaws.com"] });
  });

  test("a selector keeping only KMS makes up for another one excluding it", () => {
    expect(
      management(
        [f("eventSource", { notEquals: ["kms.amazonaws.com"] })],
        [f("eventSource", { equals: ["kms.amazonaws.com"] })],
      ),
    ).toMatchObject({ excludedSources: [] });
  });

  test("an exclusion counts in the direction where no other selector records the source", () => {
    // Reads of KMS are recorded by the second selector, writes of KMS by none.
    const t = trail({ eventSelectors: [basic("All", ["kms.amazonaws.com"]), basic("ReadOnly", [])] });
    expect(managementCoverage(t)).toEqual({
      read: true,
      write: true,
      excludedSources: ["kms.amazonaws.com"],
    });
  });

  test("selectors keeping only some sources add up to only those", () => {
    expect(
      management(
        [f("eventSource", { equals: ["s3.amazonaws.com"] })],
        [f("eventSource", { equals: ["iam.amazonaws.com"] })],
      ),
    ).toMatchObject({ excludedSources: ["all but s3.amazonaws.com, iam.amazonaws.com"] });
  });
});
