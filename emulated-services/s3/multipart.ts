import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { callerArn } from "../../src/types/caller.js";
import type { CallContext } from "../../src/types/service.js";
import { bodySource } from "../../src/types/streaming-blob.js";
import { newChecksum, isChecksumAlgorithm, type ChecksumAlgorithm } from "../../src/protocols/checksums.js";
import type { StateTable } from "../../src/state/store.js";
import type { Op } from "./op.js";
import { ownedBucket } from "./bucket-access.js";
import { bodyChecks, checksumFields, encryptionFields, type ChecksumFields, verifyBody } from "./body-checks.js";
import { checkWriteConditions } from "./conditions.js";
import { checkCopyConditions, copySource } from "./copy-object.js";
import { entityTooSmall, invalidArgument, invalidPart, invalidPartOrder, invalidRange, invalidRequest, malformedXml, noSuchUpload } from "./errors.js";
import { checkKey, objectHeadersOf } from "./object-headers.js";
import { objectAclOf } from "./acl.js";
import { writeObject } from "./versions.js";
import { canonicalId } from "./owner.js";
import { objectTable, partKey, uploadKey, uploadTable, type StoredBucket, type StoredChecksum, type StoredObject, type StoredPart, type StoredUpload } from "./state.js";
import { deleteLater, readBody, storeBody, type StoredBody } from "./storage.js";
import { openBody } from "./sealed-bodies.js";

/** Every part but the last must be at least 5 MiB. */
const MIN_PART_SIZE = 5 * 1024 * 1024;

export type Uploads = StateTable<StoredUpload | StoredPart>;

export function findUpload(uploads: Uploads, uploadId: string, key: string): StoredUpload {
  const upload = uploads.get(uploadKey(uploadId));
  if (!upload || upload.kind !== "upload" || upload.key !== key) throw noSuchUpload(uploadId);
  return upload;
}

export function partsOf(uploads: Uploads, uploadId: string): StoredPart[] {
  const prefix = `p/${uploadId}/`;
  const parts: StoredPart[] = [];
  for (const k of uploads.keysFrom(prefix)) {
    if (!k.startsWith(prefix)) break;
    const part = uploads.get(k);
    if (part?.kind === "part") parts.push(part);
  }
  return parts;
}

/** S3's Initiator: the root's canonical ID, or the ARN of the IAM user or role session. */
const initiatorOf = (ctx: CallContext) => (ctx.caller.type === "Root" ? canonicalId(ctx.accountId) : callerArn(ctx.caller));

/**
 * CRC64NVME checksums can only be whole-object ones; SHA checksums only composite (a checksum of the
 * parts' checksums); the CRC32s either, composite by default (S3 user guide, "Checking object integrity").
 */
