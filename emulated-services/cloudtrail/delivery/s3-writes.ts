import { Readable } from "node:stream";
import { findBucket } from "../../s3/directory.js";
import { DeliveryRefused } from "./bucket-access.js";
import type { Round } from "./round.js";

const CLOUDTRAIL = "cloudtrail.amazonaws.com";

/** A file CloudTrail puts into a trail's bucket: a log file (SSE-KMS under the trail's key, if it has one) or a digest. */
export interface DeliveredFile {
  bucket: string;
  key: string;
  body: Buffer;
  metadata?: Record<string, string>;
  /** The trail's KMS key; the file is then encrypted under it with the trail's ARN as encryption context. */
  kmsKeyId?: string;
}

/**
 * Puts a file as CloudTrail does: an S3 PutObject made by cloudtrail.amazonaws.com for the trail, through the
 * engine's service-initiated calls (env.invoke), so the bucket policy decides it (aws:SourceArn is the trail,
 * x-amz-acl bucket-owner-full-control), the bucket's notifications fire once, and it is recorded as AWS records
 * it: an S3 data event with userIdentity AWSService invokedBy cloudtrail.amazonaws.com, delivered only to
 * trails that select S3 data events (a trail that logs its own bucket logs its own writes, in its next file).
 * A refusal throws DeliveryRefused with S3's error code (NoSuchBucket, AccessDenied, KMS.<code>).
 */
export async function putDeliveredFile(round: Round, writer: { trailArn: string; accountId: string }, file: DeliveredFile): Promise<void> {
  const region = findBucket(round.state, file.bucket)?.region ?? round.env.config.region;
  const kms = file.kmsKeyId
    ? {
        ServerSideEncryption: "aws:kms",
        SSEKMSKeyId: file.kmsKeyId,
        SSEKMSEncryptionContext: Buffer.from(JSON.stringify({ "aws:cloudtrail:arn": writer.trailArn })).toString("base64"),
      }
    : { ServerSideEncryption: "AES256" };
  const outcome = await round.env.invoke({
    service: "s3",
    operation: "PutObject",
    input: {
      Bucket: file.bucket,
      Key: file.key,
      Body: { stream: Readable.from([file.body]), bytes: file.body, length: file.body.length },
      ACL: "bucket-owner-full-control",
      // As the S3 console shows CloudTrail's objects (no published source states it: unconfirmed).
      ContentType: "application/json",
      ContentEncoding: "gzip",
      ...(file.metadata && { Metadata: file.metadata }),
      ...kms,
    },
    region,
    // What S3 echoes in the record's requestParameters, as CloudTrail sends them.
    headers: {
      "x-amz-acl": "bucket-owner-full-control",
      "x-amz-server-side-encryption": kms.ServerSideEncryption,
      ...(file.kmsKeyId && { "x-amz-server-side-encryption-aws-kms-key-id": file.kmsKeyId }),
    },
    as: { service: CLOUDTRAIL, accountId: writer.accountId, sourceArn: writer.trailArn },
  });
  if (outcome.error) throw new DeliveryRefused(outcome.error.code);
}
