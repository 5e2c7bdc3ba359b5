import type { GetBucketLocationOutput } from "../../src/generated/types/s3.js";
import type { Op } from "./op.js";
import { ownedBucket } from "./bucket-access.js";
import { isValidBucketName } from "./bucket-names.js";
import { bucketAlreadyExists, bucketAlreadyOwnedByYou, bucketNotEmpty, illegalLocationConstraint, invalidArgument, invalidBucketName, invalidLocationConstraint } from "./errors.js";
import { ownerOf } from "./owner.js";
import { bucketTable, objectTable, uploadTable, versionTable, type StoredBucket } from "./state.js";
import { checkAclsAllowed, requestedGrants } from "./acl.js";
import { deleteLater } from "./storage.js";

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * CreateBucket. The bucket's region is its LocationConstraint, else the region called. us-east-1 (the
 * global endpoint) may create a bucket in any region; any other regional endpoint only in its own.
 */
export const createBucket: Op<"CreateBucket"> = (input, ctx) => {
  const name = input.Bucket;
  if (!isValidBucketName(name)) throw invalidBucketName(name);
  const constraint = input.CreateBucketConfiguration?.LocationConstraint as string | undefined;
  const region = bucketRegion(ctx.region, constraint);
  const buckets = bucketTable(ctx.state);
  const existing = buckets.get(name);
  if (existing) {
    if (existing.ownerAccountId !== ctx.accountId) throw bucketAlreadyExists(name);
    // For legacy compatibility us-east-1 answers 200 to a bucket you already own there (CreateBucket API reference).
    if (!(region === "us-east-1" && existing.region === "us-east-1")) throw bucketAlreadyOwnedByYou(name);
    return { Location: `/${name}` };
  }
  const bucket: StoredBucket = {
    name,
    id: ctx.env.ids.uuid(),
    ownerAccountId: ctx.accountId,
    region,
    createdAt: ctx.now.toISOString(),
    tags: input.CreateBucketConfiguration?.Tags?.map((t) => ({ Key: t.Key, Value: t.Value })),
    // Object Lock can be enabled at creation, which turns versioning on (S3 user guide, "Object Lock").
    versioning: input.ObjectLockEnabledForBucket ? "Enabled" : undefined,
    settings: {
      ...(input.ObjectOwnership ? { ownershipControls: { Rules: [{ ObjectOwnership: input.ObjectOwnership }] } } : {}),
      ...(input.ObjectLockEnabledForBucket ? { objectLock: { ObjectLockEnabled: "Enabled" } } : {}),
    },
  };
  const grants = requestedGrants(input, ctx.accountId, ctx.accountId);
  if (grants) {
    checkAclsAllowed(bucket, grants);
    bucket.acl = grants;
  }
  buckets.set(name, bucket);
  return { Location: region === "us-east-1" ? `/${name}` : `http://${name}.s3.amazonaws.com/` };
};

function bucketRegion(called: string, constraint: string | undefined): string {
  if (constraint === undefined || constraint === "") {
    if (called !== "us-east-1") throw illegalLocationConstraint(called, "unspecified");
    return "us-east-1";
  }
  // us-east-1 has no location constraint of its own: naming it is an error.
  if (constraint === "us-east-1" || !(REGION.test(constraint) || constraint === "EU")) throw invalidLocationConstraint();
  const region = constraint === "EU" ? "eu-west-1" : constraint;
  if (called !== "us-east-1" && called !== region) throw illegalLocationConstraint(called, constraint);
  return region;
}

export const headBucket: Op<"HeadBucket"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  return { BucketRegion: bucket.region, AccessPointAlias: false };
};

/** The caller's buckets by name, with each bucket's region; paged with max-buckets and continuation-token. */
export const listBuckets: Op<"ListBuckets"> = (input, ctx) => {
  const max = input.MaxBuckets ?? 10000;
  if (max < 1 || max > 10000) throw invalidArgument("max-buckets must be between 1 and 10000", "max-buckets", String(max));
  const after = input.ContinuationToken === undefined ? undefined : Buffer.from(input.ContinuationToken, "base64url").toString("utf8");
  const mine = [...bucketTable(ctx.state).values()]
    .filter((b) => b.ownerAccountId === ctx.accountId)
    .filter((b) => input.Prefix === undefined || b.name.startsWith(input.Prefix))
    .filter((b) => input.BucketRegion === undefined || b.region === input.BucketRegion)
    .filter((b) => after === undefined || b.name > after)
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const page = mine.slice(0, max);
  const last = page[page.length - 1];
  return {
    Buckets: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt), BucketRegion: b.region })),
    Owner: ownerOf(ctx.accountId),
    Prefix: input.Prefix,
    ContinuationToken: mine.length > max && last ? Buffer.from(last.name, "utf8").toString("base64url") : undefined,
  };
};

/** A bucket must be empty to go; its unfinished multipart uploads go with it. */
export const deleteBucket: Op<"DeleteBucket"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const objects = objectTable(ctx.state, bucket);
  const versions = versionTable(ctx.state, bucket);
  // Noncurrent versions and delete markers keep a bucket from being empty.
  if (objects.size > 0 || versions.size > 0) throw bucketNotEmpty(bucket.name);
  const uploads = uploadTable(ctx.state, bucket);
  for (const entry of uploads.values()) if (entry.kind === "part") deleteLater(ctx.env.blobs, entry.blobId);
  bucketTable(ctx.state).delete(bucket.name);
  await Promise.all([objects.drop(), uploads.drop(), versions.drop()]);
};

/** us-east-1 buckets have no location constraint: an empty `<LocationConstraint/>`. */
export const getBucketLocation: Op<"GetBucketLocation"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  return { LocationConstraint: bucket.region === "us-east-1" ? undefined : (bucket.region as GetBucketLocationOutput["LocationConstraint"]) };
};
