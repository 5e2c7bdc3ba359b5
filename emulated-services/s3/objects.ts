import type { DeletedObject, ErrorShape, GetObjectOutput, StreamingBlob } from "../../src/generated/types/s3.js";
import { AwsError } from "../../src/types/aws-error.js";
import { objectAclOf, objectOwnerOf } from "./acl.js";
import { deleteCurrent, deleteVersion, readableObject, writeObject } from "./versions.js";
import type { CallContext } from "../../src/types/service.js";
import { bodySource } from "../../src/types/streaming-blob.js";
import type { Op } from "./op.js";
import { ownedBucket, checkServiceAccess } from "./bucket-access.js";
import { bodyChecks, checksumFields, encryptionFields, fullObjectChecksum, verifyBody } from "./body-checks.js";
import { byteRange, checkReadConditions, checkWriteConditions, type ReadConditions } from "./conditions.js";
import { invalidPartNumber, malformedXml } from "./errors.js";
import { checkKey, objectHeadersOf } from "./object-headers.js";
import { objectTable, type StoredObject } from "./state.js";
import { quotedEtag, removeObjects, storeBody } from "./storage.js";
import { openBody, sealBody } from "./sealed-bodies.js";

export const putObject: Op<"PutObject"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  checkKey(input.Key);
  checkServiceAccess(ctx, bucket, "s3:PutObject", `arn:aws:s3:::${bucket.name}/${input.Key}`, input.ACL === undefined ? {} : { "s3:x-amz-acl": [input.ACL] });
  const objects = objectTable(ctx.state, bucket);
  checkWriteConditions(input.Key, objects.get(input.Key), input);
  const checks = bodyChecks(input, ctx);
  const headers = { ...objectHeadersOf(input, ctx), acl: objectAclOf(input, bucket, ctx) };
  const body = await storeBody(ctx.env.blobs, bodySource(input.Body), [checks.algorithm]);
  let sealed: Pick<StoredObject, "blobId" | "kmsKeyId" | "kmsEncryptionContext"> | undefined;
  try {
    verifyBody(body, checks);
    sealed = await sealIfAsked(ctx, bucket.ownerAccountId, bucket.region, input, body.blobId);
  } catch (e) {
    await ctx.env.blobs.delete(body.blobId);
    throw e;
  }
  const object: StoredObject = {
    ...headers,
    ...sealed,
    blobId: sealed?.blobId ?? body.blobId,
    size: body.size,
    etag: quotedEtag(body.md5),
    lastModified: ctx.now.toISOString(),
    ownerAccountId: objectOwnerOf(bucket, ctx),
    checksum: fullObjectChecksum(body, checks.algorithm),
  };
  const versionId = await writeObject(ctx, bucket, input.Key, object);
  return { ETag: object.etag, ...checksumFields(object.checksum), ...encryptionFields(object), VersionId: versionId };
};

/**
 * An SSE-KMS write that names its encryption context (x-amz-server-side-encryption-context, as CloudTrail's
 * log files carry aws:cloudtrail:arn) is stored really encrypted under the key, bound to that context plus
 * S3's own aws:s3:arn, and decrypted on reads; a key KMS cannot use fails the write as `KMS.<code>`. Other
 * SSE-KMS writes keep their headers only (their keys need not exist here).
 */
async function sealIfAsked(
  ctx: CallContext,
  accountId: string,
  region: string,
  input: { Bucket: string; Key: string; ServerSideEncryption?: string; SSEKMSKeyId?: string; SSEKMSEncryptionContext?: string },
  plainBlobId: string,
): Promise<Pick<StoredObject, "blobId" | "kmsKeyId" | "kmsEncryptionContext"> | undefined> {
  if (input.ServerSideEncryption !== "aws:kms" || input.SSEKMSKeyId === undefined || input.SSEKMSEncryptionContext === undefined) return undefined;
  let context: Record<string, string>;
  try {
    context = JSON.parse(Buffer.from(input.SSEKMSEncryptionContext, "base64").toString("utf8")) as Record<string, string>;
  } catch {
    throw new AwsError("InvalidArgument", "The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON with the encryption context key-value pairs.", { status: 400 });
  }
  const encryptionContext = { ...context, "aws:s3:arn": `arn:aws:s3:::${input.Bucket}/${input.Key}` };
  const plaintext = await ctx.env.blobs.readAll(plainBlobId);
  const { ciphertext, keyArn } = sealBody(ctx.state, plaintext, { accountId, region, keyId: input.SSEKMSKeyId, encryptionContext }, ctx.now);
  const stored = await storeBody(ctx.env.blobs, ciphertext, []);
  await ctx.env.blobs.delete(plainBlobId);
  return { blobId: stored.blobId, kmsKeyId: keyArn, kmsEncryptionContext: encryptionContext };
}

/** The object a read names (its current version, or the version asked for), or NoSuchKey. */
export function findObject(ctx: CallContext, bucketName: string, key: string, versionId?: string): StoredObject {
  return readableObject(ctx, ownedBucket(ctx, bucketName), key, versionId);
}

