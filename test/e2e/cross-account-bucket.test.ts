import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, codeAndStatus } from "../helpers/clients.js";
import { aws } from "../helpers/cli.js";
import { flush, keysUnder } from "../helpers/trails.js";
import { lastRecord } from "../helpers/data-events.js";

const CENTRAL = "111111111111";
const MEMBER = "222222222222";
const STRANGER = "333333333333";
const BUCKET = "central-audit-logs";
const as = (account: string) => ({ accessKeyId: account, secretAccessKey: "test" });

/**
 * A central log bucket shared by a member account: the bucket policy lets CloudTrail write each member's
 * prefix and lets the member read its own logs. AWS evaluates the bucket policy for another account's
 * caller whether or not anyone enforces IAM, so this works without --enforce-iam, and validate-logs runs
 * with the member's own credentials.
 */
describe("a member account reads its logs in a central bucket", () => {
  let server: TestServer;
  let startTime: string;
  const memberS3 = () => new S3Client(clientConfig(server.url, as(MEMBER)));

  beforeAll(async () => {
    server = await startTestServer();
    startTime = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const central = new S3Client(clientConfig(server.url, as(CENTRAL)));
    await central.send(new CreateBucketCommand({ Bucket: BUCKET }));
    // Log buckets are often versioned: delivered files are versions like any write.
    await central.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: "Enabled" } }));
    await central.send(new PutObjectCommand({ Bucket: BUCKET, Key: "private/central-only.txt", Body: "not for members" }));
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "AWSCloudTrailAclCheck", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: `arn:aws:s3:::${BUCKET}` },
        {
          Sid: "AWSCloudTrailWrite",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${MEMBER}/*`,
          Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
        },
        { Sid: "MemberLists", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MEMBER}:root` }, Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: `arn:aws:s3:::${BUCKET}` },
        { Sid: "MemberReadsItsLogs", Effect: "Allow", Principal: { AWS: MEMBER }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/AWSLogs/${MEMBER}/*` },
      ],
    };
    await central.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: JSON.stringify(policy) }));

    const trail = new CloudTrailClient(clientConfig(server.url, as(MEMBER)));
    await trail.send(new CreateTrailCommand({ Name: "member-trail", S3BucketName: BUCKET, EnableLogFileValidation: true }));
    await trail.send(new StartLoggingCommand({ Name: "member-trail" }));
    await new IAMClient(clientConfig(server.url, as(MEMBER))).send(new CreateUserCommand({ UserName: "auditor" }));
    await flush(server.url);
  });
  afterAll(() => server.close());

  it("the member lists and reads its own log files, and nothing else of the bucket", async () => {
    const s3 = memberS3();
    const logs = await keysUnder(s3, BUCKET, `AWSLogs/${MEMBER}/CloudTrail/us-east-1/`);
    expect(logs.length).toBeGreaterThan(0);
    const file = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: logs[0]! }));
    expect((await file.Body!.transformToByteArray()).length).toBeGreaterThan(0);
    expect(await codeAndStatus(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: "private/central-only.txt" })))).toEqual({ name: "AccessDenied", status: 403 });
    // Writing is not granted to the member, only to CloudTrail.
    expect(await codeAndStatus(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `AWSLogs/${MEMBER}/forged.json.gz`, Body: "x" })))).toEqual({ name: "AccessDenied", status: 403 });
    // An account the policy does not name gets nothing.
    const stranger = new S3Client(clientConfig(server.url, as(STRANGER)));
    expect(await codeAndStatus(stranger.send(new ListObjectsV2Command({ Bucket: BUCKET })))).toEqual({ name: "AccessDenied", status: 403 });
    expect(await codeAndStatus(stranger.send(new GetObjectCommand({ Bucket: BUCKET, Key: logs[0]! })))).toEqual({ name: "AccessDenied", status: 403 });
    // The bucket's owner sees each delivered file as a version.
    const versions = await new S3Client(clientConfig(server.url, as(CENTRAL))).send(new ListObjectVersionsCommand({ Bucket: BUCKET, Prefix: `AWSLogs/${MEMBER}/CloudTrail/` }));
    expect(versions.Versions?.map((v) => v.Key).sort()).toEqual([...logs].sort());
    expect(versions.Versions?.every((v) => /^[A-Za-z0-9]{32}$/.test(v.VersionId!) && v.IsLatest)).toBe(true);
    // The member's read is recorded in the member's account, naming the central bucket.
    const read = lastRecord(server.localtrail, "GetObject");
    expect(read.recipientAccountId).toBe(STRANGER);
    expect(read.errorCode).toBe("AccessDenied");
  });

  it("aws cloudtrail validate-logs runs with the member's credentials", async () => {
    const result = await aws(server.url, ["cloudtrail", "validate-logs", "--trail-arn", `arn:aws:cloudtrail:us-east-1:${MEMBER}:trail/member-trail`, "--start-time", startTime], as(MEMBER));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1\/1 digest files valid/);
    expect(result.stdout).toMatch(/[1-9]\d*\/[1-9]\d* log files valid/);
  });
});
