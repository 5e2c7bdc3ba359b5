import type { StateView } from "../../../src/state/store.js";
import { findBucket } from "../../s3/directory.js";
import { serviceAllowed } from "../service-policy.js";

const CLOUDTRAIL = "cloudtrail.amazonaws.com";

/**
 * Why CloudTrail cannot deliver into the bucket right now, as GetTrailStatus's LatestDeliveryError says it
 * (S3's error code), or undefined when it may try: the bucket exists and its policy lets CloudTrail check
 * its ACL (s3:GetBucketAcl, with the trail's ARN and account as aws:SourceArn and aws:SourceAccount), as at
 * CreateTrail (trail-checks.ts). The write itself is an S3 PutObject that the bucket policy decides
 * (s3-writes.ts); this is what lets another account's trail deliver into a central bucket whose policy
 * allows its `AWSLogs/<account>/` prefix.
 */
export function deliveryRefusal(state: StateView, writer: { trailArn: string; accountId: string }, bucket: string): "NoSuchBucket" | "AccessDenied" | undefined {
  const found = findBucket(state, bucket);
  if (!found) return "NoSuchBucket";
  const context = { "aws:SourceArn": writer.trailArn, "aws:SourceAccount": writer.accountId };
  return serviceAllowed(found.policy, { service: CLOUDTRAIL, action: "s3:GetBucketAcl", resource: `arn:aws:s3:::${bucket}`, context }) ? undefined : "AccessDenied";
}

/** An error's code for GetTrailStatus (S3's and KMS's errors carry theirs); anything else is a bug, and said so. */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === "string") return code;
  console.error("localtrail: trail delivery:", e);
  return "InternalFailure";
}

/** Thrown when a bucket refuses a file: the status records the code, the file is retried later. */
export class DeliveryRefused extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}
