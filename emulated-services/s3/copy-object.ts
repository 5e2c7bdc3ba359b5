import type { CallContext } from "../../src/types/service.js";
import type { Op } from "./op.js";
import { ownedBucket } from "./bucket-access.js";
import { checksumFields, encryptionFields, fullObjectChecksum } from "./body-checks.js";
import { checkWriteConditions } from "./conditions.js";
import { invalidArgument, invalidRequest, noSuchKey, preconditionFailed } from "./errors.js";
import { checkKey, objectHeadersOf } from "./object-headers.js";
import { objectTable, type StoredObject } from "./state.js";
import { quotedEtag, storeBody } from "./storage.js";
import { AwsError } from "../../src/types/aws-error.js";
import { objectAclOf } from "./acl.js";
import { readableObject, writeObject } from "./versions.js";
import { openBody } from "./sealed-bodies.js";
import { isChecksumAlgorithm } from "../../src/protocols/checksums.js";

/** The object x-amz-copy-source names: `bucket/key` or `/bucket/key`, URL-encoded, maybe `?versionId=`. */
export function copySource(ctx: CallContext, header: string): { bucket: string; key: string; object: StoredObject; versionId?: string } {
  const [path = "", versionId] = header.split("?versionId=");
  let decoded: string;
  try {
    decoded = decodeURIComponent(path).replace(/^\//, "");
  } catch {
    throw invalidArgument("Invalid copy source encoding", "x-amz-copy-source", header);
  }
  const slash = decoded.indexOf("/");
  if (slash <= 0 || slash === decoded.length - 1) throw invalidArgument("Invalid copy source object key", "x-amz-copy-source", header);
  const bucket = decoded.slice(0, slash);
  const key = decoded.slice(slash + 1);
  // A delete marker as the source answers 404 NoSuchKey without a version id, 400 InvalidRequest with one.
  let object: StoredObject;
  try {
    object = readableObject(ctx, ownedBucket(ctx, bucket), key, versionId === undefined ? undefined : decodeURIComponent(versionId));
  } catch (e) {
    if (e instanceof AwsError && e.code === "MethodNotAllowed") throw invalidRequest("The source of a copy request may not specifically refer to a delete marker by version id.");
    if (e instanceof AwsError && e.code === "NoSuchKey") throw noSuchKey(key);
    throw e;
  }
  return { bucket, key, object, versionId: object.versionId };
}

/** x-amz-copy-source-if-*: the same rules as GET's conditions, all answered with 412. */
export function checkCopyConditions(
  object: StoredObject,
  c: { CopySourceIfMatch?: string; CopySourceIfNoneMatch?: string; CopySourceIfModifiedSince?: Date; CopySourceIfUnmodifiedSince?: Date },
): void {
  const modified = Math.floor(new Date(object.lastModified).getTime() / 1000);
  const etagIn = (list: string) => list.split(",").some((t) => t.trim() === "*" || t.trim() === object.etag || `"${t.trim()}"` === object.etag);
  if (c.CopySourceIfMatch !== undefined && !etagIn(c.CopySourceIfMatch)) throw preconditionFailed("x-amz-copy-source-If-Match");
  if (c.CopySourceIfMatch === undefined && c.CopySourceIfUnmodifiedSince && modified > Math.floor(c.CopySourceIfUnmodifiedSince.getTime() / 1000)) {
    throw preconditionFailed("x-amz-copy-source-If-Unmodified-Since");
  }
  if (c.CopySourceIfNoneMatch !== undefined && etagIn(c.CopySourceIfNoneMatch)) throw preconditionFailed("x-amz-copy-source-If-None-Match");
  if (c.CopySourceIfNoneMatch === undefined && c.CopySourceIfModifiedSince && modified <= Math.floor(c.CopySourceIfModifiedSince.getTime() / 1000)) {
    throw preconditionFailed("x-amz-copy-source-If-Modified-Since");
  }
}

/**
 * CopyObject: the source's bytes under a new key. Metadata and content headers come from the source
 * (MetadataDirective COPY, the default) or the request (REPLACE); encryption is what the request asks for.
 */
export const copyObject: Op<"CopyObject"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  checkKey(input.Key);
  const source = copySource(ctx, input.CopySource);
  checkCopyConditions(source.object, input);
  const replace = input.MetadataDirective === "REPLACE";
  const sameKey = source.bucket === bucket.name && source.key === input.Key;
  if (sameKey && !replace && input.StorageClass === undefined && input.ServerSideEncryption === undefined && input.WebsiteRedirectLocation === undefined) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const objects = objectTable(ctx.state, bucket);
  checkWriteConditions(input.Key, objects.get(input.Key), input);
  const requested = input.ChecksumAlgorithm?.toUpperCase() ?? "";
  const algorithm = isChecksumAlgorithm(requested) ? requested : (source.object.checksum?.algorithm ?? "CRC64NVME");
  const body = await storeBody(ctx.env.blobs, await openBody(ctx.state, ctx.env.blobs, source.object, undefined, ctx.now), [algorithm]);
  const fresh = { ...objectHeadersOf(input, ctx), acl: objectAclOf(input, bucket, ctx) };
  const headers = replace
    ? fresh
    : {
        ...fresh,
        contentType: source.object.contentType,
        contentEncoding: source.object.contentEncoding,
        contentLanguage: source.object.contentLanguage,
        contentDisposition: source.object.contentDisposition,
        cacheControl: source.object.cacheControl,
        expires: source.object.expires,
        metadata: source.object.metadata,
      };
  const object: StoredObject = {
    ...headers,
    tagging: input.TaggingDirective === "REPLACE" ? fresh.tagging : source.object.tagging,
    blobId: body.blobId,
    size: body.size,
    etag: quotedEtag(body.md5),
    lastModified: ctx.now.toISOString(),
    ownerAccountId: ctx.accountId,
    checksum: fullObjectChecksum(body, algorithm),
  };
  const versionId = await writeObject(ctx, bucket, input.Key, object);
  return {
    CopyObjectResult: { ETag: object.etag, LastModified: new Date(object.lastModified), ...checksumFields(object.checksum) },
    ...encryptionFields(object),
    VersionId: versionId,
    CopySourceVersionId: source.versionId,
  };
};
