/**
 * The policies the CloudTrail console writes when it creates what a new trail needs (reference/cloudtrail.md
 * §6.4, §6.5, §8; CloudTrail User Guide "Amazon S3 bucket policy for CloudTrail", "Configure AWS KMS key
 * policies for CloudTrail", "Sending events to CloudWatch Logs"): each scoped to the one trail by aws:SourceArn.
 */

export interface TrailWhere {
  accountId: string;
  region: string;
  trailName: string;
  bucket: string;
  prefix?: string;
}

export const trailArnOf = (w: Pick<TrailWhere, "accountId" | "region" | "trailName">) => `arn:aws:cloudtrail:${w.region}:${w.accountId}:trail/${w.trailName}`;

/** The bucket policy: CloudTrail may read the bucket's ACL and write under `[prefix/]AWSLogs/<account>/`. */
export function bucketPolicy(w: TrailWhere): string {
  const sourceArn = trailArnOf(w);
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AWSCloudTrailAclCheck20150319",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:GetBucketAcl",
        Resource: `arn:aws:s3:::${w.bucket}`,
        Condition: { StringEquals: { "aws:SourceArn": sourceArn } },
      },
      {
        Sid: "AWSCloudTrailWrite20150319",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${w.bucket}/${w.prefix ? `${w.prefix}/` : ""}AWSLogs/${w.accountId}/*`,
        Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": sourceArn } },
      },
    ],
  });
}

/** A new key's policy: the account administers it; CloudTrail encrypts this account's trails' logs with it. */
export function keyPolicy(w: Pick<TrailWhere, "accountId" | "region" | "trailName">): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Id: "Key policy created by CloudTrail",
    Statement: [
      { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${w.accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "Allow CloudTrail to encrypt logs",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceArn": trailArnOf(w) },
          StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${w.accountId}:trail/*` },
        },
      },
      { Sid: "Allow CloudTrail to describe key", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*" },
    ],
  });
}

/** Who may assume the CloudWatch Logs role: CloudTrail. */
export const cloudWatchTrustPolicy = () =>
  JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }] });

/** What the role lets CloudTrail do: create its stream and put its events in the trail's log group. */
export function cloudWatchRolePolicy(accountId: string, region: string, logGroup: string): string {
  const streams = `arn:aws:logs:${region}:${accountId}:log-group:${logGroup}:log-stream:${accountId}_CloudTrail_${region}*`;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "AWSCloudTrailCreateLogStream2014110", Effect: "Allow", Action: ["logs:CreateLogStream"], Resource: [streams] },
      { Sid: "AWSCloudTrailPutLogEvents20141101", Effect: "Allow", Action: ["logs:PutLogEvents"], Resource: [streams] },
    ],
  });
}
