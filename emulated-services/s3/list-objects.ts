import type { ObjectShape } from "../../src/generated/types/s3.js";
import type { StateTable } from "../../src/state/store.js";
import { compareCodePoints } from "../../src/state/journal-table.js";
import type { Op } from "./op.js";
import { ownedBucket } from "./bucket-access.js";
import { invalidArgument } from "./errors.js";
import { ownerOf } from "./owner.js";
import { objectTable, type StoredObject } from "./state.js";

export interface ListingQuery {
  prefix: string;
  delimiter?: string;
  /** Keys up to and including this one are skipped (Marker, StartAfter, a continuation token). */
  after?: string;
  maxKeys: number;
}

export interface Listing {
  contents: [string, StoredObject][];
  commonPrefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned: where the next page starts. */
  last?: string;
}

/**
 * One page of keys in UTF-8 byte order under `prefix`, keys sharing a `delimiter` after the prefix rolled
 * up into one common prefix (which counts as one entry). The table keeps its keys sorted, so a page costs
 * its own length, and a common prefix is skipped in one step.
 */
export function listKeys(objects: StateTable<StoredObject>, q: ListingQuery): Listing {
  const out: Listing = { contents: [], commonPrefixes: [], truncated: false };
  if (q.maxKeys === 0) return out;
  let from = q.after !== undefined && compareCodePoints(q.after, q.prefix) > 0 ? q.after : q.prefix;
  let count = 0;
  scan: for (;;) {
    for (const key of objects.keysFrom(from)) {
      if (!key.startsWith(q.prefix)) break scan;
      if (q.after !== undefined && compareCodePoints(key, q.after) <= 0) continue;
      const at = q.delimiter ? key.indexOf(q.delimiter, q.prefix.length) : -1;
      if (at === -1) {
        if (count === q.maxKeys) {
          out.truncated = true;
          break scan;
        }
        out.contents.push([key, objects.get(key)!]);
        out.last = key;
        count++;
        continue;
      }
      const common = key.slice(0, at + q.delimiter!.length);
      // A marker inside (or at) a common prefix means that prefix was already returned.
      if (q.after === undefined || !q.after.startsWith(common)) {
        if (count === q.maxKeys) {
          out.truncated = true;
          break scan;
        }
        out.commonPrefixes.push(common);
        out.last = common;
        count++;
      }
      // Every key under the common prefix sorts before common + U+10FFFF: continue from there.
      from = `${common}\u{10FFFF}`;
      continue scan;
    }
    break;
  }
  return out;
}

/** encoding-type=url: boto3 always asks, and decodes Key, Prefix, Delimiter, Marker... only when S3 echoes it. */
export function urlEncoder(encodingType: string | undefined): (s: string | undefined) => string | undefined {
  if (encodingType !== "url") return (s) => s;
  return (s) => (s === undefined ? undefined : encodeURIComponent(s).replace(/%2F/g, "/").replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
}

function maxKeysOf(value: number | undefined): number {
  if (value === undefined) return 1000;
  if (value < 0) throw invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", String(value));
  return Math.min(value, 1000);
}

function contentsOf(listing: Listing, encode: (s: string) => string | undefined, withOwner: boolean): ObjectShape[] {
  return listing.contents.map(([key, o]) => ({
    Key: encode(key),
    LastModified: new Date(o.lastModified),
    ETag: o.etag,
    ChecksumAlgorithm: o.checksum ? [o.checksum.algorithm] : undefined,
    ChecksumType: o.checksum?.type,
    Size: o.size,
    StorageClass: (o.storageClass ?? "STANDARD") as ObjectShape["StorageClass"],
    Owner: withOwner ? ownerOf(o.ownerAccountId) : undefined,
  }));
}

/** ListObjects (v1): pages by Marker; NextMarker only when a delimiter is given (S3 API reference). */
export const listObjects: Op<"ListObjects"> = (input, ctx) => {
  const objects = objectTable(ctx.state, ownedBucket(ctx, input.Bucket));
  const prefix = input.Prefix ?? "";
  const listing = listKeys(objects, { prefix, delimiter: input.Delimiter || undefined, after: input.Marker || undefined, maxKeys: maxKeysOf(input.MaxKeys) });
  const encode = urlEncoder(input.EncodingType);
  return {
    Name: input.Bucket,
    Prefix: encode(prefix),
    Marker: encode(input.Marker ?? ""),
    NextMarker: input.Delimiter && listing.truncated ? encode(listing.last) : undefined,
    MaxKeys: maxKeysOf(input.MaxKeys),
    Delimiter: encode(input.Delimiter),
    IsTruncated: listing.truncated,
    Contents: contentsOf(listing, (s) => encode(s), true),
    CommonPrefixes: listing.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
    EncodingType: input.EncodingType,
  };
};

/** ListObjectsV2: pages by an opaque continuation token (the last entry returned, base64). */
export const listObjectsV2: Op<"ListObjectsV2"> = (input, ctx) => {
  const objects = objectTable(ctx.state, ownedBucket(ctx, input.Bucket));
  const prefix = input.Prefix ?? "";
  const after = input.ContinuationToken !== undefined ? fromToken(input.ContinuationToken) : input.StartAfter || undefined;
  const listing = listKeys(objects, { prefix, delimiter: input.Delimiter || undefined, after, maxKeys: maxKeysOf(input.MaxKeys) });
  const encode = urlEncoder(input.EncodingType);
  return {
    Name: input.Bucket,
    Prefix: encode(prefix),
    MaxKeys: maxKeysOf(input.MaxKeys),
    KeyCount: listing.contents.length + listing.commonPrefixes.length,
    Delimiter: encode(input.Delimiter),
    IsTruncated: listing.truncated,
    Contents: contentsOf(listing, (s) => encode(s), input.FetchOwner === true),
    CommonPrefixes: listing.commonPrefixes.map((p) => ({ Prefix: encode(p) })),
    EncodingType: input.EncodingType,
    ContinuationToken: input.ContinuationToken,
    NextContinuationToken: listing.truncated && listing.last !== undefined ? toToken(listing.last) : undefined,
    StartAfter: encode(input.StartAfter),
  };
};

const toToken = (key: string) => Buffer.from(`1${key}`, "utf8").toString("base64");

function fromToken(token: string): string {
  const text = Buffer.from(token, "base64").toString("utf8");
  if (!text.startsWith("1") || toToken(text.slice(1)) !== token) throw invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
  return text.slice(1);
}
