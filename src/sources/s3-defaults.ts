import type { BucketEncryption, PublicAccessBlock } from "../model/index.js";

/**
 * What S3 gives a new bucket whose configuration leaves a setting out. Infrastructure code describes new buckets,
 * so the CloudFormation and Terraform sources use these; live and exported accounts read the actual settings.
 */
export const NEW_BUCKET = {
  /** All four Block Public Access settings on (since April 2023). */
  publicAccessBlock(): PublicAccessBlock {
    return {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    };
  },
  /** SSE-S3 for every new object (since January 2023). */
  encryption(): BucketEncryption {
    return { algorithm: "AES256", kmsKeyId: null };
  },
  /** ACLs disabled (since April 2023). */
  objectOwnership: "BucketOwnerEnforced",
} as const;