function checksumTypeOf(algorithm: ChecksumAlgorithm | undefined, requested: string | undefined): "COMPOSITE" | "FULL_OBJECT" | undefined {
  if (!algorithm) return undefined;
  const type = requested ?? (algorithm === "CRC64NVME" ? "FULL_OBJECT" : "COMPOSITE");
  if ((algorithm === "CRC64NVME" && type !== "FULL_OBJECT") || ((algorithm === "SHA1" || algorithm === "SHA256") && type !== "COMPOSITE")) {
    throw invalidRequest(`The ${type} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
  }
  return type as "COMPOSITE" | "FULL_OBJECT";
}

export const createMultipartUpload: Op<"CreateMultipartUpload"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  checkKey(input.Key);
  const named = input.ChecksumAlgorithm?.toUpperCase();
  const algorithm = named && isChecksumAlgorithm(named) ? named : undefined;
  const upload: StoredUpload = {
    ...objectHeadersOf(input, ctx),
    acl: objectAclOf(input, bucket, ctx),
    kind: "upload",
    uploadId: ctx.env.ids.alnum(64),
    key: input.Key,
    initiated: ctx.now.toISOString(),
    ownerAccountId: ctx.accountId,
    initiatorId: initiatorOf(ctx),
    checksumAlgorithm: algorithm,
    checksumType: checksumTypeOf(algorithm, input.ChecksumType),
  };
  uploadTable(ctx.state, bucket).set(uploadKey(upload.uploadId), upload);
  return {
    Bucket: bucket.name,
    Key: input.Key,
    UploadId: upload.uploadId,
    ChecksumAlgorithm: upload.checksumAlgorithm,
    ChecksumType: upload.checksumType,
    ...encryptionFields(upload),
  };
};

function checkPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
    throw invalidArgument("Part number must be an integer between 1 and 10000, inclusive", "partNumber", String(partNumber));
  }
}

/** Stores a part, replacing a part uploaded before under the same number. */
async function savePart(uploads: Uploads, ctx: CallContext, uploadId: string, partNumber: number, body: StoredBody, algorithm: ChecksumAlgorithm): Promise<StoredPart> {
  const part: StoredPart = {
    kind: "part",
    partNumber,
    blobId: body.blobId,
    size: body.size,
    etag: `"${body.md5.toString("hex")}"`,
    lastModified: ctx.now.toISOString(),
    checksum: { algorithm, value: body.checksums[algorithm]!, type: "FULL_OBJECT" },
  };
  const previous = uploads.get(partKey(uploadId, partNumber));
  uploads.set(partKey(uploadId, partNumber), part);
  await uploads.settled();
  if (previous?.kind === "part") deleteLater(ctx.env.blobs, previous.blobId);
  return part;
}

export const uploadPart: Op<"UploadPart"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const uploads = uploadTable(ctx.state, bucket);
  const upload = findUpload(uploads, input.UploadId, input.Key);
  checkPartNumber(input.PartNumber);
  const checks = bodyChecks(input, ctx, upload.checksumAlgorithm ?? "CRC64NVME");
  const body = await storeBody(ctx.env.blobs, bodySource(input.Body), [checks.algorithm]);
  try {
    verifyBody(body, checks);
  } catch (e) {
    await ctx.env.blobs.delete(body.blobId);
    throw e;
  }
  const part = await savePart(uploads, ctx, upload.uploadId, input.PartNumber, body, checks.algorithm);
  // The part's checksum is returned when the upload or the request named one (boto3 then lists it in Complete).
  const asked = upload.checksumAlgorithm !== undefined || checks.expected !== undefined || input.ChecksumAlgorithm !== undefined || ctx.request.headers["x-amz-trailer"] !== undefined;
  return { ETag: part.etag, ...(asked ? { [`Checksum${checks.algorithm}`]: part.checksum!.value } : {}), ...encryptionFields(upload) };
};

/** UploadPartCopy: a part made of another object's bytes, or of a range of them (x-amz-copy-source-range). */
export const uploadPartCopy: Op<"UploadPartCopy"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const uploads = uploadTable(ctx.state, bucket);
  const upload = findUpload(uploads, input.UploadId, input.Key);
  checkPartNumber(input.PartNumber);
  const source = copySource(ctx, input.CopySource);
  checkCopyConditions(source.object, input);
  let range: { start: number; end: number } | undefined;
  if (input.CopySourceRange !== undefined) {
    const m = /^bytes=(\d+)-(\d+)$/.exec(input.CopySourceRange);
    if (!m) throw invalidArgument("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy", "x-amz-copy-source-range", input.CopySourceRange);
    range = { start: Number(m[1]), end: Number(m[2]) };
    if (range.end < range.start || range.end >= source.object.size) throw invalidRange(source.object.size, input.CopySourceRange);
  }
  const algorithm = upload.checksumAlgorithm ?? "CRC64NVME";
  const body = await storeBody(ctx.env.blobs, await openBody(ctx.state, ctx.env.blobs, source.object, range, ctx.now), [algorithm]);
  const part = await savePart(uploads, ctx, upload.uploadId, input.PartNumber, body, algorithm);
  const checksum = upload.checksumAlgorithm ? { [`Checksum${algorithm}`]: part.checksum!.value } : {};
  return { CopyPartResult: { ETag: part.etag, LastModified: new Date(part.lastModified), ...checksum }, ...encryptionFields(upload), CopySourceVersionId: source.versionId };
};

/** The parts a CompleteMultipartUpload lists, checked: ascending, uploaded, same ETag and checksum, big enough. */
function chosenParts(uploads: Uploads, upload: StoredUpload, listed: ({ PartNumber?: number; ETag?: string } & ChecksumFields)[]): StoredPart[] {
  if (listed.length === 0) throw malformedXml();
  const parts: StoredPart[] = [];
  let previous = 0;
  for (const entry of listed) {
    if (entry.PartNumber === undefined || entry.ETag === undefined) throw malformedXml();
    if (entry.PartNumber <= previous) throw invalidPartOrder();
    previous = entry.PartNumber;
    const part = uploads.get(partKey(upload.uploadId, entry.PartNumber));
    if (part?.kind !== "part" || unquote(entry.ETag) !== unquote(part.etag)) throw invalidPart();
    const sent = part.checksum ? entry[`Checksum${part.checksum.algorithm}`] : undefined;
    if (sent !== undefined && sent !== part.checksum!.value) throw invalidPart();
    parts.push(part);
  }
  parts.slice(0, -1).forEach((p) => {
    if (p.size < MIN_PART_SIZE) throw entityTooSmall();
  });
  return parts;
}

const unquote = (etag: string) => etag.trim().replace(/^"|"$/g, "");

/** The ETag AWS gives a multipart object: the MD5 of the parts' binary MD5s, then `-<number of parts>`. */
export function multipartEtag(partEtags: string[]): string {
  const md5 = createHash("md5");
  for (const etag of partEtags) md5.update(Buffer.from(unquote(etag), "hex"));
  return `"${md5.digest("hex")}-${partEtags.length}"`;
}

/** A composite checksum: the checksum of the parts' checksums, then `-<number of parts>`. */
function compositeChecksum(algorithm: ChecksumAlgorithm, parts: StoredPart[]): StoredChecksum {
  const sum = newChecksum(algorithm);
  for (const p of parts) sum.update(Buffer.from(p.checksum?.value ?? "", "base64"));
  return { algorithm, value: `${sum.digest().toString("base64")}-${parts.length}`, type: "COMPOSITE" };
}

export const completeMultipartUpload: Op<"CompleteMultipartUpload"> = async (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const uploads = uploadTable(ctx.state, bucket);
  const upload = findUpload(uploads, input.UploadId, input.Key);
  const objects = objectTable(ctx.state, bucket);
  checkWriteConditions(input.Key, objects.get(input.Key), input);
  const parts = chosenParts(uploads, upload, input.MultipartUpload?.Parts ?? []);
  const composite = upload.checksumType === "COMPOSITE" && upload.checksumAlgorithm !== undefined;
  const fullAlgorithm = composite ? undefined : (upload.checksumAlgorithm ?? "CRC64NVME");
  // The object's bytes are the parts' bytes, streamed one after the other into one new file.
  const blobs = ctx.env.blobs;
  const body = await storeBody(blobs, Readable.from((async function* () {
    for (const p of parts) yield* readBody(blobs, p);
  })()), fullAlgorithm ? [fullAlgorithm] : []);
  const checksum: StoredChecksum | undefined = composite
    ? compositeChecksum(upload.checksumAlgorithm!, parts)
    : { algorithm: fullAlgorithm!, value: body.checksums[fullAlgorithm!]!, type: "FULL_OBJECT" };
  if (input.MpuObjectSize !== undefined && input.MpuObjectSize !== body.size) {
    await blobs.delete(body.blobId);
    throw invalidRequest(`The provided 'x-amz-mp-object-size' header value ${input.MpuObjectSize} does not match what was computed: ${body.size}`);
  }
  const { kind: _kind, uploadId: _id, key: _key, initiated: _at, initiatorId: _by, checksumAlgorithm: _a, checksumType: _t, ...headers } = upload;
  const object: StoredObject = {
    ...headers,
    blobId: body.blobId,
    size: body.size,
    etag: multipartEtag(parts.map((p) => p.etag)),
    lastModified: ctx.now.toISOString(),
    checksum,
    partSizes: parts.map((p) => p.size),
  };
  const versionId = await writeObject(ctx, bucket, input.Key, object);
  dropUpload(uploads, ctx, upload.uploadId);
  return {
    VersionId: versionId,
    Location: objectLocation(ctx, bucket, input.Key),
    Bucket: bucket.name,
    Key: input.Key,
    ETag: object.etag,
    ...checksumFields(checksum),
    ...encryptionFields(object),
  };
};

/** Removes an upload and its parts (their bytes a little later). */
function dropUpload(uploads: Uploads, ctx: CallContext, uploadId: string): void {
  for (const part of partsOf(uploads, uploadId)) {
    uploads.delete(partKey(uploadId, part.partNumber));
    deleteLater(ctx.env.blobs, part.blobId);
  }
  uploads.delete(uploadKey(uploadId));
}

/** Where the object is, as the client addressed the bucket. */
function objectLocation(ctx: CallContext, bucket: StoredBucket, key: string): string {
  const host = ctx.request.headers["host"] ?? "localhost";
  const path = key.split("/").map(encodeURIComponent).join("/");
  return host.startsWith(`${bucket.name}.`) ? `http://${host}/${path}` : `http://${host}/${bucket.name}/${path}`;
}

export const abortMultipartUpload: Op<"AbortMultipartUpload"> = (input, ctx) => {
  const uploads = uploadTable(ctx.state, ownedBucket(ctx, input.Bucket));
  const upload = findUpload(uploads, input.UploadId, input.Key);
  dropUpload(uploads, ctx, upload.uploadId);
  return {};
};
