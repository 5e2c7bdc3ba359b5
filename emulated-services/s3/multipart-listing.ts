import type { Op } from "./op.js";
import { ownedBucket } from "./bucket-access.js";
import { urlEncoder } from "./list-objects.js";
import { findUpload, partsOf } from "./multipart.js";
import { ownerOf } from "./owner.js";
import { uploadTable, type StoredUpload } from "./state.js";

/** ListParts: an upload's parts by number, paged with max-parts and part-number-marker. */
export const listParts: Op<"ListParts"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const uploads = uploadTable(ctx.state, bucket);
  const upload = findUpload(uploads, input.UploadId, input.Key);
  const max = Math.min(input.MaxParts ?? 1000, 1000);
  const marker = input.PartNumberMarker ?? 0;
  const after = partsOf(uploads, upload.uploadId).filter((p) => p.partNumber > marker);
  const page = after.slice(0, max);
  const truncated = after.length > page.length;
  return {
    Bucket: bucket.name,
    Key: upload.key,
    UploadId: upload.uploadId,
    PartNumberMarker: marker,
    NextPartNumberMarker: page.length ? page[page.length - 1]!.partNumber : undefined,
    MaxParts: max,
    IsTruncated: truncated,
    Parts: page.map((p) => ({
      PartNumber: p.partNumber,
      LastModified: new Date(p.lastModified),
      ETag: p.etag,
      Size: p.size,
      ...(upload.checksumAlgorithm && p.checksum ? { [`Checksum${p.checksum.algorithm}`]: p.checksum.value } : {}),
    })),
    Initiator: { ID: upload.initiatorId },
    Owner: ownerOf(upload.ownerAccountId),
    StorageClass: (upload.storageClass ?? "STANDARD") as "STANDARD",
    ChecksumAlgorithm: upload.checksumAlgorithm,
    ChecksumType: upload.checksumType,
  };
};

/** Uploads in progress by key, then by initiation time; a delimiter rolls keys up as ListObjects does. */
export const listMultipartUploads: Op<"ListMultipartUploads"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const max = Math.min(input.MaxUploads ?? 1000, 1000);
  const prefix = input.Prefix ?? "";
  const all = [...uploadTable(ctx.state, bucket).values()]
    .filter((u): u is StoredUpload => u.kind === "upload" && u.key.startsWith(prefix))
    .filter((u) => input.KeyMarker === undefined || u.key > input.KeyMarker || (u.key === input.KeyMarker && input.UploadIdMarker !== undefined && u.uploadId > input.UploadIdMarker))
    .sort((a, b) => (a.key === b.key ? a.initiated.localeCompare(b.initiated) : a.key < b.key ? -1 : 1));
  const uploads: StoredUpload[] = [];
  const prefixes: string[] = [];
  let truncated = false;
  for (const u of all) {
    const at = input.Delimiter ? u.key.indexOf(input.Delimiter, prefix.length) : -1;
    const common = at === -1 ? undefined : u.key.slice(0, at + input.Delimiter!.length);
    if (common !== undefined && prefixes.includes(common)) continue;
    if (uploads.length + prefixes.length === max) {
      truncated = true;
      break;
    }
    if (common !== undefined) prefixes.push(common);
    else uploads.push(u);
  }
  const last = uploads[uploads.length - 1];
  const encode = urlEncoder(input.EncodingType);
  return {
    Bucket: bucket.name,
    KeyMarker: encode(input.KeyMarker ?? ""),
    UploadIdMarker: input.UploadIdMarker ?? "",
    NextKeyMarker: truncated && last ? encode(last.key) : undefined,
    NextUploadIdMarker: truncated && last ? last.uploadId : undefined,
    Prefix: encode(input.Prefix),
    Delimiter: encode(input.Delimiter),
    MaxUploads: max,
    IsTruncated: truncated,
    Uploads: uploads.map((u) => ({
      UploadId: u.uploadId,
      Key: encode(u.key),
      Initiated: new Date(u.initiated),
      StorageClass: (u.storageClass ?? "STANDARD") as "STANDARD",
      Owner: ownerOf(u.ownerAccountId),
      Initiator: { ID: u.initiatorId },
      ChecksumAlgorithm: u.checksumAlgorithm,
      ChecksumType: u.checksumType,
    })),
    CommonPrefixes: prefixes.map((p) => ({ Prefix: encode(p) })),
    EncodingType: input.EncodingType,
  };
};
