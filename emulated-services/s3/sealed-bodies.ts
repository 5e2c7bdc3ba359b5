import { Readable } from "node:stream";
import type { BlobStore } from "../../src/state/blob-store.js";
import type { StateView } from "../../src/state/store.js";
import { AwsError, isAwsError } from "../../src/types/aws-error.js";
import { decryptForService, encryptForService } from "../kms/directory.js";
import type { StoredObject } from "./state.js";
import { readBody } from "./storage.js";

/**
 * SSE-KMS bodies that are really encrypted at rest: SSE-KMS writes that name an encryption context (CloudTrail
 * log files of a trail with KmsKeyId) are stored as KMS ciphertext, bound to that context, and decrypted by S3
 * on every read, as SSE-KMS does.
 */
export function sealBody(
  state: StateView,
  plaintext: Buffer,
  key: { accountId: string; region: string; keyId: string; encryptionContext: Record<string, string> },
  now: Date,
): { ciphertext: Buffer; keyArn: string } {
  try {
    return encryptForService(state, key.accountId, key.region, key.keyId, plaintext, key.encryptionContext, now);
  } catch (e) {
    throw asS3Error(e);
  }
}

/** An object's bytes (or a range of them) as clients read them: decrypted when the body is sealed. */
export async function openBody(state: StateView, blobs: BlobStore, object: StoredObject, range: { start: number; end: number } | undefined, now: Date): Promise<Readable> {
  if (!object.kmsEncryptionContext) return readBody(blobs, object, range);
  let plaintext: Buffer;
  try {
    plaintext = decryptForService(state, await blobs.readAll(object.blobId), object.kmsEncryptionContext, now).plaintext;
  } catch (e) {
    throw asS3Error(e);
  }
  return Readable.from([range ? plaintext.subarray(range.start, range.end + 1) : plaintext]);
}

// S3 reports the KMS failure behind an SSE-KMS read or write as `KMS.<code>` (KMS.DisabledException, ...).
function asS3Error(e: unknown): unknown {
  return isAwsError(e) ? new AwsError(`KMS.${e.code}`, e.message, { status: 400 }) : e;
}
