import type { GetObjectAttributesOutput } from "../../src/generated/types/s3.js";
import type { Op } from "./op.js";
import { ownedBucket } from "./bucket-access.js";
import { checksumFields } from "./body-checks.js";
import { checkTags } from "./bucket-config.js";
import { invalidArgument } from "./errors.js";
import { readableObject, updateVersion } from "./versions.js";

/**
 * Object tags (S3 user guide, "Categorizing your storage using tags"): up to 10 per object, set with the
 * object (x-amz-tagging) or on their own, per version. GetObjectTagging of an untagged object answers an
 * empty TagSet; the version id is answered in x-amz-version-id.
 */
export const getObjectTagging: Op<"GetObjectTagging"> = (input, ctx) => {
  const object = readableObject(ctx, ownedBucket(ctx, input.Bucket), input.Key, input.VersionId);
  return { VersionId: object.versionId, TagSet: object.tagging ?? [] };
};

export const putObjectTagging: Op<"PutObjectTagging"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const tags = checkTags(input.Tagging.TagSet ?? [], 10, "Object tags cannot be greater than 10");
  const changed = await updateVersion(ctx, bucket, input.Key, input.VersionId, (o) => ({ ...o, tagging: tags }));
  return { VersionId: changed.versionId };
};

export const deleteObjectTagging: Op<"DeleteObjectTagging"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const changed = await updateVersion(ctx, bucket, input.Key, input.VersionId, ({ tagging: _gone, ...o }) => o);
  return { VersionId: changed.versionId };
};

const ATTRIBUTES = new Set(["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]);

/**
 * GetObjectAttributes: only the attributes asked for (x-amz-object-attributes), with Last-Modified and the
 * version id in headers. The ETag is answered without its quotes; ObjectParts only for multipart objects.
 */
export const getObjectAttributes: Op<"GetObjectAttributes"> = (input, ctx) => {
  const object = readableObject(ctx, ownedBucket(ctx, input.Bucket), input.Key, input.VersionId);
  const asked = new Set(input.ObjectAttributes.flatMap((a) => a.split(",")).map((a) => a.trim()));
  for (const a of asked) if (!ATTRIBUTES.has(a)) throw invalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", a);
  const out: GetObjectAttributesOutput = { LastModified: new Date(object.lastModified), VersionId: object.versionId };
  if (asked.has("ETag")) out.ETag = object.etag.replace(/"/g, "");
  if (asked.has("Checksum") && object.checksum) {
    const { ChecksumType, ...value } = checksumFields(object.checksum) as Record<string, string>;
    out.Checksum = { ...value, ChecksumType } as GetObjectAttributesOutput["Checksum"];
  }
  if (asked.has("StorageClass")) out.StorageClass = (object.storageClass ?? "STANDARD") as GetObjectAttributesOutput["StorageClass"];
  if (asked.has("ObjectSize")) out.ObjectSize = object.size;
  if (asked.has("ObjectParts") && object.partSizes) {
    const marker = input.PartNumberMarker ?? 0;
    const max = Math.min(input.MaxParts ?? 1000, 1000);
    const parts = object.partSizes.map((Size, i) => ({ PartNumber: i + 1, Size })).filter((p) => p.PartNumber > marker);
    const page = parts.slice(0, max);
    out.ObjectParts = {
      TotalPartsCount: object.partSizes.length,
      PartNumberMarker: marker,
      NextPartNumberMarker: page.length ? page[page.length - 1]!.PartNumber : marker,
      MaxParts: max,
      IsTruncated: parts.length > page.length,
      Parts: page,
    };
  }
  return out;
};
