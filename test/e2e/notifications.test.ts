import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AddPermissionCommand, CreateFunctionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteSubscriptionFilterCommand, DescribeSubscriptionFiltersCommand, FilterLogEventsCommand, PutLogEventsCommand, PutSubscriptionFilterCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateBucketCommand, DeleteObjectCommand, GetBucketNotificationConfigurationCommand, PutBucketNotificationConfigurationCommand, PutBucketPolicyCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { cloudTrailBucketPolicy, flush } from "../helpers/trails.js";
import { createRole, handlers, zipOf } from "../fixtures/lambda/functions.js";

const ACCOUNT = "000000000000";
const POLL = { timeout: 300_000, interval: 50 };
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;

describe("S3 event notifications and CloudWatch Logs subscription filters invoke Lambda functions", () => {
  let server: TestServer;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;
  let s3: S3Client;

  /** The events each function wrote to the log group "received", by function name. */
  const received = async (fn: string): Promise<Record<string, unknown>[]> => {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: "received", logStreamNamePrefix: `${fn}/` }));
    return (out.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, unknown>);
  };

  beforeAll(async () => {
    server = await startTestServer();
    lambda = new LambdaClient(clientConfig(server.url));
    logs = new CloudWatchLogsClient(clientConfig(server.url));
    s3 = new S3Client({ ...clientConfig(server.url), forcePathStyle: true });
    const role = await createRole(server.url, "exec-role");
    for (const name of ["on-upload", "on-logs", "on-trail-file"]) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Runtime: "nodejs20.x", Role: role, Handler: "index.handler", Timeout: 30, Code: { ZipFile: zipOf({ "index.js": handlers.recordsEvent }) } }));
    }
    await logs.send(new CreateLogGroupCommand({ logGroupName: "received" }));
  });
  afterAll(() => server.close());

  it("a new object under the configured prefix and suffix reaches the function as an S3 event record", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "uploads" }));
    await lambda.send(new AddPermissionCommand({ FunctionName: "on-upload", StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com", SourceArn: "arn:aws:s3:::uploads", SourceAccount: ACCOUNT }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: "uploads",
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            { Id: "images", LambdaFunctionArn: fnArn("on-upload"), Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "prefix", Value: "images/" }, { Name: "suffix", Value: ".png" }] } } },
            { Id: "deletes", LambdaFunctionArn: fnArn("on-upload"), Events: ["s3:ObjectRemoved:Delete"] },
          ],
        },
      }),
    );
    const config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: "uploads" }));
    expect(config.LambdaFunctionConfigurations![0]).toMatchObject({ Id: "images", Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "Prefix", Value: "images/" }, { Name: "Suffix", Value: ".png" }] } } });

    await s3.send(new PutObjectCommand({ Bucket: "uploads", Key: "images/cat.txt", Body: "not an image" }));
    await s3.send(new PutObjectCommand({ Bucket: "uploads", Key: "images/my cat.png", Body: "png!" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "uploads", Key: "images/my cat.png" }));
    await expect.poll(async () => (await received("on-upload")).length, POLL).toBe(2);
    const records = (await received("on-upload")).map((e) => (e.Records as Record<string, unknown>[])[0]!);
    const created = records.find((r) => r.eventName === "ObjectCreated:Put")!;
    expect(created).toMatchObject({
      eventVersion: "2.1",
      eventSource: "aws:s3",
      awsRegion: "us-east-1",
      userIdentity: { principalId: `AWS:${ACCOUNT}` },
      s3: { s3SchemaVersion: "1.0", configurationId: "images", bucket: { name: "uploads", arn: "arn:aws:s3:::uploads" }, object: { key: "images/my+cat.png", size: 4, eTag: "f94300e0540066bdb32c7c1d29c073e8" } },
    });
    expect(records.find((r) => r.eventName === "ObjectRemoved:Delete")).toMatchObject({ s3: { configurationId: "deletes", object: { key: "images/my+cat.png" } } });
  });

  it("a delete in a versioned bucket notifies ObjectRemoved:DeleteMarkerCreated with the marker's version", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "versioned" }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: "versioned", VersioningConfiguration: { Status: "Enabled" } }));
    await lambda.send(new AddPermissionCommand({ FunctionName: "on-upload", StatementId: "s3-versioned", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com", SourceArn: "arn:aws:s3:::versioned" }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: "versioned", NotificationConfiguration: { LambdaFunctionConfigurations: [{ Id: "removals", LambdaFunctionArn: fnArn("on-upload"), Events: ["s3:ObjectRemoved:*"] }] } }));
    await s3.send(new PutObjectCommand({ Bucket: "versioned", Key: "doc.txt", Body: "v1" }));
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: "versioned", Key: "doc.txt" }));
    expect(deleted.DeleteMarker).toBe(true);
    const removal = async () => (await received("on-upload")).map((e) => (e.Records as Record<string, unknown>[])[0]!).find((r) => (r.s3 as { configurationId: string }).configurationId === "removals");
    await expect.poll(removal, POLL).toMatchObject({ eventName: "ObjectRemoved:DeleteMarkerCreated", s3: { bucket: { name: "versioned" }, object: { key: "doc.txt", versionId: deleted.VersionId } } });
  });

  it("a function whose policy does not let S3 in is refused the bucket's events", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "closed" }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: "closed", NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: fnArn("on-logs"), Events: ["s3:ObjectCreated:Put"] }] } }));
    await s3.send(new PutObjectCommand({ Bucket: "closed", Key: "x", Body: "x" }));
    const { allRecords } = await import("../fixtures/lambda/functions.js");
    await expect.poll(() => allRecords(server).some((r) => r.eventName === "Invoke" && r.errorCode === "AccessDenied" && (r.userIdentity as { invokedBy?: string }).invokedBy === "s3.amazonaws.com"), POLL).toBe(true);
    expect(await received("on-logs")).toEqual([]);
  });

  it("EventBridge gets \"Object Created\" when the bucket sends its events there", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "to-eventbridge" }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: "to-eventbridge", NotificationConfiguration: { EventBridgeConfiguration: {} } }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "s3-events" }));
    const events = new EventBridgeClient(clientConfig(server.url));
    await events.send(new PutRuleCommand({ Name: "objects", EventPattern: JSON.stringify({ source: ["aws.s3"], "detail-type": ["Object Created"], detail: { bucket: { name: ["to-eventbridge"] } } }) }));
    await events.send(new PutTargetsCommand({ Rule: "objects", Targets: [{ Id: "log", Arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:s3-events` }] }));
    await s3.send(new PutObjectCommand({ Bucket: "to-eventbridge", Key: "report.csv", Body: "a,b" }));
    await expect.poll(async () => (await logs.send(new FilterLogEventsCommand({ logGroupName: "s3-events" }))).events?.length ?? 0, POLL).toBe(1);
    const event = JSON.parse((await logs.send(new FilterLogEventsCommand({ logGroupName: "s3-events" }))).events![0]!.message!) as Record<string, unknown>;
    expect(event).toMatchObject({ "detail-type": "Object Created", source: "aws.s3", resources: ["arn:aws:s3:::to-eventbridge"], detail: { version: "0", bucket: { name: "to-eventbridge" }, object: { key: "report.csv", size: 3 }, reason: "PutObject", requester: ACCOUNT } });
  });

  it("log files a trail delivers fire the bucket's notifications", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "trail-logs" }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: "trail-logs", Policy: cloudTrailBucketPolicy("trail-logs") }));
    await lambda.send(new AddPermissionCommand({ FunctionName: "on-trail-file", StatementId: "s3", Action: "lambda:InvokeFunction", Principal: "s3.amazonaws.com", SourceArn: "arn:aws:s3:::trail-logs" }));
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: "trail-logs", NotificationConfiguration: { LambdaFunctionConfigurations: [{ LambdaFunctionArn: fnArn("on-trail-file"), Events: ["s3:ObjectCreated:*"], Filter: { Key: { FilterRules: [{ Name: "suffix", Value: ".json.gz" }] } } }] } }));
    const cloudtrail = new CloudTrailClient(clientConfig(server.url));
    await cloudtrail.send(new CreateTrailCommand({ Name: "main", S3BucketName: "trail-logs" }));
    await cloudtrail.send(new StartLoggingCommand({ Name: "main" }));
    await s3.send(new CreateBucketCommand({ Bucket: "something-to-log" }));
    await flush(server.url);
    await expect.poll(async () => (await received("on-trail-file")).length, POLL).toBeGreaterThan(0);
    const record = ((await received("on-trail-file"))[0]!.Records as { s3: { object: { key: string } }; userIdentity: unknown }[])[0]!;
    expect(record.s3.object.key).toMatch(new RegExp(`^AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/.+_CloudTrail_us-east-1_.+\\.json\\.gz$`));
  });

  it("an asynchronous invocation that fails is tried twice more, a minute and then two minutes later", async () => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: "on-upload", InvocationType: "Event", Payload: Buffer.from(JSON.stringify({ fail: true, attempt: "retries" })) }));
    expect(out.StatusCode).toBe(202);
    const attempts = async () => (await received("on-upload")).filter((e) => e.attempt === "retries").length;
    await expect.poll(attempts, POLL).toBe(1);
    await fetch(`${server.url}/_localtrail/clock`, { method: "POST", body: JSON.stringify({ advance: "PT1M" }) });
    await expect.poll(attempts, POLL).toBe(2);
    await fetch(`${server.url}/_localtrail/clock`, { method: "POST", body: JSON.stringify({ advance: "PT2M" }) });
    await expect.poll(attempts, POLL).toBe(3);
    await fetch(`${server.url}/_localtrail/clock`, { method: "POST", body: JSON.stringify({ advance: "PT10M" }) });
    expect(await attempts()).toBe(3);
  });

  it("log events matching a subscription filter reach its function as base64 gzipped awslogs data", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "app" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: "app", logStreamName: "web-1" }));
    expect(await failure(logs.send(new PutSubscriptionFilterCommand({ logGroupName: "app", filterName: "errors", filterPattern: "ERROR", destinationArn: fnArn("on-logs") })))).toMatchObject({
      name: "InvalidParameterException",
      message: "Could not execute the lambda function. Make sure you have given CloudWatch Logs permission to execute your function.",
    });
    await lambda.send(new AddPermissionCommand({ FunctionName: "on-logs", StatementId: "logs", Action: "lambda:InvokeFunction", Principal: "logs.amazonaws.com", SourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:app:*` }));
    await logs.send(new PutSubscriptionFilterCommand({ logGroupName: "app", filterName: "errors", filterPattern: "ERROR", destinationArn: fnArn("on-logs") }));
    expect((await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: "app" }))).subscriptionFilters).toMatchObject([{ filterName: "errors", logGroupName: "app", filterPattern: "ERROR", destinationArn: fnArn("on-logs"), distribution: "ByLogStream" }]);
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: "app", logStreamName: "web-1", logEvents: [{ timestamp: now, message: "INFO all good" }, { timestamp: now + 1, message: "ERROR disk full" }] }));
    await expect.poll(async () => (await received("on-logs")).length, POLL).toBe(1);
    const event = (await received("on-logs"))[0] as { awslogs: { data: string } };
    const data = JSON.parse(gunzipSync(Buffer.from(event.awslogs.data, "base64")).toString("utf8")) as Record<string, unknown>;
    expect(data).toMatchObject({ messageType: "DATA_MESSAGE", owner: ACCOUNT, logGroup: "app", logStream: "web-1", subscriptionFilters: ["errors"], logEvents: [{ timestamp: now + 1, message: "ERROR disk full" }] });
    expect((data.logEvents as { id: string }[])[0]!.id).toMatch(/^\d{56}$/);
    await logs.send(new DeleteSubscriptionFilterCommand({ logGroupName: "app", filterName: "errors" }));
    expect((await logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: "app" }))).subscriptionFilters).toEqual([]);
  });
});
