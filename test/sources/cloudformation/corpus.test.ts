// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation placeholders are literal ${...} strings
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isMap, isSeq, LineCounter, parseDocument } from "yaml";
import { isUnknown, type Trail } from "../../../src/model/index.js";
import { readTemplate } from "../../../src/sources/cloudformation/index.js";
import type { InventoryFragment, SourceFile } from "../../../src/sources/fragment.js";
import { describeIf } from "../../support/requirements.js";
import { CORPUS_DIR, corpus } from "../../support/shared.js";
import { errorsOf, reasonOf, sourceFile } from "./helpers.js";

function corpusFile(rel: string): SourceFile {
  return sourceFile(readFileSync(path.join(CORPUS_DIR, rel), "utf8"), rel);
}

function templateFiles(): string[] {
  return (readdirSync(CORPUS_DIR, { recursive: true }) as string[])
    .map((p) => p.split(path.sep).join("/"))
    .filter(
      (p) =>
        /^checkov\/[^/]+-cloudformation\/[^/]+\.(yaml|json)$/.test(p) ||
        /\/_derived\/cloudformation\/.*template\.yaml$/.test(p),
    )
    .sort();
}

function readCorpus(rel: string): InventoryFragment {
  const result = readTemplate(corpusFile(rel));
  if (result.status !== "read") throw new Error(`${rel} not recognized`);
  return result.fragment;
}

/** Manifest: the trails each CloudFormation file declares, with the property the labelled check looks at. */
const EXPECTED: [string, string[], (t: Trail) => void][] = [
  [
    "checkov/CKV_AWS_35-cloudformation/CloudTrailEncryption-FAILED.yaml",
    ["myTrail"],
    (t) => expect(t.kmsKeyId).toBeNull(),
  ],
  [
    "checkov/CKV_AWS_35-cloudformation/CloudTrailEncryption-PASSED.yaml",
    ["myTrail"],
    (t) => expect(t.kmsKeyId).toBe("alias/MyAliasName"),
  ],
  [
    "checkov/CKV_AWS_35-cloudformation/CloudTrailEncryption-PASSED.json",
    ["acmeCWSTrail"],
    (t) => {
      expect(t.kmsKeyId).toBe("alias/acme-CloudtrailKey");
      expect(t.links.key).toBe(
        "checkov/CKV_AWS_35-cloudformation/CloudTrailEncryption-PASSED.json#CloudtrailKMSKey",
      );
    },
  ],
  [
    "checkov/CKV_AWS_36-cloudformation/CloudTrailLogValidation-FAILED.yaml",
    ["myTrail"],
    (t) => expect(t.logFileValidationEnabled).toBe(false),
  ],
  [
    "checkov/CKV_AWS_36-cloudformation/CloudTrailLogValidation-PASSED.yaml",
    ["myTrail"],
    (t) => expect(t.logFileValidationEnabled).toBe(true),
  ],
  [
    "checkov/CKV_AWS_67-cloudformation/CloudtrailMultiRegion-FAILED.yaml",
    ["MyTrail0", "MyTrail1"],
    (t) => expect(t.isMultiRegionTrail).toBe(false),
  ],
  [
    "checkov/CKV_AWS_67-cloudformation/CloudtrailMultiRegion-PASSED.yaml",
    ["MyTrail0"],
    (t) => expect(t.isMultiRegionTrail).toBe(true),
  ],
  [
    "trivy-checks/AVD-AWS-0014/_derived/cloudformation/bad/0/template.yaml",
    ["BadExample"],
    (t) => expect(t.isMultiRegionTrail).toBe(false),
  ],
  [
    "trivy-checks/AVD-AWS-0014/_derived/cloudformation/good/0/template.yaml",
    ["GoodExample"],
    (t) => expect(t.isMultiRegionTrail).toBe(true),
  ],
  [
    "trivy-checks/AVD-AWS-0015/_derived/cloudformation/bad/0/template.yaml",
    ["BadExample"],
    (t) => expect(t.kmsKeyId).toBeNull(),
  ],
  // Trivy's "good" example spells the property KmsKeyId, which CloudFormation does not know: unset, with a warning.
  [
    "trivy-checks/AVD-AWS-0015/_derived/cloudformation/good/0/template.yaml",
    ["GoodExample"],
    (t) => expect(t.kmsKeyId).toBeNull(),
  ],
  [
    "trivy-checks/AVD-AWS-0016/_derived/cloudformation/bad/0/template.yaml",
    ["BadExample"],
    (t) => expect(t.logFileValidationEnabled).toBe(false),
  ],
  [
    "trivy-checks/AVD-AWS-0016/_derived/cloudformation/good/0/template.yaml",
    ["GoodExample"],
    (t) => expect(t.logFileValidationEnabled).toBe(true),
  ],
  [
    "trivy-checks/AVD-AWS-0161/_derived/cloudformation/bad/0/template.yaml",
    ["BadExampleTrail"],
    (t) => expect(t.s3BucketName).toBe("my-bucket"),
  ],
  [
    "trivy-checks/AVD-AWS-0161/_derived/cloudformation/good/0/template.yaml",
    ["GoodExampleTrail"],
    (t) => expect(t.s3BucketName).toBe("my-bucket"),
  ],
  [
    "trivy-checks/AVD-AWS-0162/_derived/cloudformation/bad/0/template.yaml",
    ["BadExampleTrail"],
    (t) => expect(t.cloudWatchLogsLogGroupArn).toBeNull(),
  ],
  [
    "trivy-checks/AVD-AWS-0162/_derived/cloudformation/good/0/template.yaml",
    ["GoodExampleTrail"],
    (t) =>
      expect(t.cloudWatchLogsLogGroupArn).toBe(
        "arn:aws:logs:us-east-1:123456789012:log-group:CloudTrail/DefaultLogGroup:*",
      ),
  ],
  ["trivy-checks/AVD-AWS-0163/_derived/cloudformation/bad/0/template.yaml", ["BadExampleTrail"], () => {}],
  ["trivy-checks/AVD-AWS-0163/_derived/cloudformation/good/0/template.yaml", ["GoodExampleTrail"], () => {}],
];

