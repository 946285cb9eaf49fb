/**
 * The IAM action each API operation of the collector needs. Most are `<prefix>:<Operation>`; S3 names a few
 * differently. policies/iam/trailguard-readonly.json lists exactly these actions (a test keeps the two equal).
 */
export const IAM_ACTIONS: Record<string, string> = {
  "sts:GetCallerIdentity": "sts:GetCallerIdentity",
  "account:ListRegions": "account:ListRegions",
  "ec2:DescribeRegions": "ec2:DescribeRegions",
  "organizations:DescribeOrganization": "organizations:DescribeOrganization",
  "cloudtrail:ListTrails": "cloudtrail:ListTrails",
  "cloudtrail:DescribeTrails": "cloudtrail:DescribeTrails",
  "cloudtrail:GetTrailStatus": "cloudtrail:GetTrailStatus",
  "cloudtrail:GetEventSelectors": "cloudtrail:GetEventSelectors",
  "cloudtrail:GetInsightSelectors": "cloudtrail:GetInsightSelectors",
  "cloudtrail:ListEventDataStores": "cloudtrail:ListEventDataStores",
  "cloudtrail:GetEventDataStore": "cloudtrail:GetEventDataStore",
  "s3:ListBuckets": "s3:ListAllMyBuckets",
  "s3:GetBucketLocation": "s3:GetBucketLocation",
  "s3:GetPublicAccessBlock": "s3:GetBucketPublicAccessBlock",
  "s3:GetBucketPolicy": "s3:GetBucketPolicy",
  "s3:GetBucketPolicyStatus": "s3:GetBucketPolicyStatus",
  "s3control:GetPublicAccessBlock": "s3:GetAccountPublicAccessBlock",
  "s3:GetBucketAcl": "s3:GetBucketAcl",
  "s3:GetBucketVersioning": "s3:GetBucketVersioning",
  "s3:GetObjectLockConfiguration": "s3:GetBucketObjectLockConfiguration",
  "s3:GetBucketLogging": "s3:GetBucketLogging",
  "s3:GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration",
  "s3:GetBucketEncryption": "s3:GetEncryptionConfiguration",
  "s3:GetBucketWebsite": "s3:GetBucketWebsite",
  "s3:GetBucketOwnershipControls": "s3:GetBucketOwnershipControls",
  "kms:DescribeKey": "kms:DescribeKey",
  "kms:GetKeyRotationStatus": "kms:GetKeyRotationStatus",
  "kms:ListAliases": "kms:ListAliases",
  "logs:DescribeLogGroups": "logs:DescribeLogGroups",
  "logs:DescribeMetricFilters": "logs:DescribeMetricFilters",
  "cloudwatch:DescribeAlarms": "cloudwatch:DescribeAlarms",
  "sns:ListSubscriptionsByTopic": "sns:ListSubscriptionsByTopic",
};

/** `s3` + `GetBucketEncryption` → `s3:GetEncryptionConfiguration`; undefined for an operation not in the table. */
export function iamActionOf(service: string, operation: string): string | undefined {
  return IAM_ACTIONS[`${service}:${operation}`];
}
