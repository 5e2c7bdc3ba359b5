import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudTrailClient, CreateTrailCommand, GetTrailStatusCommand, PutEventSelectorsCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { allRecords } from "../helpers/data-events.js";
import { aws } from "../helpers/cli.js";
import { cloudTrailBucketPolicy, deliveredRecords, flush, keysUnder } from "../helpers/trails.js";
import { createRole, zipOf } from "../fixtures/lambda/functions.js";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";

const ACCOUNT = "000000000000";
const CLOUDTRAIL = "cloudtrail.amazonaws.com";
const trailArn = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;
const writesBy = (records: CloudTrailRecord[], bucket: string) =>
  records.filter((r) => r.eventName === "PutObject" && r.userIdentity.invokedBy === CLOUDTRAIL && (r.requestParameters as { bucketName?: string }).bucketName === bucket);

describe("CloudTrail writes its log and digest files with S3 PutObject calls of its own", () => {
  let server: TestServer;
  let s3: S3Client;
  let ct: CloudTrailClient;

  beforeAll(async () => {
    server = await startTestServer();
    s3 = new S3Client(clientConfig(server.url));
    ct = new CloudTrailClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("a trail that logs S3 data events for its own bucket records its own writes, one flush at a time, and validate-logs passes", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "self-logging" }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: "self-logging", Policy: cloudTrailBucketPolicy("self-logging") }));
    await ct.send(new CreateTrailCommand({ Name: "self", S3BucketName: "self-logging", EnableLogFileValidation: true }));
    await ct.send(new PutEventSelectorsCommand({ TrailName: "self", EventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::self-logging/"] }] }] }));
    await ct.send(new StartLoggingCommand({ Name: "self" }));

    // Each flush writes what was pending when it began: the writes it makes wait for the next one.
    const logFiles = () => keysUnder(s3, "self-logging", `AWSLogs/${ACCOUNT}/CloudTrail/`);
    await flush(server.url);
    expect(await logFiles()).toHaveLength(1);
    await flush(server.url);
    expect(await logFiles()).toHaveLength(2);
    await flush(server.url);
    expect(await logFiles()).toHaveLength(3);

    const delivered = await deliveredRecords(s3, "self-logging", `AWSLogs/${ACCOUNT}/CloudTrail/`);
    const writes = writesBy(delivered, "self-logging");
    const [first] = writes.filter((w) => (w.requestParameters as { key: string }).key.includes("/CloudTrail/"));
    expect(first).toMatchObject({
      eventSource: "s3.amazonaws.com",
      eventName: "PutObject",
      userIdentity: { type: "AWSService", invokedBy: CLOUDTRAIL },
      sourceIPAddress: CLOUDTRAIL,
      // S3 brackets a client's user agent, never a service principal (AWS's delivered PutObject records).
      userAgent: CLOUDTRAIL,
      responseElements: { "x-amz-server-side-encryption": "AES256" },
      readOnly: false,
      managementEvent: false,
      eventCategory: "Data",
      recipientAccountId: ACCOUNT,
      requestParameters: { bucketName: "self-logging", key: expect.stringMatching(new RegExp(`^AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/`)), "x-amz-acl": "bucket-owner-full-control", "x-amz-server-side-encryption": "AES256" },
      resources: expect.arrayContaining([expect.objectContaining({ type: "AWS::S3::Object", ARN: expect.stringMatching(/^arn:aws:s3:::self-logging\/AWSLogs\//) })]),
    });
    // The digests' writes are recorded too.
    expect(writes.some((w) => (w.requestParameters as { key: string }).key.includes("/CloudTrail-Digest/"))).toBe(true);

    const validation = await aws(server.url, ["cloudtrail", "validate-logs", "--trail-arn", trailArn("self"), "--start-time", "2000-01-01T00:00:00Z"]);
    expect(validation.code, validation.stdout + validation.stderr).toBe(0);
    expect(validation.stdout).toMatch(/\d+\/\d+ digest files valid/);
  });

  it("fails delivery with AccessDenied when the bucket policy stops allowing CloudTrail's writes, recording the refused PutObject", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "locked" }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: "locked", Policy: cloudTrailBucketPolicy("locked") }));
    await ct.send(new CreateTrailCommand({ Name: "locked-out", S3BucketName: "locked" }));
    await ct.send(new StartLoggingCommand({ Name: "locked-out" }));
    // The ACL check alone: CloudTrail may look at the bucket but no longer write to it.
    const aclOnly = JSON.parse(cloudTrailBucketPolicy("locked")) as { Statement: unknown[] };
    aclOnly.Statement = aclOnly.Statement.slice(0, 1);
    await s3.send(new PutBucketPolicyCommand({ Bucket: "locked", Policy: JSON.stringify(aclOnly) }));
    await flush(server.url);

    expect(await ct.send(new GetTrailStatusCommand({ Name: "locked-out" }))).toMatchObject({ LatestDeliveryError: "AccessDenied" });
    expect(await keysUnder(s3, "locked", "AWSLogs/")).toEqual([]);
    const refused = writesBy(allRecords(server.localtrail), "locked");
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ errorCode: "AccessDenied", userIdentity: { type: "AWSService", invokedBy: CLOUDTRAIL }, sourceIPAddress: CLOUDTRAIL });
    // And a bucket whose policy never allowed CloudTrail is refused when the trail is created, as AWS does.
    expect(await failure(ct.send(new CreateTrailCommand({ Name: "never", S3BucketName: "locked" })))).toMatchObject({ name: "InsufficientS3BucketPolicyException" });
  });

  it("fires the bucket's notifications once for each file it writes", async () => {
    const lambda = new LambdaClient(clientConfig(server.url));
    const role = await createRole(server.url, "scanner-role");
    await lambda.send(new CreateFunctionCommand({ FunctionName: "scanner", Runtime: "nodejs20.x", Role: role, Handler: "index.handler", Code: { ZipFile: zipOf({ "index.js": "exports.handler = async () => null;" }) } }));
    await lambda.send(new AddPermissionCommand({ FunctionName: "scanner", StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com", SourceArn: "arn:aws:s3:::scanned" }));
    await s3.send(new CreateBucketCommand({ Bucket: "scanned" }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: "scanned", Policy: cloudTrailBucketPolicy("scanned") }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: "scanned",
        NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:scanner`, Events: ["s3:ObjectCreated:*"] }] },
      }),
    );
    await ct.send(new CreateTrailCommand({ Name: "scanned-trail", S3BucketName: "scanned", EnableLogFileValidation: true }));
    await ct.send(new StartLoggingCommand({ Name: "scanned-trail" }));
    await flush(server.url);

    const files = await keysUnder(s3, "scanned", "AWSLogs/");
    expect(files.length).toBe(2);
    const invocations = () => allRecords(server.localtrail).filter((r) => r.eventName === "Invoke" && r.userIdentity.invokedBy === "s3.amazonaws.com");
    await expect.poll(() => invocations().length, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(files.length);
    expect(invocations()).toHaveLength(files.length);
  });
});
