import { gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";

/**
 * The bucket policy the CloudTrail User Guide gives ("Amazon S3 bucket policy for CloudTrail"): CloudTrail
 * may read the bucket's ACL and write under `[prefix/]AWSLogs/<account>/` for each account given.
 */
export function cloudTrailBucketPolicy(
  bucket: string,
  accounts: string[] = ["000000000000"],
  prefix = "",
  /** `write`: the PutObject resource instead of the per-account prefixes; `sourceAccount`: the guide's aws:SourceAccount condition. */
  options: { write?: string; sourceAccount?: string } = {},
): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "AWSCloudTrailAclCheck20150319", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: `arn:aws:s3:::${bucket}` },
      {
        Sid: "AWSCloudTrailWrite20150319",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: options.write ?? accounts.map((a) => `arn:aws:s3:::${bucket}/${prefix ? `${prefix}/` : ""}AWSLogs/${a}/*`),
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", ...(options.sourceAccount && { "aws:SourceAccount": options.sourceAccount }) } },
      },
    ],
  });
}

/** Every key under a prefix, in S3's order. */
export async function keysUnder(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** A delivered file as a reader gets it: gunzipped and parsed. */
export async function readGzipJson<T>(s3: S3Client, bucket: string, key: string): Promise<T> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(gunzipSync(await out.Body!.transformToByteArray()).toString("utf8")) as T;
}

/** Every record in the log files under a prefix. */
export async function deliveredRecords(s3: S3Client, bucket: string, prefix: string): Promise<CloudTrailRecord[]> {
  const records: CloudTrailRecord[] = [];
  for (const key of await keysUnder(s3, bucket, prefix)) records.push(...(await readGzipJson<{ Records: CloudTrailRecord[] }>(s3, bucket, key)).Records);
  return records;
}

/** Asks the emulator to deliver pending log files and digests now. */
export async function flush(url: string): Promise<void> {
  const res = await fetch(`${url}/_localtrail/flush`, { method: "POST" });
  if (!res.ok) throw new Error(`flush: ${res.status}`);
}