interface ReadInput extends ReadConditions {
  Range?: string;
  PartNumber?: number;
  ChecksumMode?: string;
}

/** What GET and HEAD answer with beside the body: the object's headers, the range served, its checksum. */
function readResponse(object: StoredObject, input: ReadInput): { output: GetObjectOutput; range?: { start: number; end: number } } {
  checkReadConditions(object, input);
  let range = byteRange(input.Range, object.size);
  let partsCount: number | undefined;
  if (input.PartNumber !== undefined) {
    const sizes = object.partSizes ?? [object.size];
    if (input.PartNumber < 1 || input.PartNumber > sizes.length) {
      throw invalidPartNumber(input.PartNumber, sizes.length);
    }
    const start = sizes.slice(0, input.PartNumber - 1).reduce((a, b) => a + b, 0);
    if (object.partSizes) {
      range = { start, end: start + sizes[input.PartNumber - 1]! - 1 };
      partsCount = sizes.length;
    }
  }
  const length = range ? range.end - range.start + 1 : object.size;
  // A checksum covers the whole object: it is sent only when asked for and the whole object is sent.
  const checksum = input.ChecksumMode === "ENABLED" && !range ? checksumFields(object.checksum) : {};
  return {
    range,
    output: {
      AcceptRanges: "bytes",
      LastModified: new Date(object.lastModified),
      ContentLength: length,
      ETag: object.etag,
      VersionId: object.versionId,
      ...checksum,
      CacheControl: object.cacheControl,
      ContentDisposition: object.contentDisposition,
      ContentEncoding: object.contentEncoding,
      ContentLanguage: object.contentLanguage,
      ContentRange: range ? `bytes ${range.start}-${range.end}/${object.size}` : undefined,
      ContentType: object.contentType,
      Expires: object.expires,
      WebsiteRedirectLocation: object.websiteRedirectLocation,
      ...encryptionFields(object),
      Metadata: Object.keys(object.metadata).length ? object.metadata : undefined,
      StorageClass: object.storageClass as GetObjectOutput["StorageClass"],
      PartsCount: partsCount,
    },
  };
}

export const getObject: Op<"GetObject"> = async (input, ctx) => {
  const object = findObject(ctx, input.Bucket, input.Key, input.VersionId);
  const { output, range } = readResponse(object, input);
  const body: StreamingBlob = { stream: await openBody(ctx.state, ctx.env.blobs, object, range, ctx.now), length: output.ContentLength };
  return {
    ...output,
    Body: body,
    TagCount: object.tagging?.length || undefined,
    // Signed requests may override the response headers (response-content-type=...).
    CacheControl: input.ResponseCacheControl ?? output.CacheControl,
    ContentDisposition: input.ResponseContentDisposition ?? output.ContentDisposition,
    ContentEncoding: input.ResponseContentEncoding ?? output.ContentEncoding,
    ContentLanguage: input.ResponseContentLanguage ?? output.ContentLanguage,
    ContentType: input.ResponseContentType ?? output.ContentType,
    Expires: input.ResponseExpires?.toUTCString() ?? output.Expires,
  };
};

export const headObject: Op<"HeadObject"> = (input, ctx) => {
  return readResponse(findObject(ctx, input.Bucket, input.Key, input.VersionId), input).output;
};

/**
 * Deleting a key that does not exist succeeds too (204). In a versioned bucket a delete without a version id
 * adds a delete marker; with one, that version goes for good.
 */
export const deleteObject: Op<"DeleteObject"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  return input.VersionId === undefined ? deleteCurrent(ctx, bucket, input.Key) : deleteVersion(ctx, bucket, input.Key, input.VersionId);
};

/** Up to 1,000 keys (with or without version ids); Quiet leaves out the keys deleted and reports only errors. */
export const deleteObjects: Op<"DeleteObjects"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const keys = input.Delete.Objects ?? [];
  if (keys.length === 0 || keys.length > 1000) throw malformedXml();
  if (!bucket.versioning && keys.every((k) => k.VersionId === undefined)) {
    await removeObjects(objectTable(ctx.state, bucket), ctx.env.blobs, keys.map((k) => k.Key));
    return { Deleted: input.Delete.Quiet ? undefined : keys.map(({ Key }) => ({ Key })) };
  }
  const deleted: DeletedObject[] = [];
  const errors: ErrorShape[] = [];
  for (const { Key, VersionId } of keys) {
    try {
      const done = VersionId === undefined ? await deleteCurrent(ctx, bucket, Key) : await deleteVersion(ctx, bucket, Key, VersionId);
      deleted.push(
        VersionId === undefined
          ? { Key, DeleteMarker: done.DeleteMarker, DeleteMarkerVersionId: done.VersionId }
          : { Key, VersionId, DeleteMarker: done.DeleteMarker, DeleteMarkerVersionId: done.DeleteMarker ? VersionId : undefined },
      );
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      errors.push({ Key, VersionId, Code: e.code, Message: e.message });
    }
  }
  return { Deleted: input.Delete.Quiet ? undefined : deleted, Errors: errors.length ? errors : undefined };
};
