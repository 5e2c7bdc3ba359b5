import type { BlobStore } from "../../src/state/blob-store.js";
import type { StateView } from "../../src/state/store.js";
import { noSuchBucket } from "./errors.js";
import { bucketTable, objectTable, type StoredObject } from "./state.js";
import { quotedEtag, storeBody } from "./storage.js";
import { writeObject } from "./versions.js";
import { randomIds } from "../../src/ids.js";
import { openBody, sealBody } from "./sealed-bodies.js";
import { buffer } from "node:stream/consumers";
import type { ServiceEnv } from "../../src/types/service.js";
import { notifyObjectEvent } from "./notifications.js";
import { compareCodePoints } from "../../src/state/journal-table.js";
import type { ObjectReader } from "../../src/types/object-reader.js";

/**
 * What other services may ask S3, so none reaches into S3's state: CloudTrail checks a trail's bucket and
 * writes its log and digest files, Lambda reads function code. Objects written here are ordinary objects
 * any client can list and get.
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

/**
 * Writes an object as a service does (CloudTrail delivering a log file): owned by the bucket's owner,
 * SSE-S3 unless KMS is asked for, user metadata returned as x-amz-meta-* by GetObject. With SSE-KMS the
 * body is stored encrypted under the key, with `encryptionContext` plus S3's own `aws:s3:arn`, and
 * decrypted on reads. Resolves once the object is durable; `etag` is quoted as S3 sends it. Throws
 * NoSuchBucket when the bucket is gone, and `KMS.<code>` when the key cannot encrypt.
 */
export async function putObjectFromService(
  state: StateView,
  blobs: BlobStore,
  object: {
    bucket: string;
    key: string;
    body: Buffer;
    contentType?: string;
    contentEncoding?: string;
    metadata?: Record<string, string>;
    serverSideEncryption?: "AES256" | "aws:kms";
    kmsKeyId?: string;
    encryptionContext?: Record<string, string>;
  },
  now: Date,
  /** The writing service and the emulator, so the bucket's notifications fire for the object (S3 User Guide). */
  writer?: { env: ServiceEnv; service: string; accountId: string },
): Promise<{ etag: string }> {
  const b = bucketTable(state).get(object.bucket);
  if (!b) throw noSuchBucket(object.bucket);
  let kmsKeyId = object.kmsKeyId;
  let kmsEncryptionContext: Record<string, string> | undefined;
  let stored = object.body;
  if (object.serverSideEncryption === "aws:kms" && kmsKeyId !== undefined) {
    kmsEncryptionContext = { ...object.encryptionContext, "aws:s3:arn": `arn:aws:s3:::${object.bucket}/${object.key}` };
    const sealed = sealBody(state, object.body, { accountId: b.ownerAccountId, region: b.region, keyId: kmsKeyId, encryptionContext: kmsEncryptionContext }, now);
    stored = sealed.ciphertext;
    kmsKeyId = sealed.keyArn;
  }
  const body = await storeBody(blobs, stored, []);
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(object.metadata ?? {})) metadata[k.toLowerCase()] = v;
  const written: StoredObject = {
    blobId: body.blobId,
    size: object.body.length,
    etag: quotedEtag(body.md5),
    lastModified: now.toISOString(),
    ownerAccountId: b.ownerAccountId,
    contentType: object.contentType ?? "binary/octet-stream",
    contentEncoding: object.contentEncoding,
    metadata,
    serverSideEncryption: object.serverSideEncryption ?? "AES256",
    kmsKeyId,
    kmsEncryptionContext,
  };
  // Into a versioned bucket, a delivered file is a new version as any write is.
  await writeObject({ state, env: { blobs, ids: writer?.env.ids ?? randomIds } }, b, object.key, written);
  if (writer && b.notification) {
    notifyObjectEvent(writer.env, b, {
      name: "ObjectCreated:Put",
      key: object.key,
      size: written.size,
      etag: written.etag,
      requester: { principalId: writer.service, accountId: writer.accountId },
      sourceIp: writer.service,
      requestId: writer.env.ids.upperAlnum(16),
    });
  }
  return { etag: written.etag };
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
