import type { CallContext } from "../../src/types/service.js";
import { AwsError } from "../../src/types/aws-error.js";
import { noSuchBucket } from "./errors.js";
import { bucketTable, type StoredBucket } from "./state.js";

/**
 * The bucket a call names, if the caller's account owns it. Bucket names are global: another account's
 * bucket exists but answers AccessDenied, as S3 does without a bucket policy granting access (localtrail
 * does not evaluate bucket policies).
 */
export function ownedBucket(ctx: CallContext, name: string): StoredBucket {
  const bucket = bucketTable(ctx.state).get(name);
  if (!bucket) throw noSuchBucket(name);
  if (bucket.ownerAccountId !== ctx.accountId) throw new AwsError("AccessDenied", "Access Denied", { status: 403 });
  return bucket;
}
