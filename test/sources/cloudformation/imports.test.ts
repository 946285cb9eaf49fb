// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation placeholders are literal ${...} strings
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scan } from "../../../src/scan/index.js";
import { collectExports } from "../../../src/sources/cloudformation/exports.js";
import { readTemplate } from "../../../src/sources/cloudformation/index.js";
import { BUILT_IN_POLICIES } from "../../support/evaluate.js";
import { reasonOf, sourceFile } from "./helpers.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "trailguard-imports-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const scanDir = async (files: Record<string, string>) => {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const outcome = await scan({ paths: ["."], scope: "resource", ...BUILT_IN_POLICIES, cwd: dir });
  const account = outcome.inventory.accounts[0];
  if (!account) throw new Error("no account");
  return { outcome, account };
};

const importer = (importName: string) => `Resources:
  Audit:
    Type: AWS::CloudTrail::Trail
    Properties:
      IsLogging: true
      S3BucketName: ${importName}
`;

describe("Fn::ImportValue across the templates of one scan", () => {
  it("takes the value another template exports under a literal name, and links the trail to that bucket", async () => {
    const { account, outcome } = await scanDir({
      "storage.yaml": `Resources:
  LogBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: org-audit-logs
Outputs:
  BucketOut:
    Value: !Ref LogBucket
    Export:
      Name: shared-trail-bucket
`,
      "trail.yaml": importer("!ImportValue shared-trail-bucket"),
    });
    const [trail] = account.trails;
    expect(trail?.s3BucketName).toBe("org-audit-logs");
    expect(trail?.links.bucket).toBe("storage.yaml#LogBucket");
    const versioning = outcome.findings.find((f) => f.ruleId === "bucket.versioning");
    expect(versioning?.status).toBe("fail");
  });

  it("resolves an export name built with Sub from a parameter default, in JSON", async () => {
    const { account } = await scanDir({
      "a-trail.json": JSON.stringify({
        Parameters: { Env: { Type: "String", Default: "prod" } },
        Resources: {
          T: {
            Type: "AWS::CloudTrail::Trail",
            Properties: {
              IsLogging: true,
              S3BucketName: { "Fn::ImportValue": { "Fn::Sub": "${Env}-logs-bucket" } },
            },
          },
        },
      }),
      "z-storage.json": JSON.stringify({
        Parameters: { Stage: { Type: "String", Default: "prod" } },
        Resources: { B: { Type: "AWS::S3::Bucket", Properties: { BucketName: "prod-central-logs" } } },
        Outputs: {
          Name: {
            Value: { "Fn::Join": ["-", [{ Ref: "Stage" }, "central-logs"]] },
            Export: { Name: { "Fn::Sub": "${Stage}-logs-bucket" } },
          },
        },
      }),
    });
    expect(account.trails[0]?.s3BucketName).toBe("prod-central-logs");
    expect(account.trails[0]?.links.bucket).toBe("z-storage.json#B");
  });

  it("leaves unknown an import that a name known only at deploy time may match, naming the candidate", async () => {
    const { account } = await scanDir({
      "logs.yaml": `Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: trail-archive
Outputs:
  Out:
    Value: trail-archive
    Export:
      Name: !Sub "\${AWS::StackName}-LogBucket"
`,
      "trail.yaml": importer("!ImportValue prod-LogBucket"),
    });
    const reason = reasonOf(account.trails[0]?.s3BucketName);
    expect(reason).toContain("logs.yaml:7");
    expect(reason).toContain("${AWS::StackName}-LogBucket");
  });

  it("leaves unknown an import nobody in the scan exports", async () => {
    const { account } = await scanDir({ "trail.yaml": importer("!ImportValue not-exported") });
    expect(reasonOf(account.trails[0]?.s3BucketName)).toMatch(/exported by no template of the scan/);
  });
});

describe("templates that export, parsed once", () => {
  const exporter = (bucket: string) => `Resources:
  LogBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: ${bucket}
Outputs:
  BucketOut:
    Value: !Ref LogBucket
    Export:
      Name: shared-trail-bucket
`;

  it("hands the parse made for the exports to the template's read, once, and only for the same text", () => {
    const file = sourceFile(exporter("org-audit-logs"), "storage.yaml");
    const table = collectExports([file]);
    expect(table.takeParsed(file)?.root?.kind).toBe("map");
    expect(table.takeParsed(file)).toBeUndefined();
    const changed = collectExports([file]);
    expect(changed.takeParsed({ path: file.path, text: exporter("other-logs") })).toBeUndefined();
    expect(changed.takeParsed(file)).toBeUndefined();
  });

  it("keeps no parse whose tree may be far larger than its text (expanded aliases), nor of what is not a template", () => {
    const aliased = sourceFile(
      `${exporter("org-audit-logs")}  Again:\n    Value: &v !Ref LogBucket\n  Twice:\n    Value: *v\n`,
      "aliased.yaml",
    );
    expect(collectExports([aliased]).size).toBe(1);
    expect(collectExports([aliased]).takeParsed(aliased)).toBeUndefined();
    const notTemplate = sourceFile("Outputs: [Export]\n", "other.yaml");
    expect(collectExports([notTemplate]).takeParsed(notTemplate)).toBeUndefined();
  });

  it("keeps no parse of a template that exports nothing", () => {
    const file = sourceFile(importer("!ImportValue shared-trail-bucket"), "trail.yaml");
    expect(collectExports([file]).takeParsed(file)).toBeUndefined();
  });

  it("reads a template from the kept parse as it reads it from its text", () => {
    for (const text of [exporter("org-audit-logs"), `${exporter("x")}  Broken: [\n`]) {
      const file = sourceFile(text, "storage.yaml");
      const fromKept = readTemplate(file, collectExports([file]));
      expect(fromKept).toEqual(readTemplate(file));
    }
  });
});
