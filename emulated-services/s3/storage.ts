import { createHash, hash } from "node:crypto";
import { Readable, Transform } from "node:stream";
import type { BlobStore } from "../../src/state/blob-store.js";
import type { StateTable } from "../../src/state/store.js";
import { checksumOf, newChecksum, type ChecksumAlgorithm } from "../../src/protocols/checksums.js";
import type { StoredObject } from "./state.js";

/**
 * Object bodies live in the blob store (ctx.env.blobs), in files named by generated ids: no key ever
 * becomes a path. A body is streamed to its file while it is hashed, so a multi-GB upload is never held
 * in memory.
 */
export interface StoredBody {
  blobId: string;
  size: number;
  md5: Buffer;
  /** Base64 checksums of the bytes stored, for each algorithm asked for. */
  checksums: Partial<Record<ChecksumAlgorithm, string>>;
}

export async function storeBody(blobs: BlobStore, source: Readable | Buffer, algorithms: readonly ChecksumAlgorithm[]): Promise<StoredBody> {
  if (Buffer.isBuffer(source)) {
    // A body read whole (up to 64 KiB): one-shot digests, no hashing objects.
    const checksums: StoredBody["checksums"] = {};
    for (const a of algorithms) checksums[a] = checksumOf(a, source);
    const stored = await blobs.put(source);
    return { blobId: stored.id, size: stored.size, md5: hash("md5", source, "buffer"), checksums };
  }
  const md5 = createHash("md5");
  const sums = algorithms.map((a) => [a, newChecksum(a)] as const);
  const update = (chunk: Buffer) => {
    md5.update(chunk);
    for (const [, c] of sums) c.update(chunk);
  };
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      update(chunk);
      done(null, chunk);
    },
  });
  // An error of the source (a bad chunk signature, a short body) fails the store with that error.
  source.once("error", (e) => hashing.destroy(e));
  const stored = await blobs.put(source.pipe(hashing));
  const checksums: StoredBody["checksums"] = {};
  for (const [a, c] of sums) checksums[a] = c.digest().toString("base64");
  return { blobId: stored.id, size: stored.size, md5: md5.digest(), checksums };
}

/** S3's ETag of a single-part object: the MD5 of its bytes, in double quotes. */
export const quotedEtag = (md5: Buffer) => `"${md5.toString("hex")}"`;

/**
 * Makes `object` the current object under `key`. The body it replaces is removed a little later, so a
 * GetObject that already found the old object can still open its file.
 */
export async function replaceObject(objects: StateTable<StoredObject>, blobs: BlobStore, key: string, object: StoredObject): Promise<void> {
  const previous = objects.get(key);
  objects.set(key, object);
  await objects.settled();
  if (previous && previous.blobId !== object.blobId) deleteLater(blobs, previous.blobId);
}

/** Removes objects' records and, a little later, their bodies; resolves once the removal is durable. */
export async function removeObjects(objects: StateTable<StoredObject>, blobs: BlobStore, keys: string[]): Promise<void> {
  const bodies: string[] = [];
  for (const key of keys) {
    const previous = objects.get(key);
    if (previous && objects.delete(key)) bodies.push(previous.blobId);
  }
  await objects.settled();
  for (const blobId of bodies) deleteLater(blobs, blobId);
}

const GRACE_MS = 10_000;

export function deleteLater(blobs: BlobStore, blobId: string): void {
  setTimeout(() => void blobs.delete(blobId).catch(() => undefined), GRACE_MS).unref();
}

/** A blob's bytes as a stream, or a range of them. */
export function readBody(blobs: BlobStore, object: { blobId: string; size: number }, range?: { start: number; end: number }): Readable {
  if (object.size === 0) return Readable.from([]);
  return blobs.read(object.blobId, range);
}
