import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { findLogGroup, putEventsFromService } from "../../emulated-services/logs/directory.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";

const ACCOUNT = "000000000000";

// What CloudTrail asks CloudWatch Logs: find a trail's log group, send it the records it selects.
describe("CloudWatch Logs as CloudTrail uses it", () => {
  let server: TestServer;
  let logs: CloudWatchLogsClient;
  beforeAll(async () => {
    server = await startTestServer();
    logs = new CloudWatchLogsClient(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("finds log groups and delivers events any client can read, creating the stream", async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: "CloudTrail/DefaultLogGroup" }));
    const touched = new Set<string>();
    const state = server.localtrail.store.view(touched);
    expect(findLogGroup(state, ACCOUNT, "us-east-1", "CloudTrail/DefaultLogGroup")).toEqual({
      name: "CloudTrail/DefaultLogGroup",
      arn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:CloudTrail/DefaultLogGroup:*`,
      accountId: ACCOUNT,
      region: "us-east-1",
    });
    expect(findLogGroup(state, ACCOUNT, "us-west-2", "CloudTrail/DefaultLogGroup")).toBeUndefined();

    const stream = `${ACCOUNT}_CloudTrail_us-east-1`;
    const now = new Date();
    const records = [{ eventName: "CreateUser" }, { eventName: "DeleteUser" }];
    const at = { ids: server.localtrail.env.ids, now };
    // Out of order on purpose: delivery batches are not sorted.
    expect(
      putEventsFromService(state, ACCOUNT, "us-east-1", "CloudTrail/DefaultLogGroup", stream, [
        { timestamp: now.getTime(), message: JSON.stringify(records[1]) },
        { timestamp: now.getTime() - 1000, message: JSON.stringify(records[0]) },
      ], at),
    ).toBe(true);
    expect(putEventsFromService(state, ACCOUNT, "us-east-1", "missing-group", stream, [{ timestamp: now.getTime(), message: "x" }], at)).toBe(false);
    await server.localtrail.store.persist(touched);

    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: "CloudTrail/DefaultLogGroup" }));
    expect(streams.logStreams!.map((s) => s.logStreamName)).toEqual([stream]);
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: "CloudTrail/DefaultLogGroup", logStreamName: stream, startFromHead: true }));
    expect(got.events!.map((e) => JSON.parse(e.message!))).toEqual(records);
    const filtered = await logs.send(new FilterLogEventsCommand({ logGroupName: "CloudTrail/DefaultLogGroup", filterPattern: '{ $.eventName = "Delete*" }' }));
    expect(filtered.events!.map((e) => e.message)).toEqual([JSON.stringify(records[1])]);
  });
});
