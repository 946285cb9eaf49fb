import { describe, expect, test } from "vitest";
import { awsError, collectAwsShaped } from "./aws-shaped.js";
import { findingsOf, verdictsFor } from "./helpers.js";

const ACCOUNT = "arn:aws:::account/123456789012";
const MANAGEMENT = "arn:aws:cloudtrail:us-east-1:123456789012:trail/management";
const DUBLIN = "arn:aws:cloudtrail:eu-west-1:123456789012:trail/dublin-local";
const STORE = "arn:aws:cloudtrail:us-east-1:123456789012:eventdatastore/a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";

/** AWS behaviour moto does not show, from recorded AWS-shaped answers (see the fixture's comments). */
describe("collection of an AWS-shaped account", () => {
  test("trails of every region in two calls; selectors only where the trail has custom ones", async () => {
    const result = await collectAwsShaped();
    const ops = result.apiCalls.map((c) => `${c.operation}@${c.region}`);
    // ListTrails is account-wide, and one DescribeTrails in the home region describes the eu-west-1 trail too.
    expect(ops.filter((o) => o.startsWith("ListTrails"))).toEqual(["ListTrails@us-east-1"]);
    expect(ops.filter((o) => o.startsWith("DescribeTrails"))).toEqual(["DescribeTrails@us-east-1"]);
    // Status, selectors and insights are asked in each trail's home region, and only when the trail has them.
    expect(ops.filter((o) => o.startsWith("GetTrailStatus")).sort()).toEqual([
      "GetTrailStatus@eu-west-1",
      "GetTrailStatus@us-east-1",
    ]);
    expect(ops.filter((o) => o.startsWith("GetEventSelectors"))).toEqual(["GetEventSelectors@us-east-1"]);
    expect(ops.filter((o) => o.startsWith("GetInsightSelectors"))).toEqual(["GetInsightSelectors@us-east-1"]);
    // Regions from Account ListRegions: no EC2 fallback. Bucket region from ListBuckets: no GetBucketLocation.
    expect(ops.some((o) => o.startsWith("DescribeRegions"))).toBe(false);
    expect(ops.some((o) => o.startsWith("GetBucketLocation"))).toBe(false);
    // One bucket shared by both trails: read once.
    expect(ops.filter((o) => o.startsWith("GetBucketPolicy@"))).toHaveLength(1);
    expect(result.errors).toEqual([]);

    const account = result.accounts[0];
    expect(account?.regions).toEqual(["eu-west-1", "us-east-1"]);
    const dublin = account?.trails.find((t) => t.id === DUBLIN);
    expect(dublin?.eventSelectors).toBeNull();
    expect(dublin?.insightTypes).toEqual([]);
    const bucket = account?.buckets[0];
    expect(bucket?.encryption).toEqual({ algorithm: "AES256", kmsKeyId: null });
    expect(bucket?.region).toBe("us-east-1");
    expect(bucket?.objectLock).toEqual({ enabled: true, mode: "COMPLIANCE", retentionDays: 365 });
    expect(account?.organization).toMatchObject({
      organizationId: "o-exampleorg1",
      managementAccountId: "123456789012",
    });

    const findings = findingsOf(result.accounts);
    expect(verdictsFor(findings, ACCOUNT)).toEqual({
      "trail.enabled": "pass",
      "trail.s3-data-events-read": "pass",
      "trail.s3-data-events-write": "pass",
    });
    const management = verdictsFor(findings, MANAGEMENT);
    expect(Object.entries(management).filter(([, v]) => v !== "pass")).toEqual([]);
    expect(verdictsFor(findings, DUBLIN)["trail.management-events"]).toBe("pass");
    expect(verdictsFor(findings, "arn:aws:s3:::management-trail-logs")["bucket.mfa-delete"]).toBe("pass");
    expect(verdictsFor(findings, STORE)).toEqual({
      "lake.retention": "pass",
      "lake.termination-protection": "pass",
    });
  });

  test("a trail of another region that DescribeTrails leaves out is described from its home region", async () => {
    const result = await collectAwsShaped({
      DescribeTrails: (input, region) => {
        const names = input.trailNameList as string[];
        const all = [
          {
            Name: "management",
            TrailARN: MANAGEMENT,
            HomeRegion: "us-east-1",
            IsMultiRegionTrail: true,
            S3BucketName: "management-trail-logs",
            HasCustomEventSelectors: false,
            HasInsightSelectors: false,
          },
          {
            Name: "dublin-local",
            TrailARN: DUBLIN,
            HomeRegion: "eu-west-1",
            IsMultiRegionTrail: false,
            S3BucketName: "management-trail-logs",
            HasCustomEventSelectors: false,
            HasInsightSelectors: false,
          },
        ];
        // Without names: the region's trails and the shadows of multi-region ones. With names: as moto does, only
        // the trails of the region asked.
        if (names === undefined) {
          return { trailList: all.filter((t) => t.HomeRegion === region || t.IsMultiRegionTrail) };
        }
        return { trailList: all.filter((t) => names.includes(t.TrailARN) && t.HomeRegion === region) };
      },
    });
    const describes = result.apiCalls.filter((c) => c.operation === "DescribeTrails").map((c) => c.region);
    // Shadow trails in the home region, then the one left out by ARN there, then from its own home region.
    expect(describes.sort()).toEqual(["eu-west-1", "us-east-1", "us-east-1"]);
    expect(result.errors).toEqual([]);
    expect(result.accounts[0]?.trails.map((t) => t.id).sort()).toEqual([DUBLIN, MANAGEMENT]);
  });

  test("a `regions` limit drops single-region trails homed elsewhere and lists Lake stores only there", async () => {
    const result = await collectAwsShaped({}, { regions: ["us-east-1"] });
    expect(result.accounts[0]?.trails.map((t) => t.id)).toEqual([MANAGEMENT]);
    expect(result.apiCalls.filter((c) => c.operation === "ListEventDataStores").map((c) => c.region)).toEqual(
      ["us-east-1"],
    );
    // The account's regions stay the enabled ones.
    expect(result.accounts[0]?.regions).toEqual(["eu-west-1", "us-east-1"]);
  });

  describe("a member account scanned alone", () => {
    const ORG_TRAIL = "arn:aws:cloudtrail:us-east-1:999988887777:trail/org";
    const orgTrail = {
      Name: "org",
      TrailARN: ORG_TRAIL,
      HomeRegion: "us-east-1",
      IsMultiRegionTrail: true,
      IsOrganizationTrail: true,
      IncludeGlobalServiceEvents: true,
      LogFileValidationEnabled: true,
      S3BucketName: "central-org-logs",
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
    };
    // ListTrails names none of the account's own; the organization trail shows among the shadow trails only.
    const shadowOnly = {
      ListTrails: () => ({ Trails: [] }),
      DescribeTrails: (input: Record<string, unknown>) =>
        input.trailNameList === undefined && input.includeShadowTrails === true
          ? { trailList: [orgTrail] }
          : { trailList: [] },
    };

    test("finds the organization trail through shadow trails and decides what it may read", async () => {
      const result = await collectAwsShaped(shadowOnly, { lake: false });
      const trail = result.accounts[0]?.trails.find((t) => t.id === ORG_TRAIL);
      expect(trail).toMatchObject({ accountId: "999988887777", isOrganizationTrail: true });
      const findings = findingsOf(result.accounts);
      expect(verdictsFor(findings, ACCOUNT)["trail.enabled"]).toBe("pass");
      // Its settings are decided from what the member sees: no KMS key.
      expect(verdictsFor(findings, ORG_TRAIL)["trail.kms-encryption"]).toBe("fail");
      expect(result.apiCalls.filter((c) => c.operation === "DescribeTrails")).toHaveLength(1);
    });

    test("what the member may not read about it is unknown, never passed", async () => {
      const result = await collectAwsShaped(
        {
          ...shadowOnly,
          GetTrailStatus: () => {
            throw awsError("AccessDeniedException", "not authorized to perform: cloudtrail:GetTrailStatus");
          },
        },
        { lake: false },
      );
      const findings = findingsOf(result.accounts);
      expect(verdictsFor(findings, ORG_TRAIL)["trail.logging"]).toBe("unknown");
      expect(verdictsFor(findings, ACCOUNT)["trail.enabled"]).toBe("unknown");
    });
  });
});
