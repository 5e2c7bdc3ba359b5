import type { BlobStore } from "../../src/state/blob-store.js";
import type { StateView } from "../../src/state/store.js";
import { bucketTable, objectTable } from "./state.js";
import { openBody } from "./sealed-bodies.js";
import { buffer } from "node:stream/consumers";
import { compareCodePoints } from "../../src/state/journal-table.js";
import type { ObjectReader } from "../../src/types/object-reader.js";

/**
 * What other services may ask S3, so none reaches into S3's state: CloudTrail checks a trail's bucket (its
 * log and digest files are S3 PutObject calls it makes through env.invoke), Lambda reads function code.
 */
export interface BucketInfo {
  name: string;
  ownerAccountId: string;
  region: string;
  policy?: string;
}

/** A bucket of any account (bucket names are global). */
export function findBucket(state: StateView, bucket: string): BucketInfo | undefined {
  const b = bucketTable(state).get(bucket);
  return b && { name: b.name, ownerAccountId: b.ownerAccountId, region: b.region, policy: b.policy };
}

/** An object's bytes and metadata, or undefined when the bucket or the key does not exist. */
export async function getObjectBytes(
  state: StateView,
  blobs: BlobStore,
  bucket: string,
  key: string,
  now: Date,
): Promise<{ body: Buffer; metadata: Record<string, string>; contentType?: string } | undefined> {
  const b = bucketTable(state).get(bucket);
  const object = b && objectTable(state, b).get(key);
  if (!object) return undefined;
  const body = object.size === 0 ? Buffer.alloc(0) : await buffer(await openBody(state, blobs, object, undefined, now));
  return { body, metadata: { ...object.metadata }, contentType: object.contentType };
}

/** Objects as the engine reads them (the console validating a trail's files), in S3's key order. */
export function objectReader(state: StateView, blobs: BlobStore, now: () => Date): ObjectReader {
  return {
    keys(bucket, prefix, after) {
      const b = bucketTable(state).get(bucket);
      if (!b) return undefined;
      const objects = objectTable(state, b);
      return (function* () {
        for (const key of objects.keysFrom(after !== undefined && compareCodePoints(after, prefix) > 0 ? after : prefix)) {
          if (!key.startsWith(prefix)) return;
          if (after === undefined || compareCodePoints(key, after) > 0) yield key;
        }
      })();
    },
    get: async (bucket, key) => {
      const found = await getObjectBytes(state, blobs, bucket, key, now());
      return found && { body: found.body, metadata: found.metadata };
    },
  };
}
