import { randomBytes } from "node:crypto";
import type { CallContext } from "../../src/types/service.js";
import { callerArn } from "../../src/types/caller.js";
import { accessDenied, incorrectKey, invalidCiphertext, invalidKeyUsage, keyNotFound, validation } from "./errors.js";
import { blobKeyArn, open, seal, type EncryptionContext } from "./ciphertext.js";
import { findKey } from "./key-ids.js";
import { touchKey } from "./audit.js";
import { findOwnKey, requireEnabled } from "./keys-access.js";
import type { Op } from "./op.js";
import type { StoredKey } from "./state.js";

const material = (key: StoredKey) => Buffer.from(key.material, "base64");

/** Symmetric encryption keys support one algorithm, SYMMETRIC_DEFAULT. */
function checkAlgorithm(algorithm: string | undefined): void {
  if (algorithm !== undefined && algorithm !== "SYMMETRIC_DEFAULT") {
    throw invalidKeyUsage(`The requested encryption algorithm ${algorithm} is not supported by a SYMMETRIC_DEFAULT key.`);
  }
}

function usableKey(input: object, keyId: string, ctx: CallContext): StoredKey {
  const key = findOwnKey(ctx, keyId, true);
  touchKey(input, key);
  requireEnabled(key);
  return key;
}

/** The key a ciphertext names; only the caller's own keys in the called region can open it here. */
function keyOfCiphertext(input: object, blob: Uint8Array, keyIdHint: string | undefined, ctx: CallContext): StoredKey {
  const arn = blobKeyArn(blob);
  if (!arn) throw invalidCiphertext();
  const key = findKey(ctx.state, arn, ctx.accountId, ctx.region, ctx.now, false);
  if (key.accountId !== ctx.accountId && !ctx.authorized) {
    throw accessDenied(`User: ${callerArn(ctx.caller)} is not authorized to perform: kms:Decrypt on resource: ${arn} because no resource-based policy allows the kms:Decrypt action`);
  }
  if (key.region !== ctx.region) throw keyNotFound(arn);
  touchKey(input, key);
  // A KeyId that names another key than the ciphertext's is IncorrectKeyException.
  if (keyIdHint !== undefined && findOwnKey(ctx, keyIdHint, true).keyId !== key.keyId) {
    throw incorrectKey();
  }
  requireEnabled(key);
  return key;
}

function openOrFail(key: StoredKey, blob: Uint8Array, context: EncryptionContext | undefined): Buffer {
  const plaintext = open(blob, material(key), context);
  if (!plaintext) throw invalidCiphertext();
  return plaintext;
}

export const encrypt: Op<"Encrypt"> = (input, ctx) => {
  checkAlgorithm(input.EncryptionAlgorithm);
  const key = usableKey(input, input.KeyId, ctx);
  return {
    CiphertextBlob: seal(key.arn, material(key), Buffer.from(input.Plaintext), input.EncryptionContext),
    KeyId: key.arn,
    EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
  };
};

export const decrypt: Op<"Decrypt"> = (input, ctx) => {
  checkAlgorithm(input.EncryptionAlgorithm);
  if (!input.CiphertextBlob) throw validation("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
  const key = keyOfCiphertext(input, input.CiphertextBlob, input.KeyId, ctx);
  return {
    KeyId: key.arn,
    Plaintext: openOrFail(key, input.CiphertextBlob, input.EncryptionContext),
    EncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    KeyMaterialId: key.keyMaterialId,
  };
};

/** NumberOfBytes or KeySpec, exactly one of them. */
function dataKeyLength(numberOfBytes: number | undefined, keySpec: string | undefined): number {
  if ((numberOfBytes === undefined) === (keySpec === undefined)) throw validation("Please specify either number of bytes or key spec.");
  return numberOfBytes ?? (keySpec === "AES_128" ? 16 : 32);
}

export const generateDataKey: Op<"GenerateDataKey"> = (input, ctx) => {
  const length = dataKeyLength(input.NumberOfBytes, input.KeySpec);
  const key = usableKey(input, input.KeyId, ctx);
  const plaintext = randomBytes(length);
  return {
    CiphertextBlob: seal(key.arn, material(key), plaintext, input.EncryptionContext),
    Plaintext: plaintext,
    KeyId: key.arn,
    KeyMaterialId: key.keyMaterialId,
  };
};

export const generateDataKeyWithoutPlaintext: Op<"GenerateDataKeyWithoutPlaintext"> = (input, ctx) => {
  const length = dataKeyLength(input.NumberOfBytes, input.KeySpec);
  const key = usableKey(input, input.KeyId, ctx);
  return {
    CiphertextBlob: seal(key.arn, material(key), randomBytes(length), input.EncryptionContext),
    KeyId: key.arn,
    KeyMaterialId: key.keyMaterialId,
  };
};

/** Decrypts under the source key and encrypts under the destination key, never showing the plaintext. */
export const reEncrypt: Op<"ReEncrypt"> = (input, ctx) => {
  checkAlgorithm(input.SourceEncryptionAlgorithm);
  checkAlgorithm(input.DestinationEncryptionAlgorithm);
  if (!input.CiphertextBlob) throw validation("1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null");
  const source = keyOfCiphertext(input, input.CiphertextBlob, input.SourceKeyId, ctx);
  const plaintext = openOrFail(source, input.CiphertextBlob, input.SourceEncryptionContext);
  const destination = usableKey(input, input.DestinationKeyId, ctx);
  return {
    CiphertextBlob: seal(destination.arn, material(destination), plaintext, input.DestinationEncryptionContext),
    SourceKeyId: source.arn,
    KeyId: destination.arn,
    SourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    DestinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
    SourceKeyMaterialId: source.keyMaterialId,
    DestinationKeyMaterialId: destination.keyMaterialId,
  };
};
