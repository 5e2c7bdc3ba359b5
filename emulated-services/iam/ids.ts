import type { Ids } from "../../src/types/service.js";

/**
 * IAM unique ids: a four-letter prefix naming the kind of entity, then 17 upper-case characters
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
 */
export const uniqueId = (ids: Ids, prefix: "AIDA" | "AROA" | "AGPA" | "ANPA" | "AIPA") => prefix + ids.upperAlnum(17);

/** Secret access keys are 40 characters. */
export const secretAccessKey = (ids: Ids) => ids.alnum(40);

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * An access key id as AWS makes them since 2019: the prefix (AKIA long-term, ASIA temporary), then 10 bytes in
 * base32 (A-Z, 2-7) whose first 48 bits are a set top bit, the 40-bit account id and 7 other bits. Secret
 * scanners match this alphabet, and GetAccessKeyInfo and public decoders read the account back with
 * `(first 6 bytes & 0x7fffffffff80) >> 7`.
 */
export function accessKeyId(ids: Ids, accountId: string, prefix: "AKIA" | "ASIA" = "AKIA"): string {
  const head = (1n << 47n) | (BigInt(accountId) << 7n) | (BigInt(`0x${ids.hex(2)}`) & 0x7fn);
  const bytes = Buffer.alloc(10);
  bytes.writeUIntBE(Number(head), 0, 6);
  Buffer.from(ids.hex(8), "hex").copy(bytes, 6);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = "";
  for (let i = 15; i >= 0; i--) out += BASE32[Number((bits >> BigInt(i * 5)) & 31n)];
  return prefix + out;
}

/** The account an AWS-format access key id encodes, or undefined when it encodes none (a pre-2019 key, `test`). */
export function accountOfAccessKeyId(id: string): string | undefined {
  const m = /^(AKIA|ASIA)([A-Z2-7]{16})$/.exec(id);
  if (!m) return undefined;
  let bits = 0n;
  for (const c of m[2]!) bits = (bits << 5n) | BigInt(BASE32.indexOf(c));
  const head = bits >> 32n;
  if ((head & (1n << 47n)) === 0n) return undefined;
  return ((head & 0x7fffffffff80n) >> 7n).toString().padStart(12, "0");
}

export const iamArn = (accountId: string, kind: "user" | "role" | "group" | "policy" | "instance-profile", path: string, name: string) =>
  `arn:aws:iam::${accountId}:${kind}${path}${name}`;
