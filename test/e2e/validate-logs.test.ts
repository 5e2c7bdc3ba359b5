import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { CreateAccessKeyCommand, CreateUserCommand, GetUserCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { aws } from "../helpers/cli.js";
import { cloudTrailBucketPolicy, flush, keysUnder } from "../helpers/trails.js";

const ACCOUNT = "000000000000";
const BUCKET = "audit-trail-logs";
const PREFIX = "audit";
const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/audit`;

/**
 * The real `aws cloudtrail validate-logs` (AWS CLI v1) against what localtrail delivered: every digest and
 * log file valid, then each kind of tampering caught with the CLI's own words (reference/cloudtrail.md §7.8).
 * AWS_ENDPOINT_URL (set by the CLI helper) aims the CLI's S3 client at localtrail: --endpoint-url reaches
 * only its CloudTrail client.
 */
describe("aws cloudtrail validate-logs", () => {
  let server: TestServer;
  let s3: S3Client;
  let startTime: string;
  let digests: string[];
  let logs: string[];

  const validate = () => aws(server.url, ["cloudtrail", "validate-logs", "--trail-arn", TRAIL_ARN, "--start-time", startTime, "--verbose"]);
  const object = async (key: string) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    return { body: Buffer.from(await out.Body!.transformToByteArray()), metadata: out.Metadata };
  };
  const put = (key: string, body: Buffer, metadata?: Record<string, string>) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, Metadata: metadata }));

  beforeAll(async () => {
    server = await startTestServer();
    startTime = new Date(Date.now() - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    s3 = new S3Client(clientConfig(server.url));
    const iam = new IAMClient(clientConfig(server.url));
    const ct = new CloudTrailClient(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: BUCKET, Policy: cloudTrailBucketPolicy(BUCKET, [ACCOUNT], PREFIX) }));
    await ct.send(new CreateTrailCommand({ Name: "audit", S3BucketName: BUCKET, S3KeyPrefix: PREFIX, EnableLogFileValidation: true }));
    await ct.send(new StartLoggingCommand({ Name: "audit" }));

    // Two people at work, a delivery, more work, another delivery.
    const users: IAMClient[] = [];
    for (const name of ["alice", "bob"]) {
      await iam.send(new CreateUserCommand({ UserName: name }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: name }));
      users.push(new IAMClient(clientConfig(server.url, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! })));
    }
    await users[0]!.send(new CreateUserCommand({ UserName: "carol" }));
    await flush(server.url);
    await users[1]!.send(new ListUsersCommand({}));
    await users[1]!.send(new GetUserCommand({ UserName: "carol" }));
    await flush(server.url);

    digests = await keysUnder(s3, BUCKET, `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail-Digest/us-east-1/`);
    logs = await keysUnder(s3, BUCKET, `${PREFIX}/AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/`);
  });
  afterAll(() => server.close());

  it("finds every digest and log file valid", async () => {
    expect(digests).toHaveLength(2);
    expect(logs).toHaveLength(2);
    const result = await validate();
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toMatch(new RegExp(`^Validating log files for trail ${TRAIL_ARN} between ${startTime} and \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`));
    // Newest digest first, each followed by the log file it lists (one per delivery).
    const listed = await Promise.all(digests.map(async (key) => (JSON.parse(gunzipSync((await object(key)).body).toString()) as { logFiles: { s3Object: string }[] }).logFiles.map((f) => f.s3Object)));
    expect(listed.flat().sort()).toEqual([...logs].sort());
    expect(lines.filter((l) => /^(Digest|Log) file\t/.test(l))).toEqual([
      `Digest file\ts3://${BUCKET}/${digests[1]}\tvalid`,
      `Log file\ts3://${BUCKET}/${listed[1]![0]}\tvalid`,
      `Digest file\ts3://${BUCKET}/${digests[0]}\tvalid`,
      `Log file\ts3://${BUCKET}/${listed[0]![0]}\tvalid`,
    ]);
    expect(result.stdout).toContain("\n2/2 digest files valid\n2/2 log files valid\n");
  });

  it("catches a modified log file", async () => {
    const original = await object(logs[0]!);
    const tampered = JSON.parse(gunzipSync(original.body).toString()) as { Records: { sourceIPAddress: string }[] };
    tampered.Records[0]!.sourceIPAddress = "203.0.113.7";
    await put(logs[0]!, gzipSync(JSON.stringify(tampered)));
    try {
      const result = await validate();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Log file\ts3://${BUCKET}/${logs[0]}\tINVALID: hash value doesn't match\n`);
      expect(result.stdout).toContain("\n2/2 digest files valid\n1/2 log files valid, 1/2 log files INVALID\n");
    } finally {
      await put(logs[0]!, original.body);
    }
  });

  it("catches a deleted log file", async () => {
    const original = await object(logs[1]!);
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: logs[1]! }));
    try {
      const result = await validate();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Log file\ts3://${BUCKET}/${logs[1]}\tINVALID: not found\n`);
      expect(result.stdout).toContain("\n2/2 digest files valid\n1/2 log files valid, 1/2 log files INVALID\n");
    } finally {
      await put(logs[1]!, original.body);
    }
  });

  it("catches a modified digest file", async () => {
    const original = await object(digests[0]!);
    const digest = JSON.parse(gunzipSync(original.body).toString()) as { logFiles: unknown[] };
    digest.logFiles = [];
    // Whoever edits the digest keeps its signature metadata: the signature no longer matches.
    await put(digests[0]!, gzipSync(JSON.stringify(digest)), original.metadata);
    try {
      const result = await validate();
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Digest file\ts3://${BUCKET}/${digests[0]}\tINVALID: signature verification failed\n`);
      expect(result.stdout).toContain("\n1/2 digest files valid, 1/2 digest files INVALID\n1/1 log files valid\n");
    } finally {
      await put(digests[0]!, original.body, original.metadata);
    }
  });
});
