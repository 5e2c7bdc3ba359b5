import { gzipSync } from "node:zlib";
import { randomUUID } from "node:crypto";

const NAMES = ["CreateUser", "GetUser", "ListUsers", "AttachUserPolicy", "CreateAccessKey", "AssumeRole", "DescribeInstances", "RunInstances", "CreateBucket", "PutBucketPolicy"];
const SOURCES: Record<string, string> = { AssumeRole: "sts.amazonaws.com", DescribeInstances: "ec2.amazonaws.com", RunInstances: "ec2.amazonaws.com", CreateBucket: "s3.amazonaws.com", PutBucketPolicy: "s3.amazonaws.com" };

/**
 * CloudTrail log files of `count` realistic management events spread over the last day, for
 * POST /_localtrail/import: 50 users, 10 event names, one resource each.
 */
export function* logFiles(count: number, perFile = 50_000, now = Date.now()): Generator<Buffer> {
  for (let start = 0; start < count; start += perFile) {
    const records = [];
    for (let i = start; i < Math.min(count, start + perFile); i++) {
      const user = `user-${i % 50}`;
      const name = NAMES[i % NAMES.length]!;
      records.push({
        eventVersion: "1.11",
        userIdentity: { type: "IAMUser", principalId: `AIDABENCH${String(i % 50).padStart(12, "0")}`, arn: `arn:aws:iam::000000000000:user/${user}`, accountId: "000000000000", accessKeyId: `AKIABENCH${String(i % 50).padStart(11, "0")}`, userName: user },
        eventTime: new Date(now - 86_400_000 + Math.floor((i / count) * 86_000_000)).toISOString().replace(/\.\d{3}Z$/, "Z"),
        eventSource: SOURCES[name] ?? "iam.amazonaws.com",
        eventName: name,
        awsRegion: "us-east-1",
        sourceIPAddress: "198.51.100.7",
        userAgent: "aws-cli/2.15.17 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22 prompt/off command/iam.create-user",
        requestParameters: { userName: `resource-${i}` },
        responseElements: name.startsWith("Get") || name.startsWith("List") || name.startsWith("Describe") ? null : { user: { path: "/", userName: `resource-${i}`, arn: `arn:aws:iam::000000000000:user/resource-${i}`, createDate: "Nov 24, 2026 1:19:06 PM" } },
        requestID: randomUUID(),
        eventID: randomUUID(),
        readOnly: /^(Get|List|Describe)/.test(name),
        eventType: "AwsApiCall",
        managementEvent: true,
        recipientAccountId: "000000000000",
        eventCategory: "Management",
      });
    }
    yield gzipSync(JSON.stringify({ Records: records }));
  }
}
