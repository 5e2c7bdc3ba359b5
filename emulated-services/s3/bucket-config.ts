import { AwsError } from "../../src/types/aws-error.js";
import type { Op } from "./op.js";
import { ownedBucket } from "./bucket-access.js";
import { malformedXml, noSuchTagSet } from "./errors.js";
import { bucketTable, type StoredTag } from "./state.js";
import { SETTINGS, settingOf } from "./bucket-settings.js";
import { startVersioning } from "./versions.js";

export const putBucketTagging: Op<"PutBucketTagging"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  bucketTable(ctx.state).set(bucket.name, { ...bucket, tags: checkTags(input.Tagging.TagSet ?? []) });
};

export const getBucketTagging: Op<"GetBucketTagging"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  if (!bucket.tags || bucket.tags.length === 0) throw noSuchTagSet(bucket.name);
  return { TagSet: bucket.tags };
};

export const deleteBucketTagging: Op<"DeleteBucketTagging"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const { tags: _removed, ...rest } = bucket;
  bucketTable(ctx.state).set(bucket.name, rest);
};

/** S3's tag rules: at most 50, unique keys of 1-128 characters, values of up to 256. */
export function checkTags(tags: { Key?: string; Value?: string }[], limit = 50, tooMany = `Bucket tag count cannot be greater than ${limit}`): StoredTag[] {
  if (tags.length > limit) throw invalidTag(tooMany);
  const seen = new Set<string>();
  return tags.map((t) => {
    if (t.Key === undefined || t.Value === undefined) throw malformedXml();
    if ([...t.Key].length < 1 || [...t.Key].length > 128) throw invalidTag("The TagKey you have provided is invalid");
    if ([...t.Value].length > 256) throw invalidTag("The TagValue you have provided is invalid");
    if (t.Key.startsWith("aws:")) throw invalidTag("Your TagKey cannot be prefixed with aws:");
    if (seen.has(t.Key)) throw invalidTag("Cannot provide multiple Tags with the same key");
    seen.add(t.Key);
    return { Key: t.Key, Value: t.Value };
  });
}

const invalidTag = (message: string) => new AwsError("InvalidTag", message, { status: 400 });

/** A bucket that never had versioning answers an empty `<VersioningConfiguration/>`. */
export const getBucketVersioning: Op<"GetBucketVersioning"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  return { Status: bucket.versioning };
};

export const putBucketVersioning: Op<"PutBucketVersioning"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const status = input.VersioningConfiguration.Status;
  if (status !== "Enabled" && status !== "Suspended") throw malformedXml();
  // A bucket with Object Lock keeps versioning on (S3 user guide, "Object Lock considerations").
  if (status === "Suspended" && settingOf(bucket, SETTINGS.objectLock)) {
    throw new AwsError("InvalidBucketState", "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.", { status: 409 });
  }
  if (bucket.versioning === undefined) startVersioning(ctx, bucket);
  bucketTable(ctx.state).set(bucket.name, { ...bucket, versioning: status });
};
