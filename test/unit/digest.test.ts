import { createHash, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildDigest, digestKey, digestMetadata, stringToSign, type DigestInput } from "../../src/delivery/digest.js";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const der = publicKey.export({ type: "pkcs1", format: "der" });
const fingerprint = createHash("md5").update(der).digest("hex");

const base: DigestInput = {
  accountId: "111122223333",
  region: "us-east-2",
  trailName: "your-trail-name",
  homeRegion: "us-east-2",
  bucket: "S3-bucket-name",
  start: new Date("2015-08-17T14:01:31Z"),
  end: new Date("2015-08-17T15:01:31Z"),
  logFiles: [],
  privateKey,
  fingerprint,
};

/** What validate-logs does (validation.py Sha256RSADigestValidator): PKCS#1 DER key, SHA256withRSA over the string to sign. */
function cliVerifies(body: Buffer, signatureHex: string): boolean {
  const inflated = gunzipSync(body);
  const d = JSON.parse(inflated.toString()) as Record<string, string | null>;
  const toSign = `${d.digestEndTime}\n${d.digestS3Bucket}/${d.digestS3Object}\n${createHash("sha256").update(inflated).digest("hex")}\n${d.previousDigestSignature ?? "null"}`;
  const key = createPublicKey({ key: der, format: "der", type: "pkcs1" });
  return verify("sha256", Buffer.from(toSign), key, Buffer.from(signatureHex, "hex"));
}

describe("digest files", () => {
  it("is named by its end time with seconds, the region twice and the home region after the trail name", () => {
    expect(digestKey(base, base.end)).toBe(
      "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz",
    );
    const key = digestKey({ ...base, prefix: "audit", region: "eu-west-1" }, new Date("2026-01-02T03:04:05.678Z"));
    expect(key).toBe("audit/AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/01/02/111122223333_CloudTrail-Digest_eu-west-1_your-trail-name_us-east-2_20260102T030405Z.json.gz");
    // validate-logs reads the time at fixed positions and filters keys with this expression.
    expect(key.slice(-24, -8)).toBe("20260102T030405Z");
    expect(key).toMatch(/^audit\/AWSLogs\/111122223333\/CloudTrail\-Digest\/eu\-west\-1\/\d+\/\d+\/\d+\/111122223333_CloudTrail\-Digest_eu\-west\-1_your\-trail\-name_us\-east\-2_.+(?:_backfill)?\.json\.gz$/);
  });

  it("signs exactly the end time, bucket/key, the digest's hash and the previous signature or null", () => {
    expect(stringToSign("2015-08-17T15:01:31Z", "b", "k/x.json.gz", "ab12", null)).toBe("2015-08-17T15:01:31Z\nb/k/x.json.gz\nab12\nnull");
    expect(stringToSign("2015-08-17T15:01:31Z", "b", "k", "ab12", "ff00")).toBe("2015-08-17T15:01:31Z\nb/k\nab12\nff00");
  });

  it("writes a starting digest with AWS's fields in AWS's order and every previous* field null", () => {
    const digest = buildDigest(base);
    const json = gunzipSync(digest.body);
    expect(json).toEqual(digest.json);
    const parsed = JSON.parse(json.toString()) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      "awsAccountId",
      "digestStartTime",
      "digestEndTime",
      "digestS3Bucket",
      "digestS3Object",
      "digestPublicKeyFingerprint",
      "digestSignatureAlgorithm",
      "newestEventTime",
      "oldestEventTime",
      "previousDigestS3Bucket",
      "previousDigestS3Object",
      "previousDigestHashValue",
      "previousDigestHashAlgorithm",
      "previousDigestSignature",
      "logFiles",
    ]);
    expect(parsed).toEqual({
      awsAccountId: "111122223333",
      digestStartTime: "2015-08-17T14:01:31Z",
      digestEndTime: "2015-08-17T15:01:31Z",
      digestS3Bucket: "S3-bucket-name",
      digestS3Object: digest.key,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: "SHA256withRSA",
      newestEventTime: null,
      oldestEventTime: null,
      previousDigestS3Bucket: null,
      previousDigestS3Object: null,
      previousDigestHashValue: null,
      previousDigestHashAlgorithm: null,
      previousDigestSignature: null,
      logFiles: [],
    });
    expect(digest.hash).toBe(createHash("sha256").update(json).digest("hex"));
    expect(digest.signature).toMatch(/^[0-9a-f]{512}$/);
    expect(digestMetadata(digest)).toEqual({ signature: digest.signature, "signature-algorithm": "SHA256withRSA" });
    expect(cliVerifies(digest.body, digest.signature)).toBe(true);
  });

  it("lists the log files with their hashes and chains to the previous digest", () => {
    const first = buildDigest(base);
    const logFiles = [
      { s3Bucket: "S3-bucket-name", s3Object: "AWSLogs/a.json.gz", hashValue: "9bb6", newestEventTime: "2015-08-17T14:52:27Z", oldestEventTime: "2015-08-17T14:42:27Z" },
      { s3Bucket: "S3-bucket-name", s3Object: "AWSLogs/b.json.gz", hashValue: "77aa", newestEventTime: "2015-08-17T15:30:00Z", oldestEventTime: "2015-08-17T13:59:59Z" },
    ];
    const second = buildDigest({
      ...base,
      start: base.end,
      end: new Date("2015-08-17T16:01:31Z"),
      logFiles,
      previous: { bucket: "S3-bucket-name", key: first.key, hash: first.hash, signature: first.signature },
    });
    const parsed = JSON.parse(second.json.toString()) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      digestStartTime: "2015-08-17T15:01:31Z",
      digestEndTime: "2015-08-17T16:01:31Z",
      newestEventTime: "2015-08-17T15:30:00Z",
      oldestEventTime: "2015-08-17T13:59:59Z",
      previousDigestS3Bucket: "S3-bucket-name",
      previousDigestS3Object: first.key,
      previousDigestHashValue: first.hash,
      previousDigestHashAlgorithm: "SHA-256",
      previousDigestSignature: first.signature,
      logFiles: logFiles.map((f) => ({ s3Bucket: f.s3Bucket, s3Object: f.s3Object, hashValue: f.hashValue, hashAlgorithm: "SHA-256", newestEventTime: f.newestEventTime, oldestEventTime: f.oldestEventTime })),
    });
    expect(Object.keys((parsed.logFiles as object[])[0]!)).toEqual(["s3Bucket", "s3Object", "hashValue", "hashAlgorithm", "newestEventTime", "oldestEventTime"]);
    expect(cliVerifies(second.body, second.signature)).toBe(true);
    // The signature covers the chain: the same digest claiming another predecessor fails.
    const forged = JSON.parse(second.json.toString()) as Record<string, unknown>;
    forged.previousDigestSignature = "00";
    expect(cliVerifies(gzipSync(JSON.stringify(forged)), second.signature)).toBe(false);
  });
});
