import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * The ciphertext blob of a symmetric key, as this emulator lays it out (AWS's own format is opaque and
 * undocumented; like AWS's, it names the key, so Decrypt needs no KeyId):
 *
 *   01 02 02 00 | key ARN length (u16 BE) | key ARN (UTF-8) | IV (12) | GCM tag (16) | AES-256-GCM ciphertext
 *
 * The header, the key ARN and the encryption context are the GCM additional authenticated data, so a
 * different context (or a blob moved to another key) fails to open, as InvalidCiphertextException.
 */
const HEADER = Buffer.from([0x01, 0x02, 0x02, 0x00]);
const IV_BYTES = 12;
const TAG_BYTES = 16;

export type EncryptionContext = Record<string, string>;

export function seal(keyArn: string, material: Buffer, plaintext: Buffer, context: EncryptionContext | undefined): Buffer {
  const arn = Buffer.from(keyArn, "utf8");
  const prefix = Buffer.concat([HEADER, u16(arn.length), arn]);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", material, iv);
  cipher.setAAD(Buffer.concat([prefix, canonicalContext(context)]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([prefix, iv, cipher.getAuthTag(), body]);
}

/** The key ARN a blob names, or undefined when it is not one of ours. */
export function blobKeyArn(blob: Uint8Array): string | undefined {
  return split(Buffer.from(blob))?.keyArn;
}

/** The plaintext, or undefined when the blob, the key material or the context does not match. */
export function open(blob: Uint8Array, material: Buffer, context: EncryptionContext | undefined): Buffer | undefined {
  const parts = split(Buffer.from(blob));
  if (!parts) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", material, parts.iv);
    decipher.setAAD(Buffer.concat([parts.prefix, canonicalContext(context)]));
    decipher.setAuthTag(parts.tag);
    return Buffer.concat([decipher.update(parts.body), decipher.final()]);
  } catch {
    return undefined;
  }
}

function split(blob: Buffer) {
  if (blob.length < HEADER.length + 2 || !blob.subarray(0, HEADER.length).equals(HEADER)) return undefined;
  const arnLength = blob.readUInt16BE(HEADER.length);
  const arnEnd = HEADER.length + 2 + arnLength;
  if (blob.length < arnEnd + IV_BYTES + TAG_BYTES) return undefined;
  return {
    prefix: blob.subarray(0, arnEnd),
    keyArn: blob.subarray(HEADER.length + 2, arnEnd).toString("utf8"),
    iv: blob.subarray(arnEnd, arnEnd + IV_BYTES),
    tag: blob.subarray(arnEnd + IV_BYTES, arnEnd + IV_BYTES + TAG_BYTES),
    body: blob.subarray(arnEnd + IV_BYTES + TAG_BYTES),
  };
}

/** The context in a fixed order: KMS binds the set of pairs, not the order the client sent them in. */
function canonicalContext(context: EncryptionContext | undefined): Buffer {
  const pairs = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(pairs), "utf8");
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
