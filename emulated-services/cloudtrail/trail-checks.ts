import type { Tag } from "../../src/generated/types/cloudtrail.js";
import type { CallContext } from "../../src/types/service.js";
import { findRoleByArn } from "../iam/directory.js";
import { describeKeyForService } from "../kms/directory.js";
import { findLogGroup } from "../logs/directory.js";
import { findBucket } from "../s3/directory.js";
import { trustPolicyAllows } from "../sts/trust-policy.js";
import { cloudTrailError } from "./errors.js";
import { serviceAllowed } from "./service-policy.js";

const CLOUDTRAIL = "cloudtrail.amazonaws.com";

/** A trail's delivery settings as CreateTrail and UpdateTrail check them. */
export interface DeliverySettings {
  arn: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  cloudWatchLogsLogGroupArn?: string;
  cloudWatchLogsRoleArn?: string;
  kmsKeyId?: string;
}

// S3's bucket naming rules (S3 User Guide, "Bucket naming rules").
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The bucket must exist and its policy must let cloudtrail.amazonaws.com call GetBucketAcl on the bucket
 * and PutObject under `[prefix/]AWSLogs/<account>/` (CloudTrail User Guide, "Amazon S3 bucket policy for
 * CloudTrail"), with the trail's ARN and account as aws:SourceArn and aws:SourceAccount.
 * Returns the bucket's region.
 */
export function checkBucket(ctx: CallContext, settings: DeliverySettings): string {
  const { s3BucketName: bucket, s3KeyPrefix: prefix } = settings;
  if (!BUCKET_NAME.test(bucket) || bucket.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw cloudTrailError("InvalidS3BucketNameException", `Bucket name is not valid: ${bucket}`);
  }
  if (prefix !== undefined && (prefix.length > 200 || prefix.startsWith("/") || prefix.endsWith("/"))) {
    throw cloudTrailError("InvalidS3PrefixException", `Prefix is not valid: ${prefix}`);
  }
  const found = findBucket(ctx.state, bucket);
  if (!found) throw cloudTrailError("S3BucketDoesNotExistException", `S3 bucket ${bucket} does not exist!`);
  const context = { "aws:SourceArn": settings.arn, "aws:SourceAccount": ctx.accountId, "s3:x-amz-acl": "bucket-owner-full-control" };
  const logs = `arn:aws:s3:::${bucket}/${prefix ? `${prefix}/` : ""}AWSLogs/${ctx.accountId}/*`;
  const aclCheck = serviceAllowed(found.policy, { service: CLOUDTRAIL, action: "s3:GetBucketAcl", resource: `arn:aws:s3:::${bucket}`, context });
  const write = serviceAllowed(found.policy, { service: CLOUDTRAIL, action: "s3:PutObject", resource: logs, context });
  if (!aclCheck || !write) throw cloudTrailError("InsufficientS3BucketPolicyException", `Incorrect S3 bucket policy is detected for bucket: ${bucket}`);
  return found.region;
}

const KEY_ID = /^(arn:aws:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+|alias\/[a-zA-Z0-9:/_-]+|(mrk-)?[0-9a-f-]{32,36})$/i;

/**
 * The key a KmsKeyId names, as its full ARN: it must exist in the bucket's region and its key policy must
 * let CloudTrail call kms:GenerateDataKey* for this trail (CloudTrail User Guide, "Configure AWS KMS key
 * policies for CloudTrail").
 */
export function checkKmsKey(ctx: CallContext, settings: DeliverySettings, bucketRegion: string): string {
  const id = settings.kmsKeyId!;
  if (!KEY_ID.test(id)) throw cloudTrailError("InvalidKmsKeyIdException", `KMS key ID ${id} is not valid.`);
  const key = describeKeyForService(ctx.state, ctx.accountId, ctx.region, id, ctx.now);
  if (!key || key.region !== bucketRegion) throw cloudTrailError("KmsKeyNotFoundException", `KMS key not found: ${id}`);
  if (key.keyState !== "Enabled") throw cloudTrailError("KmsException", `KMS key ${key.arn} is ${key.keyState === "Disabled" ? "disabled" : "pending deletion"}.`);
  const context = { "kms:EncryptionContext:aws:cloudtrail:arn": settings.arn, "aws:SourceArn": settings.arn, "aws:SourceAccount": ctx.accountId };
  if (!serviceAllowed(key.policy, { service: CLOUDTRAIL, action: "kms:GenerateDataKey", resource: key.arn, context })) {
    throw cloudTrailError("InsufficientEncryptionPolicyException", `Insufficient permissions to access S3 bucket ${settings.s3BucketName} or KMS key ${key.arn}.`);
  }
  return key.arn;
}

const LOG_GROUP_ARN = /^arn:aws:logs:([a-z0-9-]+):(\d{12}):log-group:([^:]+):\*$/;

/**
 * Both or neither of the CloudWatch Logs pair; the log group must exist in the trail's home region and
 * account, and the role must trust cloudtrail.amazonaws.com (messages as AWS words them, §5.4).
 */
export function checkCloudWatchLogs(ctx: CallContext, settings: DeliverySettings): void {
  const { cloudWatchLogsLogGroupArn: group, cloudWatchLogsRoleArn: role } = settings;
  if (group === undefined && role === undefined) return;
  if (role === undefined) throw cloudTrailError("InvalidCloudWatchLogsRoleArnException", "You must specify a role ARN as well as a log group.");
  if (group === undefined) throw cloudTrailError("InvalidCloudWatchLogsLogGroupArnException", "You must specify a log group as well as a role ARN.");
  const m = LOG_GROUP_ARN.exec(group);
  if (!m || m[1] !== ctx.region || m[2] !== ctx.accountId) {
    throw cloudTrailError("InvalidCloudWatchLogsLogGroupArnException", "CloudTrail cannot validate the specified log group ARN.");
  }
  const found = findRoleByArn(ctx.state, role);
  if (!found || !trustPolicyAllows(found.assumeRolePolicyDocument, found.arn, { service: CLOUDTRAIL, accountId: ctx.accountId }, ctx)) {
    throw cloudTrailError("InvalidCloudWatchLogsRoleArnException", "Access denied. Check the trust relationships for your role.");
  }
  if (!findLogGroup(ctx.state, ctx.accountId, ctx.region, m[3]!)) {
    throw cloudTrailError("InvalidCloudWatchLogsLogGroupArnException", "Access denied. Verify in IAM that the role has adequate permissions.");
  }
}

/** At most 50 tags on a trail; keys 1-128 characters, unique; values at most 256 characters. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const tag of added) {
    if (seen.has(tag.Key)) throw cloudTrailError("InvalidTagParameterException", `Duplicate tag key: ${tag.Key}`);
    seen.add(tag.Key);
    if (tag.Key.length < 1 || tag.Key.length > 128 || (tag.Value !== undefined && tag.Value.length > 256)) {
      throw cloudTrailError("InvalidTagParameterException", "Tag keys must be 1 to 128 characters and tag values at most 256 characters.");
    }
  }
  const out = existing.filter((t) => !seen.has(t.Key)).concat(added.map((t) => (t.Value === undefined ? { Key: t.Key } : { Key: t.Key, Value: t.Value })));
  if (out.length > 50) throw cloudTrailError("TagsLimitExceededException", "The number of tags on the resource exceeds the limit of 50.");
  return out;
}
