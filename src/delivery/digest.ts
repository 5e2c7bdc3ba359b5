import { createHash, sign, type KeyObject } from "node:crypto";
import { gzipSync } from "node:zlib";
import { isoSeconds } from "../protocols/timestamps.js";
import { folderOf, type FileLocation } from "./log-file-key.js";

/**
 * CloudTrail digest files (reference/cloudtrail.md §7), as `aws cloudtrail validate-logs` checks them. Pure:
 * the caller gives the window, the log files, the previous digest and the region's signing key.
 */

/** A log file as a digest lists it. */
export interface DigestedLogFile {
  s3Bucket: string;
  s3Object: string;
  /** Lowercase hex SHA-256 of the uncompressed log file. */
  hashValue: string;
  newestEventTime: string;
  oldestEventTime: string;
}

/** The digest before this one in the chain: where it is, its hash and its signature. */
export interface PreviousDigest {
  bucket: string;
  key: string;
  /** Lowercase hex SHA-256 of its uncompressed bytes. */
  hash: string;
  /** Its hex signature (its `signature` metadata). */
  signature: string;
}

export interface DigestWhere extends FileLocation {
  trailName: string;
  homeRegion: string;
}

export interface DigestInput extends DigestWhere {
  bucket: string;
  start: Date;
  end: Date;
  logFiles: DigestedLogFile[];
  /** Absent for a chain's starting digest: every previous* field is then null. */
  previous?: PreviousDigest;
  /** The region's signing key and the MD5 fingerprint of its public key's PKCS#1 DER. */
  privateKey: KeyObject;
  fingerprint: string;
}

export interface DigestFile {
  key: string;
  /** The gzip bytes, as the object's body. */
  body: Buffer;
  /** The uncompressed JSON, exactly the bytes hashed and gzipped. */
  json: Buffer;
  /** Lowercase hex SHA-256 of `json` (the next digest's previousDigestHashValue). */
  hash: string;
  /** Lowercase hex SHA256withRSA signature: the object's `signature` metadata. */
  signature: string;
}

export const SIGNATURE_ALGORITHM = "SHA256withRSA";

/** `YYYYMMDDTHHMMSS` of a UTC time (digest names carry seconds). */
const secondStamp = (at: Date) => isoSeconds(at).replace(/[-:]/g, "").replace(/Z$/, "");

/**
 * A digest's key: named and filed by its end time, with seconds; the region it covers appears twice (folder
 * and name) and the trail's home region after the trail's name.
 * @example digestKey({ accountId: "111122223333", region: "us-east-2", trailName: "your-trail-name", homeRegion: "us-east-2" }, new Date("2015-08-17T15:01:31Z"))
 *   // "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz"
 */
export function digestKey(where: DigestWhere, end: Date): string {
  const name = `${where.accountId}_CloudTrail-Digest_${where.region}_${where.trailName}_${where.homeRegion}_${secondStamp(end)}Z.json.gz`;
  return `${folderOf(where, "CloudTrail-Digest", end)}${name}`;
}

/**
 * What is signed (§7.4): the end time as the JSON writes it, `bucket/key`, the hex SHA-256 of the
 * uncompressed digest and the previous signature, or the four characters `null` for a starting digest;
 * joined by line feeds, no trailing one.
 */
export function stringToSign(digestEndTime: string, bucket: string, key: string, digestHash: string, previousSignature: string | null): string {
  return `${digestEndTime}\n${bucket}/${key}\n${digestHash}\n${previousSignature ?? "null"}`;
}

/** The digest of a window: its JSON with the fields in AWS's order, gzipped, hashed and signed. */
export function buildDigest(input: DigestInput): DigestFile {
  const key = digestKey(input, input.end);
  const times = input.logFiles.flatMap((f) => [f.newestEventTime, f.oldestEventTime]).map((t) => Date.parse(t));
  const eventTime = (pick: (a: number, b: number) => number) =>
    times.length === 0 ? null : isoSeconds(new Date(times.reduce((a, b) => pick(a, b))));
  const previous = input.previous;
  const digest = {
    awsAccountId: input.accountId,
    digestStartTime: isoSeconds(input.start),
    digestEndTime: isoSeconds(input.end),
    digestS3Bucket: input.bucket,
    digestS3Object: key,
    digestPublicKeyFingerprint: input.fingerprint,
    digestSignatureAlgorithm: SIGNATURE_ALGORITHM,
    newestEventTime: eventTime(Math.max),
    oldestEventTime: eventTime(Math.min),
    previousDigestS3Bucket: previous?.bucket ?? null,
    previousDigestS3Object: previous?.key ?? null,
    previousDigestHashValue: previous?.hash ?? null,
    previousDigestHashAlgorithm: previous ? "SHA-256" : null,
    previousDigestSignature: previous?.signature ?? null,
    logFiles: input.logFiles.map((f) => ({
      s3Bucket: f.s3Bucket,
      s3Object: f.s3Object,
      hashValue: f.hashValue,
      hashAlgorithm: "SHA-256",
      newestEventTime: f.newestEventTime,
      oldestEventTime: f.oldestEventTime,
    })),
  };
  const json = Buffer.from(JSON.stringify(digest), "utf8");
  const hash = createHash("sha256").update(json).digest("hex");
  const toSign = stringToSign(digest.digestEndTime, input.bucket, key, hash, digest.previousDigestSignature);
  // RSASSA-PKCS1-v1_5 with SHA-256: node's default padding for an RSA key.
  const signature = sign("sha256", Buffer.from(toSign, "utf8"), input.privateKey).toString("hex");
  return { key, body: gzipSync(json), json, hash, signature };
}

/** The user metadata a digest object carries (the CLI reads `signature` and `signature-algorithm`). */
export const digestMetadata = (digest: DigestFile) => ({ signature: digest.signature, "signature-algorithm": SIGNATURE_ALGORITHM });