await describeIf(corpus, "the peer corpus read as CloudFormation", () => {
  describe("corpus CloudFormation files", () => {
    it("lists every CloudFormation file of the corpus in the expectations", () => {
      expect(templateFiles()).toEqual(EXPECTED.map(([rel]) => rel).sort());
    });

    it.each(EXPECTED)("%s reads without errors and yields the manifest's trails", (rel, trailIds, check) => {
      const fragment = readCorpus(rel);
      expect(errorsOf(fragment, "error")).toEqual([]);
      expect(fragment.trails.map((t) => t.origin.address)).toEqual(trailIds.map((id) => `${rel}#${id}`));
      for (const trail of fragment.trails) {
        check(trail);
        expect(trail.origin.location?.file).toBe(rel);
      }
    });

    it("warns about KmsKeyId in trivy's AVD-AWS-0015 good example", () => {
      const fragment = readCorpus("trivy-checks/AVD-AWS-0015/_derived/cloudformation/good/0/template.yaml");
      expect(errorsOf(fragment, "warning").map((w) => w.message)).toEqual([
        expect.stringContaining("unknown property KmsKeyId, did you mean KMSKeyId?"),
      ]);
    });

    it("reads the buckets the trivy bucket checks are about", () => {
      const acl = (rel: string) => readCorpus(rel).buckets[0]?.cannedAcl;
      expect(acl("trivy-checks/AVD-AWS-0161/_derived/cloudformation/bad/0/template.yaml")).toBe(
        "authenticated-read",
      );
      expect(acl("trivy-checks/AVD-AWS-0161/_derived/cloudformation/good/0/template.yaml")).toBe("private");
      const logging = (rel: string) => readCorpus(rel).buckets[0]?.logging;
      expect(logging("trivy-checks/AVD-AWS-0163/_derived/cloudformation/bad/0/template.yaml")).toBeNull();
      expect(logging("trivy-checks/AVD-AWS-0163/_derived/cloudformation/good/0/template.yaml")).toEqual({
        targetBucket: "logging-bucket",
        targetPrefix: "accesslogs/",
      });
    });

    it("links the checkov templates' trail to its bucket and attaches the bucket policy", () => {
      const rel = "checkov/CKV_AWS_36-cloudformation/CloudTrailLogValidation-PASSED.yaml";
      const fragment = readCorpus(rel);
      expect(fragment.trails[0]?.links).toEqual({ bucket: `${rel}#S3Bucket`, topic: `${rel}#Topic` });
      expect(fragment.buckets[0]?.policy).toMatchObject({
        statements: [
          { sid: "AWSCloudTrailAclCheck", resources: ["arn:aws:s3:::${S3Bucket}"] },
          { sid: "AWSCloudTrailWrite", resources: ["arn:aws:s3:::${S3Bucket}/AWSLogs/${AWS::AccountId}/*"] },
        ],
      });
    });
  });
});

// ---------------------------------------------------------------- cfn-guard registry test cases

interface GuardCase {
  name: string;
  input: SourceFile;
  expectations: Record<string, string>;
}

