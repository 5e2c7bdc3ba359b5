import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";
import { awsJson } from "../helpers/cli.js";

const ACCOUNT = "000000000000";

describe("CloudWatch Logs groups and streams", () => {
  let server: TestServer;
  let logs: CloudWatchLogsClient;
  beforeAll(async () => {
    server = await startTestServer();
    logs = new CloudWatchLogsClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("creates and describes log groups with epoch-ms creation times and both ARNs", async () => {
    const before = Date.now();
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/app/web", tags: { team: "web" } }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/app/worker" }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "CloudTrail/Audit" }));
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/app/" }));
    expect(logGroups!.map((g) => g.logGroupName)).toEqual(["/app/web", "/app/worker"]);
    expect(logGroups![0]).toEqual({
      logGroupName: "/app/web",
      creationTime: expect.any(Number),
      metricFilterCount: 0,
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/web:*`,
      storedBytes: 0,
      logGroupClass: "STANDARD",
      logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/app/web`,
    });
    expect(logGroups![0]!.creationTime!).toBeGreaterThanOrEqual(before);
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePattern: "audit" }))).logGroups!.map((g) => g.logGroupName)).toEqual(["CloudTrail/Audit"]);

    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 2 }));
    expect(first.logGroups).toHaveLength(2);
    const second = await logs.send(new DescribeLogGroupsCommand({ limit: 2, nextToken: first.nextToken }));
    expect([...first.logGroups!, ...second.logGroups!].map((g) => g.logGroupName)).toEqual(["/app/web", "/app/worker", "CloudTrail/Audit"]);
    expect(second.nextToken).toBeUndefined();

    expect(await failure(logs.send(new CreateLogGroupCommand({ logGroupName: "/app/web" })))).toEqual({
      name: "ResourceAlreadyExistsException",
      status: 400,
      message: "The specified log group already exists",
    });
    expect(await failure(logs.send(new CreateLogGroupCommand({ logGroupName: "bad:name" })))).toMatchObject({ name: "InvalidParameterException", status: 400 });
    expect(await failure(logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "a", logGroupNamePattern: "b" })))).toMatchObject({ name: "InvalidParameterException" });

    const [invalid, ...created] = await lookupRecords(server.url, "EventName", "CreateLogGroup");
    expect(invalid).toMatchObject({ errorCode: "InvalidParameterException", requestParameters: { logGroupName: "bad:name" } });
    expect(created.find((r) => !r.errorCode && (r.requestParameters as { logGroupName: string }).logGroupName === "/app/web")).toMatchObject({
      eventSource: "logs.amazonaws.com",
      readOnly: false,
      requestParameters: { logGroupName: "/app/web", tags: { team: "web" } },
      responseElements: null,
      // CloudWatch Logs records carry the API version (CloudWatch Logs User Guide's CloudTrail example).
      apiVersion: "20140328",
    });
    expect((await latestRecord(server.url, "DescribeLogGroups")).responseElements).toBeNull();
  });

  it("sets and removes retention, tags groups, deletes them", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "short-lived" }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: "short-lived", retentionInDays: 14 }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "short-lived" }))).logGroups![0]!.retentionInDays).toBe(14);
    expect(await failure(logs.send(new PutRetentionPolicyCommand({ logGroupName: "short-lived", retentionInDays: 2 })))).toMatchObject({
      name: "InvalidParameterException",
      message: expect.stringContaining("Member must satisfy enum value set: [1, 3, 5, 7, 14"),
    });
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: "short-lived" }));
    expect((await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "short-lived" }))).logGroups![0]!.retentionInDays).toBeUndefined();

    const arn = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:short-lived`;
    await logs.send(new TagResourceCommand({ resourceArn: arn, tags: { env: "test" } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ env: "test" });

    await logs.send(new DeleteLogGroupCommand({ logGroupName: "short-lived" }));
    expect(await failure(logs.send(new DeleteLogGroupCommand({ logGroupName: "short-lived" })))).toEqual({
      name: "ResourceNotFoundException",
      status: 400,
      message: "The specified log group does not exist.",
    });
    expect(await latestRecord(server.url, "DeleteLogGroup")).toMatchObject({ errorCode: "ResourceNotFoundException", errorMessage: "The specified log group does not exist." });
  });

  it("creates, orders, pages and deletes log streams", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "streams" }));
    for (const name of ["b", "a", "c"]) await logs.send(new CreateLogStreamCommand({ logGroupName: "streams", logStreamName: name }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: "streams", logStreamName: "c", logEvents: [{ timestamp: now - 3000, message: "old" }] }));
    await logs.send(new PutLogEventsCommand({ logGroupName: "streams", logStreamName: "a", logEvents: [{ timestamp: now, message: "new" }] }));

    const byName = await logs.send(new DescribeLogStreamsCommand({ logGroupName: "streams" }));
    expect(byName.logStreams!.map((s) => s.logStreamName)).toEqual(["a", "b", "c"]);
    expect(byName.logStreams![0]).toMatchObject({
      logStreamName: "a",
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:streams:log-stream:a`,
      firstEventTimestamp: now,
      lastEventTimestamp: now,
      storedBytes: 0,
    });
    const byTime = await logs.send(new DescribeLogStreamsCommand({ logGroupName: "streams", orderBy: "LastEventTime", descending: true }));
    expect(byTime.logStreams!.map((s) => s.logStreamName)).toEqual(["a", "c", "b"]);
    const paged = await logs.send(new DescribeLogStreamsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:streams`, limit: 2 }));
    const rest = await logs.send(new DescribeLogStreamsCommand({ logGroupName: "streams", limit: 2, nextToken: paged.nextToken }));
    expect([...paged.logStreams!, ...rest.logStreams!].map((s) => s.logStreamName)).toEqual(["a", "b", "c"]);
    expect(await failure(logs.send(new DescribeLogStreamsCommand({ logGroupName: "streams", orderBy: "LastEventTime", logStreamNamePrefix: "a" })))).toMatchObject({
      name: "InvalidParameterException",
    });

    expect(await failure(logs.send(new CreateLogStreamCommand({ logGroupName: "streams", logStreamName: "a" })))).toMatchObject({
      name: "ResourceAlreadyExistsException",
      message: "The specified log stream already exists",
    });
    await logs.send(new DeleteLogStreamCommand({ logGroupName: "streams", logStreamName: "b" }));
    expect(await failure(logs.send(new DeleteLogStreamCommand({ logGroupName: "streams", logStreamName: "b" })))).toMatchObject({
      name: "ResourceNotFoundException",
      message: "The specified log stream does not exist.",
    });
    expect(await failure(logs.send(new CreateLogStreamCommand({ logGroupName: "missing", logStreamName: "x" })))).toMatchObject({
      name: "ResourceNotFoundException",
      message: "The specified log group does not exist.",
    });
  });
});

describe("CloudWatch Logs events", () => {
  let server: TestServer;
  let logs: CloudWatchLogsClient;
  const now = Date.now();
  beforeAll(async () => {
    server = await startTestServer();
    logs = new CloudWatchLogsClient(clientConfig(server.url));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "events" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: "events", logStreamName: "one" }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: "events", logStreamName: "two" }));
  });
  afterAll(() => server.close());

  it("accepts events without sequence tokens and reports too old and too new ones", async () => {
    const out = await logs.send(
      new PutLogEventsCommand({
        logGroupName: "events",
        logStreamName: "one",
        logEvents: [
          { timestamp: now - 5000, message: "e1" },
          { timestamp: now - 4000, message: "e2" },
          { timestamp: now - 3000, message: "e3" },
        ],
      }),
    );
    expect(out.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(out.rejectedLogEventsInfo).toBeUndefined();
    await logs.send(new CreateLogStreamCommand({ logGroupName: "events", logStreamName: "old" }));
    const old = await logs.send(
      new PutLogEventsCommand({
        logGroupName: "events",
        logStreamName: "old",
        logEvents: [
          { timestamp: now - 15 * 86400_000, message: "ancient" },
          { timestamp: now - 15 * 86400_000 + 1, message: "ancient too" },
        ],
      }),
    );
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1 });
    expect((await logs.send(new GetLogEventsCommand({ logGroupName: "events", logStreamName: "old" }))).events).toEqual([]);
    expect(
      await failure(logs.send(new PutLogEventsCommand({ logGroupName: "events", logStreamName: "old", logEvents: [{ timestamp: now - 2 * 86400_000, message: "a" }, { timestamp: now, message: "b" }] }))),
    ).toMatchObject({ name: "InvalidParameterException", message: "The batch of log events in a single PutLogEvents request cannot span more than 24 hours." });
    const future = await logs.send(
      new PutLogEventsCommand({ logGroupName: "events", logStreamName: "one", sequenceToken: "whatever", logEvents: [{ timestamp: now - 2000, message: "e4" }, { timestamp: now + 3 * 3600_000, message: "future" }] }),
    );
    expect(future.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 1 });
    expect(
      await failure(logs.send(new PutLogEventsCommand({ logGroupName: "events", logStreamName: "one", logEvents: [{ timestamp: now, message: "b" }, { timestamp: now - 1, message: "a" }] }))),
    ).toEqual({ name: "InvalidParameterException", status: 400, message: "Log events in a single PutLogEvents request must be in chronological order." });
    expect(await failure(logs.send(new PutLogEventsCommand({ logGroupName: "events", logStreamName: "nope", logEvents: [{ timestamp: now, message: "x" }] })))).toMatchObject({
      name: "ResourceNotFoundException",
      message: "The specified log stream does not exist.",
    });
    // Reading and writing log events are not management events: they stay out of Event history.
    expect(await lookupRecords(server.url, "EventName", "PutLogEvents")).toEqual([]);
  });

  it("reads events forwards and backwards with f/ and b/ tokens", async () => {
    const head = await logs.send(new GetLogEventsCommand({ logGroupName: "events", logStreamName: "one", startFromHead: true, limit: 2 }));
    expect(head.events!.map((e) => e.message)).toEqual(["e1", "e2"]);
    expect(head.events![0]).toEqual({ timestamp: now - 5000, message: "e1", ingestionTime: expect.any(Number) });
    expect(head.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
    expect(head.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
    const next = await logs.send(new GetLogEventsCommand({ logGroupName: "events", logStreamName: "one", nextToken: head.nextForwardToken, limit: 2 }));
    expect(next.events!.map((e) => e.message)).toEqual(["e3", "e4"]);
    const end = await logs.send(new GetLogEventsCommand({ logGroupName: "events", logStreamName: "one", nextToken: next.nextForwardToken }));
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(next.nextForwardToken);
    const back = await logs.send(new GetLogEventsCommand({ logGroupName: "events", logStreamName: "one", nextToken: next.nextBackwardToken }));
    expect(back.events!.map((e) => e.message)).toEqual(["e1", "e2"]);

    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: "events", logStreamName: "one", limit: 1 }));
    expect(tail.events!.map((e) => e.message)).toEqual(["e4"]);
    const ranged = await logs.send(new GetLogEventsCommand({ logGroupName: "events", logStreamName: "one", startTime: now - 4000, endTime: now - 3000, startFromHead: true }));
    expect(ranged.events!.map((e) => e.message)).toEqual(["e2"]);
  });

  it("filters events across streams by terms and JSON patterns", async () => {
    const records = [
      { eventName: "CreateUser", userIdentity: { type: "IAMUser", userName: "john" }, readOnly: false, code: 3 },
      { eventName: "ListUsers", userIdentity: { type: "Root" }, readOnly: true, code: 7 },
    ];
    await logs.send(
      new PutLogEventsCommand({ logGroupName: "events", logStreamName: "two", logEvents: records.map((r, i) => ({ timestamp: now - 1000 + i, message: JSON.stringify(r) })) }),
    );
    const messages = async (filterPattern: string) =>
      (await logs.send(new FilterLogEventsCommand({ logGroupName: "events", filterPattern }))).events!.map((e) => e.message);
    expect(await messages("e1")).toEqual(["e1"]);
    expect(await messages("?e1 ?e3")).toEqual(["e1", "e3"]);
    expect(await messages('"CreateUser" -Root')).toEqual([JSON.stringify(records[0])]);
    expect(await messages('{ $.eventName = "CreateUser" }')).toEqual([JSON.stringify(records[0])]);
    expect(await messages('{ $.userIdentity.type = "IAM*" || $.code > 5 }')).toHaveLength(2);
    expect(await messages("{ $.readOnly IS TRUE && $.code >= 7 }")).toEqual([JSON.stringify(records[1])]);
    expect(await messages('{ $.userIdentity.userName NOT EXISTS }')).toEqual([JSON.stringify(records[1])]);

    const all = await logs.send(new FilterLogEventsCommand({ logGroupName: "events", limit: 3 }));
    expect(all.events).toHaveLength(3);
    expect(all.events![0]).toMatchObject({ logStreamName: "one", message: "e1", eventId: expect.stringMatching(/^\d{56}$/) });
    expect(all.searchedLogStreams).toEqual([]);
    const more = await logs.send(new FilterLogEventsCommand({ logGroupName: "events", limit: 3, nextToken: all.nextToken }));
    expect(more.events!.map((e) => e.message)).toEqual(["e4", JSON.stringify(records[0]), JSON.stringify(records[1])]);
    expect(more.nextToken).toBeUndefined();
    expect((await logs.send(new FilterLogEventsCommand({ logGroupName: "events", logStreamNames: ["two"] }))).events).toHaveLength(2);
    expect(await failure(logs.send(new FilterLogEventsCommand({ logGroupName: "events", filterPattern: "{ $.x = " })))).toMatchObject({ name: "InvalidParameterException" });
  });

  it("works with the AWS CLI", async () => {
    await awsJson(server.url, ["logs", "create-log-group", "--log-group-name", "cli-group"]);
    await awsJson(server.url, ["logs", "create-log-stream", "--log-group-name", "cli-group", "--log-stream-name", "s"]);
    await awsJson(server.url, ["logs", "put-log-events", "--log-group-name", "cli-group", "--log-stream-name", "s", "--log-events", `timestamp=${Date.now()},message=hello-cli`]);
    const out = await awsJson<{ events: { message: string }[] }>(server.url, ["logs", "get-log-events", "--log-group-name", "cli-group", "--log-stream-name", "s", "--start-from-head"]);
    expect(out.events.map((e) => e.message)).toEqual(["hello-cli"]);
  });
});

describe("CloudWatch Logs across a restart", () => {
  it("keeps groups, streams and events in the data dir", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "localtrail-logs-"));
    try {
      let server = await startTestServer({ dataDir });
      let logs = new CloudWatchLogsClient(clientConfig(server.url));
      await logs.send(new CreateLogGroupCommand({ logGroupName: "durable" }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: "durable", logStreamName: "s" }));
      await logs.send(new PutLogEventsCommand({ logGroupName: "durable", logStreamName: "s", logEvents: [{ timestamp: Date.now(), message: "survives" }] }));
      await server.close();

      server = await startTestServer({ dataDir });
      logs = new CloudWatchLogsClient(clientConfig(server.url));
      const out = await logs.send(new GetLogEventsCommand({ logGroupName: "durable", logStreamName: "s" }));
      expect(out.events!.map((e) => e.message)).toEqual(["survives"]);
      await server.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
