import type { CallContext } from "../../src/types/service.js";
import { AwsError } from "../../src/types/aws-error.js";
import { resourcePolicyAllows } from "../../src/enforcement/resource-policy-check.js";
import { noSuchBucket } from "./errors.js";
import { bucketTable, type StoredBucket } from "./state.js";

/**
 * The bucket a call names. Bucket names are global: another account's bucket exists but answers
 * AccessDenied, as S3 does without a bucket policy granting access, unless IAM enforcement evaluated its
 * bucket policy and allowed the call.
 */
export function ownedBucket(ctx: CallContext, name: string): StoredBucket {
  const bucket = bucketTable(ctx.state).get(name);
  if (!bucket) throw noSuchBucket(name);
  if (bucket.ownerAccountId !== ctx.accountId && !ctx.authorized) throw new AwsError("AccessDenied", "Access Denied", { status: 403 });
  return bucket;
}

/**
 * Only the owner's account manages a bucket's policy: another account is answered 405 MethodNotAllowed even
 * when a policy allows it (S3 API Reference, PutBucketPolicy).
 */
export function bucketForPolicy(ctx: CallContext, name: string): StoredBucket {
  const bucket = ownedBucket(ctx, name);
  if (bucket.ownerAccountId !== ctx.accountId) {
    throw new AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.", { status: 405, fields: { Method: ctx.request.method, ResourceType: "BUCKETPOLICY" } });
  }
  return bucket;
}

/**
 * An AWS service acting on its own (CloudTrail writing a log file) has no identity policies: the bucket's
 * policy alone lets it in, its aws:SourceArn, aws:SourceAccount and request keys (s3:x-amz-acl) included
 * (CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail"). Without --enforce-iam this is the one
 * check on such a call; with it, enforcement has decided already.
 */
export function checkServiceAccess(ctx: CallContext, bucket: StoredBucket, action: string, resource: string, keys: Record<string, string[]>): void {
  const caller = ctx.caller;
  if (caller.type !== "AWSService" || ctx.authorized) return;
  const allowed =
    bucket.policy !== undefined &&
    resourcePolicyAllows({
      document: bucket.policy,
      subject: { service: caller.invokedBy, accountId: caller.accountId, sourceArn: caller.sourceArn },
      action,
      resource,
      facts: { time: ctx.now, sourceIp: caller.invokedBy, region: ctx.region, secureTransport: true },
      serviceKeys: keys,
    });
  if (!allowed) throw new AwsError("AccessDenied", "Access Denied", { status: 403 });
}