/** Splits a cfn-guard `*_tests.yml` into its cases; each case's `input` becomes an in-memory template. */
function guardCases(rel: string): GuardCase[] {
  const text = readFileSync(path.join(CORPUS_DIR, rel), "utf8");
  const lineCounter = new LineCounter();
  // The registry's inputs use !Ref; here they only need to be located, so unknown-tag warnings are irrelevant.
  const doc = parseDocument(text, { lineCounter });
  const lines = text.split("\n");
  if (!isSeq(doc.contents)) throw new Error(`${rel}: not a list of cases`);
  return doc.contents.items.map((item, i) => {
    if (!isMap(item)) throw new Error(`${rel}: case ${i} is not a mapping`);
    const input = item.get("input", true) as { range: [number, number, number] } | undefined;
    const json = item.toJSON() as { name: string; expectations: { rules: Record<string, string> } };
    let body = "";
    if (input) {
      const start = lineCounter.linePos(input.range[0]);
      const end = lineCounter.linePos(input.range[1]);
      const indent = start.col - 1;
      body = lines
        .slice(start.line - 1, end.line)
        .map((l, n) =>
          n === 0 ? l.slice(indent) : l.slice(Math.min(indent, l.length - l.trimStart().length)),
        )
        .join("\n");
    }
    return { name: json.name, input: sourceFile(body, `${rel}#${i}`), expectations: json.expectations.rules };
  });
}

/** What each registry rule's PASS / FAIL means for the trail we read. */
const GUARD_RULES: Record<string, (t: Trail, verdict: string) => void> = {
  CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED: (t, v) =>
    v === "PASS"
      ? expect(typeof t.cloudWatchLogsLogGroupArn).toBe("string")
      : expect(t.cloudWatchLogsLogGroupArn).toBeNull(),
  CLOUD_TRAIL_ENABLED: (t, v) => {
    if (v === "PASS") expect(t.isLogging).toBe(true);
    // cfn-guard fails a trail without IsLogging; CloudFormation rejects it, so we read it as Unknown.
    else if (isUnknown(t.isLogging)) expect(reasonOf(t.isLogging)).toContain("required");
    else expect(t.isLogging).toBe(false);
  },
  CLOUD_TRAIL_ENCRYPTION_ENABLED: (t, v) =>
    v === "PASS" ? expect(typeof t.kmsKeyId).toBe("string") : expect(t.kmsKeyId).toBeNull(),
  CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED: (t, v) => expect(t.logFileValidationEnabled).toBe(v === "PASS"),
  MULTI_REGION_CLOUD_TRAIL_ENABLED: (t, v) => expect(t.isMultiRegionTrail).toBe(v === "PASS"),
  CLOUDTRAIL_S3_DATAEVENTS_ENABLED: (t, v) => {
    const selectors = Array.isArray(t.eventSelectors) ? t.eventSelectors : [];
    const s3 = selectors.some(
      (s) => Array.isArray(s.dataResources) && s.dataResources.some((d) => d.type === "AWS::S3::Object"),
    );
    expect(s3).toBe(v === "PASS");
  },
};

await describeIf(corpus, "the peer corpus's cfn-guard registry cases", () => {
  describe("cfn-guard registry test cases", () => {
    const guardFiles = (readdirSync(path.join(CORPUS_DIR, "cfn-guard"), { recursive: true }) as string[])
      .filter((p) => p.endsWith("_tests.yml"))
      .map((p) => `cfn-guard/${p.split(path.sep).join("/")}`)
      .sort();
    const guardTable = guardFiles.flatMap((rel) => guardCases(rel).map((c) => [rel, c.name, c] as const));

    it("finds the six rule test files", () => {
      expect(guardFiles).toHaveLength(6);
      expect(guardTable.length).toBe(35);
    });

    it("does not take a registry test file itself for a template", () => {
      for (const rel of guardFiles) expect(readTemplate(corpusFile(rel)).status).toBe("not-mine");
    });

    it.each(guardTable)("%s: %s", (_rel, _name, c) => {
      const result = readTemplate(c.input);
      const trails = result.status === "read" ? result.fragment.trails : [];
      if (result.status === "read") expect(errorsOf(result.fragment, "error")).toEqual([]);
      for (const [rule, verdict] of Object.entries(c.expectations)) {
        if (/^Empty|^No resources/.test(c.name)) {
          expect(trails).toEqual([]);
          continue;
        }
        expect(trails).toHaveLength(1);
        const [trail] = trails as [Trail];
        expect(trail.origin.address).toBe(`${c.input.path}#ExampleTrail`);
        // cfn-guard's own suppression metadata is not ours: the trail carries no suppression.
        expect(trail.suppressions).toBeUndefined();
        if (verdict === "SKIP") continue;
        const check = GUARD_RULES[rule];
        expect(check, rule).toBeDefined();
        check?.(trail, verdict);
      }
    });
  });
});
