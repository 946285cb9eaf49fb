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

// A generated tree of Terraform modules: `count / 5` folders of five `.tf` files each (variables, trail, bucket
// with split resources, policy document, logs), shaped like real CloudTrail modules.
export function writeTerraform(dir, count) {
  for (let m = 0; m < Math.ceil(count / 5); m++) {
    const sub = join(dir, `team-${m % 50}`, `audit-${m}`);
    mkdirSync(sub, { recursive: true });
    const strict = m % 4 !== 0;
    writeFileSync(join(sub, "variables.tf"), tfVariables(m));
    writeFileSync(join(sub, "trail.tf"), tfTrail(strict));
    writeFileSync(join(sub, "bucket.tf"), tfBucket(strict));
    writeFileSync(join(sub, "policy.tf"), tfPolicy());
    writeFileSync(join(sub, "logs.tf"), tfLogs(strict));
  }
}

const tfVariables = (m) => `variable "name" {
  type    = string
  default = "audit-${m}"
}

variable "retention_days" {
  type    = number
  default = 400
}

locals {
  bucket_name = "\${var.name}-cloudtrail"
  tags        = { team = "security", module = var.name }
}

data "aws_caller_identity" "current" {}
`;

const tfTrail = (strict) => `resource "aws_cloudtrail" "this" {
  name                          = var.name
  s3_bucket_name                = aws_s3_bucket.logs.id
  is_multi_region_trail         = ${strict}
  include_global_service_events = true
  enable_log_file_validation    = ${strict}
  kms_key_id                    = aws_kms_key.trail.arn
  cloud_watch_logs_group_arn    = "\${aws_cloudwatch_log_group.trail.arn}:*"
  cloud_watch_logs_role_arn     = aws_iam_role.trail.arn
  tags                          = local.tags

  event_selector {
    read_write_type           = "All"
    include_management_events = true

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3"]
    }
  }

  depends_on = [aws_s3_bucket_policy.logs]
}

resource "aws_kms_key" "trail" {
  description         = "CloudTrail \${var.name}"
  enable_key_rotation = ${strict}
}
`;

const tfBucket = (strict) => `resource "aws_s3_bucket" "logs" {
  bucket = local.bucket_name
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket                  = aws_s3_bucket.logs.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = ${strict}
}

resource "aws_s3_bucket_versioning" "logs" {
  bucket = aws_s3_bucket.logs.id
  versioning_configuration {
    status = "${strict ? "Enabled" : "Suspended"}"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id
  rule {
    id     = "expire"
    status = "Enabled"
    filter {}
    expiration {
      days = var.retention_days
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json
}
`;

const tfPolicy = () => `data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "AclCheck"
    actions   = ["s3:GetBucketAcl"]
    resources = [aws_s3_bucket.logs.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
  }

  statement {
    sid       = "Write"
    actions   = ["s3:PutObject"]
    resources = ["\${aws_s3_bucket.logs.arn}/AWSLogs/\${data.aws_caller_identity.current.account_id}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }

  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.logs.arn, "\${aws_s3_bucket.logs.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
`;

const tfLogs = (strict) => `resource "aws_cloudwatch_log_group" "trail" {
  name              = "/aws/cloudtrail/\${var.name}"
  retention_in_days = ${strict ? "var.retention_days" : 30}
}

resource "aws_iam_role" "trail" {
  name = "\${var.name}-cloudtrail-logs"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "cloudtrail.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}
`;

// One large `.tf` file of about `bytes` bytes: the five files of a generated module, again and again, each copy's
// blocks and references renamed apart, as a monolithic root module would hold many trails and buckets.
export function writeLargeTerraform(file, bytes) {
  const chunks = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const strict = i % 4 !== 0;
    const locals = tfVariables(i).replace(/^ {2}(bucket_name|tags)( +)=/gm, `  $1_${i}$2=`);
    const text = renameApart(
      [locals, tfTrail(strict), tfBucket(strict), tfPolicy(), tfLogs(strict)].join("\n"),
      i,
    );
    if (size + text.length > bytes && i > 0) break;
    chunks.push(text);
    size += text.length + 1;
  }
  writeFileSync(file, chunks.join("\n"));
  return size;
}

const renameApart = (text, i) =>
  text
    .replace(/ "(this|trail|logs|current|name|retention_days)" \{/g, ` "$1_${i}" {`)
    .replace(/\b(aws_[a-z0-9_]+)\.(this|trail|logs|current)\b/g, `$1.$2_${i}`)
    .replace(/\b(var|local)\.(name|retention_days|bucket_name|tags)\b/g, `$1.$2_${i}`);
