import type { CallContext } from "../../src/types/service.js";
import { AwsError } from "../../src/types/aws-error.js";
import { CHECKSUM_ALGORITHMS, isChecksumAlgorithm, type ChecksumAlgorithm } from "../../src/protocols/checksums.js";
import { badChecksum, badDigest, invalidDigest, invalidRequest } from "./errors.js";
import type { StoredChecksum } from "./state.js";
import type { StoredBody } from "./storage.js";

/** The x-amz-checksum-* members of a request or response, by algorithm (ChecksumCRC32, ...). */
export type ChecksumFields = Partial<Record<`Checksum${ChecksumAlgorithm}`, string>> & { ChecksumType?: "COMPOSITE" | "FULL_OBJECT" };

/** What to compute while a body is stored, and what to compare it with (reference/protocols.md §4). */
export interface BodyChecks {
  algorithm: ChecksumAlgorithm;
  /** A checksum the client sent in a header (a trailing one was checked by the aws-chunked decoder). */
  expected?: string;
  /** Content-MD5, decoded. */
  md5?: Buffer;
}

/**
 * The checksum a body is stored with: the one the client sent (header or trailer), else the one it named
 * in x-amz-sdk-checksum-algorithm, else `fallback` (S3 gives every new object a CRC64NVME since 2025).
 */
export function bodyChecks(input: ChecksumFields & { ChecksumAlgorithm?: string; ContentMD5?: string }, ctx: CallContext, fallback: ChecksumAlgorithm = "CRC64NVME"): BodyChecks {
  const sent = CHECKSUM_ALGORITHMS.filter((a) => input[`Checksum${a}`] !== undefined);
  if (sent.length > 1) throw invalidRequest("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
  const trailer = (ctx.request.headers["x-amz-trailer"] ?? "").trim().toLowerCase().replace(/^x-amz-checksum-/, "").toUpperCase();
  const named = input.ChecksumAlgorithm?.toUpperCase();
  const algorithm = sent[0] ?? (isChecksumAlgorithm(trailer) ? trailer : undefined) ?? (named && isChecksumAlgorithm(named) ? named : undefined) ?? fallback;
  return { algorithm, expected: sent[0] ? input[`Checksum${sent[0]}`] : undefined, md5: contentMd5(input.ContentMD5) };
}

function contentMd5(header: string | undefined): Buffer | undefined {
  if (header === undefined) return undefined;
  const md5 = Buffer.from(header, "base64");
  if (md5.length !== 16 || md5.toString("base64") !== header.trim()) throw invalidDigest();
  return md5;
}

/** BadDigest when the stored bytes are not what the client said it sent. */
export function verifyBody(body: StoredBody, checks: BodyChecks): void {
  if (checks.md5 && !checks.md5.equals(body.md5)) throw badDigest();
  if (checks.expected !== undefined && checks.expected !== body.checksums[checks.algorithm]) throw badChecksum(checks.algorithm);
}

export function fullObjectChecksum(body: StoredBody, algorithm: ChecksumAlgorithm): StoredChecksum | undefined {
  const value = body.checksums[algorithm];
  return value === undefined ? undefined : { algorithm, value, type: "FULL_OBJECT" };
}

/** A stored checksum as response members: `ChecksumCRC32: "..."` and its type. */
export function checksumFields(checksum: StoredChecksum | undefined): ChecksumFields {
  if (!checksum) return {};
  return { [`Checksum${checksum.algorithm}`]: checksum.value, ChecksumType: checksum.type };
}

/** Server-side encryption as S3 applies and reports it: SSE-S3 unless the request asks for KMS or SSE-C. */
export interface Encryption {
  serverSideEncryption?: "AES256" | "aws:kms" | "aws:kms:dsse";
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
  sseCustomerAlgorithm?: string;
  sseCustomerKeyMd5?: string;
}

export function encryptionOf(
  input: { ServerSideEncryption?: string; SSEKMSKeyId?: string; BucketKeyEnabled?: boolean; SSECustomerAlgorithm?: string; SSECustomerKeyMD5?: string },
  ctx: CallContext,
): Encryption {
  if (input.SSECustomerAlgorithm !== undefined) return { sseCustomerAlgorithm: input.SSECustomerAlgorithm, sseCustomerKeyMd5: input.SSECustomerKeyMD5 };
  const sse = input.ServerSideEncryption ?? "AES256";
  if (sse === "AES256") {
    if (input.SSEKMSKeyId !== undefined) throw invalidArgument("Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms");
    return { serverSideEncryption: "AES256" };
  }
  if (sse !== "aws:kms" && sse !== "aws:kms:dsse") throw invalidArgument("The encryption method specified is not supported");
  return { serverSideEncryption: sse, kmsKeyId: kmsKeyArn(input.SSEKMSKeyId, ctx), bucketKeyEnabled: input.BucketKeyEnabled };
}

const invalidArgument = (message: string) => new AwsError("InvalidArgument", message, { status: 400 });

/** S3 reports the KMS key as a full ARN, and the AWS managed key aws/s3 when none is named. */
function kmsKeyArn(keyId: string | undefined, ctx: CallContext): string {
  if (keyId === undefined) return `arn:aws:kms:${ctx.region}:${ctx.accountId}:alias/aws/s3`;
  if (keyId.startsWith("arn:")) return keyId;
  if (keyId.startsWith("alias/")) return `arn:aws:kms:${ctx.region}:${ctx.accountId}:${keyId}`;
  return `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${keyId}`;
}

/** The encryption headers GET, HEAD and every write answer with. */
export function encryptionFields(e: Encryption) {
  return {
    ServerSideEncryption: e.serverSideEncryption,
    SSEKMSKeyId: e.kmsKeyId,
    BucketKeyEnabled: e.bucketKeyEnabled,
    SSECustomerAlgorithm: e.sseCustomerAlgorithm,
    SSECustomerKeyMD5: e.sseCustomerKeyMd5,
  };
}
