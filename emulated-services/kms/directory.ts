import type { StateView } from "../../src/state/store.js";
import { blobKeyArn, open, seal, type EncryptionContext } from "./ciphertext.js";
import { invalidCiphertext } from "./errors.js";
import { findKey } from "./key-ids.js";
import { requireEnabled } from "./keys-access.js";
import type { KeyState } from "./state.js";

/**
 * What other services may ask KMS, so none reaches into KMS's state: CloudTrail checks a trail's
 * KmsKeyId, S3 encrypts and decrypts SSE-KMS objects (trail log files). These calls are made by a service
 * on its own behalf and are not API calls: they produce no record here.
 */
export interface KeyInfo {
  keyId: string;
  arn: string;
  accountId: string;
  region: string;
  keyState: KeyState;
  /** The key policy document, for services that check what it lets them do. */
  policy: string;
}

/**
 * The key a key id, key ARN, alias name or alias ARN names (a bare id or alias name in `accountId` and
 * `region`), or undefined when there is none.
 * @example describeKeyForService(ctx.state, "000000000000", "us-east-1", "alias/trail-key")?.arn
 */
export function describeKeyForService(state: StateView, accountId: string, region: string, keyIdOrArnOrAlias: string, now: Date): KeyInfo | undefined {
  try {
    const key = findKey(state, keyIdOrArnOrAlias, accountId, region, now);
    return { keyId: key.keyId, arn: key.arn, accountId: key.accountId, region: key.region, keyState: key.keyState, policy: key.policy };
  } catch {
    return undefined;
  }
}

/**
 * Encrypts `plaintext` under a key (any size: services encrypt whole objects), binding
 * `encryptionContext` (S3 passes `aws:s3:arn`, CloudTrail `aws:cloudtrail:arn`). Throws KMS's AwsError
 * (NotFoundException, DisabledException, KMSInvalidStateException) when the key cannot be used.
 */
export function encryptForService(
  state: StateView,
  accountId: string,
  region: string,
  keyIdOrArnOrAlias: string,
  plaintext: Buffer,
  encryptionContext: EncryptionContext,
  now: Date,
): { ciphertext: Buffer; keyArn: string } {
  const key = findKey(state, keyIdOrArnOrAlias, accountId, region, now);
  requireEnabled(key);
  return { ciphertext: seal(key.arn, Buffer.from(key.material, "base64"), plaintext, encryptionContext), keyArn: key.arn };
}

/**
 * Decrypts what encryptForService (or the Encrypt API) produced, with the same encryption context. The
 * ciphertext names its key, wherever it lives. Throws InvalidCiphertextException when the context or the
 * bytes differ, and the key errors of encryptForService.
 */
export function decryptForService(state: StateView, ciphertext: Uint8Array, encryptionContext: EncryptionContext, now: Date): { plaintext: Buffer; keyArn: string } {
  const arn = blobKeyArn(ciphertext);
  if (!arn) throw invalidCiphertext();
  const key = findKey(state, arn, "", "", now, false);
  requireEnabled(key);
  const plaintext = open(ciphertext, Buffer.from(key.material, "base64"), encryptionContext);
  if (!plaintext) throw invalidCiphertext();
  return { plaintext, keyArn: key.arn };
}
