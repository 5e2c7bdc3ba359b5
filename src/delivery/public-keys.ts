import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { StateView } from "../state/store.js";

/**
 * The RSA-2048 key pairs CloudTrail signs digest files with: per region, generated on first use, kept in
 * the data dir (a table; memory with --ephemeral) so digests stay verifiable across restarts
 * (reference/cloudtrail.md §7.4-7.5).
 *
 * - `der`: the public key as DER of a PKCS#1 RSAPublicKey (`MIIBCgKCAQEA...` in base64), not SPKI: the
 *   AWS CLI's validate-logs loads it with rsa.PublicKey.load_pkcs1.
 * - `fingerprint`: lowercase hex MD5 of those DER bytes, which digests name as digestPublicKeyFingerprint.
 * - Validity windows of 30 days (AWS's samples: 2,592,000 s); a new key starts a week before the current
 *   one ends, so windows overlap and a digest signed near the switch stays verifiable.
 */
export interface RegionKey {
  der: Buffer;
  fingerprint: string;
  validFrom: Date;
  validTo: Date;
  privateKey: KeyObject;
}

interface StoredKey {
  privateKeyPem: string;
  publicDer: string;
  fingerprint: string;
  validFrom: string;
  validTo: string;
}

const VALIDITY_MS = 30 * 24 * 60 * 60 * 1000;
const OVERLAP_MS = 7 * 24 * 60 * 60 * 1000;

const table = (state: StateView) => state.table<StoredKey[]>("delivery", "public-keys");

/** The key to sign with at `now`: the newest valid one, made (or rotated in) when needed. */
export function currentSigningKey(state: StateView, region: string, now: Date): RegionKey {
  const keys = table(state).get(region) ?? [];
  const newest = keys[keys.length - 1];
  if (newest && new Date(newest.validFrom) <= now && new Date(newest.validTo).getTime() - now.getTime() > OVERLAP_MS) return toRegionKey(newest);
  const made = makeKey(now);
  table(state).set(region, [...keys, made]);
  return toRegionKey(made);
}

/** Every key of the region whose validity overlaps [start, end], oldest first (ListPublicKeys). */
export function publicKeysBetween(state: StateView, region: string, start: Date, end: Date, now: Date): RegionKey[] {
  currentSigningKey(state, region, now);
  return (table(state).get(region) ?? [])
    .filter((k) => new Date(k.validFrom) <= end && new Date(k.validTo) >= start)
    .map(toRegionKey);
}

function makeKey(now: Date): StoredKey {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 0x10001 });
  const der = publicKey.export({ type: "pkcs1", format: "der" });
  // Whole seconds, as AWS's validity times are.
  const from = Math.floor(now.getTime() / 1000) * 1000;
  return {
    privateKeyPem: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicDer: der.toString("base64"),
    fingerprint: createHash("md5").update(der).digest("hex"),
    validFrom: new Date(from).toISOString(),
    validTo: new Date(from + VALIDITY_MS).toISOString(),
  };
}

function toRegionKey(k: StoredKey): RegionKey {
  return {
    der: Buffer.from(k.publicDer, "base64"),
    fingerprint: k.fingerprint,
    validFrom: new Date(k.validFrom),
    validTo: new Date(k.validTo),
    privateKey: createPrivateKey(k.privateKeyPem),
  };
}
