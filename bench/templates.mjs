// A generated tree of CloudFormation templates shaped like real CloudTrail stacks: a trail, its bucket with a
// policy, a KMS key, a log group; every fourth template leaves settings out, every fifth uses JSON.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function writeTemplates(dir, count) {
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `team-${i % 50}`, `stack-${i}`);
    mkdirSync(sub, { recursive: true });
    const strict = i % 4 !== 0;
    if (i % 5 === 0)
      writeFileSync(join(sub, "template.json"), JSON.stringify(jsonTemplate(i, strict), null, 2));
    else writeFileSync(join(sub, "template.yaml"), yamlTemplate(i, strict));
  }
}

function yamlTemplate(i, strict) {
  return `AWSTemplateFormatVersion: "2010-09-09"
Description: Audit trail ${i}
Parameters:
  Env:
    Type: String
    Default: prod
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: ${strict}
      KeyPolicy:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { AWS: !Sub "arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root" }
            Action: "kms:*"
            Resource: "*"
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "audit-${i}-\${AWS::AccountId}"
      VersioningConfiguration: { Status: ${strict ? "Enabled" : "Suspended"} }
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        IgnorePublicAcls: true
        BlockPublicPolicy: true
        RestrictPublicBuckets: ${strict}
      LifecycleConfiguration:
        Rules:
          - Id: expire
            Status: Enabled
            ExpirationInDays: ${strict ? 400 : 90}
  BucketPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Sid: AclCheck
            Effect: Allow
            Principal: { Service: cloudtrail.amazonaws.com }
            Action: s3:GetBucketAcl
            Resource: !GetAtt Bucket.Arn
          - Sid: Write
            Effect: Allow
            Principal: { Service: cloudtrail.amazonaws.com }
            Action: s3:PutObject
            Resource: !Sub "\${Bucket.Arn}/AWSLogs/\${AWS::AccountId}/*"
            Condition:
              StringEquals:
                "s3:x-amz-acl": bucket-owner-full-control
                "aws:SourceArn": !Sub "arn:\${AWS::Partition}:cloudtrail:\${AWS::Region}:\${AWS::AccountId}:trail/audit-${i}"
          - Sid: TlsOnly
            Effect: Deny
            Principal: "*"
            Action: "s3:*"
            Resource: [!GetAtt Bucket.Arn, !Sub "\${Bucket.Arn}/*"]
            Condition: { Bool: { "aws:SecureTransport": "false" } }
  LogGroup:
    Type: AWS::Logs::LogGroup
    Properties:
      RetentionInDays: ${strict ? 365 : 30}
  Trail:
    Type: AWS::CloudTrail::Trail
    DependsOn: BucketPolicy
    Properties:
      TrailName: audit-${i}
      IsLogging: true
      IsMultiRegionTrail: !If [IsProd, ${strict}, false]
      EnableLogFileValidation: ${strict}
      IncludeGlobalServiceEvents: true
      S3BucketName: !Ref Bucket
      KMSKeyId: !GetAtt Key.Arn
      CloudWatchLogsLogGroupArn: !GetAtt LogGroup.Arn
      CloudWatchLogsRoleArn: !ImportValue shared-cloudtrail-role
`;
}

function jsonTemplate(i, strict) {
  return {
    AWSTemplateFormatVersion: "2010-09-09",
    Resources: {
      Bucket: {
        Type: "AWS::S3::Bucket",
        Properties: { VersioningConfiguration: { Status: strict ? "Enabled" : "Suspended" } },
      },
      Trail: {
        Type: "AWS::CloudTrail::Trail",
        Properties: {
          TrailName: `audit-${i}`,
          IsLogging: true,
          IsMultiRegionTrail: strict,
          EnableLogFileValidation: strict,
          S3BucketName: { Ref: "Bucket" },
          KMSKeyId: { "Fn::ImportValue": "shared-key" },
        },
      },
    },
  };
}
