import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { lookupRecords } from "../helpers/records.js";

/** A CloudTrail log file as trails deliver it: records from another account, made a few minutes ago. */
function logFile(when: Date) {
  const eventTime = when.toISOString().replace(/\.\d{3}Z$/, "Z");
  const alice = { type: "IAMUser", principalId: "AIDAEXAMPLEALICE00001", arn: "arn:aws:iam::123456789012:user/Alice", accountId: "123456789012", accessKeyId: "AKIAEXAMPLEALICE0001", userName: "Alice" };
  const base = { eventVersion: "1.08", userIdentity: alice, eventTime, awsRegion: "us-east-1", sourceIPAddress: "198.51.100.7", userAgent: "aws-cli/2.15.17", eventType: "AwsApiCall", recipientAccountId: "123456789012" };
  return {
    Records: [
      { ...base, eventSource: "iam.amazonaws.com", eventName: "CreateUser", requestParameters: { userName: "Bob" }, responseElements: { user: { userName: "Bob" } }, requestID: "r1", eventID: "11111111-1111-4111-8111-111111111111", readOnly: false, managementEvent: true, eventCategory: "Management" },
      { ...base, eventSource: "s3.amazonaws.com", eventName: "GetObject", requestParameters: { bucketName: "b", key: "k" }, responseElements: null, requestID: "r2", eventID: "22222222-2222-4222-8222-222222222222", readOnly: true, resources: [{ type: "AWS::S3::Object", ARN: "arn:aws:s3:::b/k" }], managementEvent: false, eventCategory: "Data" },
      { ...base, awsRegion: "eu-west-1", eventSource: "ec2.amazonaws.com", eventName: "RunInstances", requestParameters: {}, responseElements: {}, requestID: "r3", eventID: "33333333-3333-4333-8333-333333333333", readOnly: false, managementEvent: true, eventCategory: "Management" },
      { notARecord: true },
    ],
  };
}

describe("POST /_localtrail/import", () => {
  let server: TestServer;
  const account = { accessKeyId: "123456789012", secretAccessKey: "test" };
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const post = (body: Buffer | string) => fetch(`${server.url}/_localtrail/import`, { method: "POST", body });

  it("loads a gzipped log file into the history of its account and regions", async () => {
    const res = await post(gzipSync(JSON.stringify(logFile(new Date(Date.now() - 300_000)))));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ imported: 3, duplicates: 0, rejected: 1 });

    const [created] = await lookupRecords(server.url, "ResourceName", "Bob", "us-east-1", account);
    expect(created).toMatchObject({ eventName: "CreateUser", userIdentity: { userName: "Alice" }, eventID: "11111111-1111-4111-8111-111111111111" });
    expect(await lookupRecords(server.url, "Username", "Alice", "us-east-1", account)).toHaveLength(1);
    expect(await lookupRecords(server.url, "EventName", "RunInstances", "eu-west-1", account)).toHaveLength(1);
    // Data events are history but never Event history; other accounts see nothing.
    expect(await lookupRecords(server.url, "EventName", "GetObject", "us-east-1", account)).toHaveLength(0);
    expect(await lookupRecords(server.url, "Username", "Alice")).toHaveLength(0);
  });

  it("adds nothing when the same file comes twice, plain or gzipped", async () => {
    const res = await post(JSON.stringify(logFile(new Date(Date.now() - 300_000))));
    expect(await res.json()).toEqual({ imported: 0, duplicates: 3, rejected: 1 });
  });

  it("lets a reset sent during a large import wait for it, so nothing of the import outlives the reset", async () => {
    const template = logFile(new Date(Date.now() - 600_000)).Records[0]!;
    const records = Array.from({ length: 40_000 }, (_, i) => ({ ...template, eventID: `5e5e5e5e-0000-4000-8000-${String(i).padStart(12, "0")}` }));
    const importing = post(gzipSync(JSON.stringify({ Records: records })));
    // The reset goes out once the import has begun on the server (it appends 2,000 records a turn): once
    // its first records are in the history, however long a busy machine takes to get there.
    await expect
      .poll(async () => ((await (await fetch(`${server.url}/_localtrail/events?last=1`)).json()) as { records: { eventID: string }[] }).records[0]?.eventID, { timeout: 300_000, interval: 5 })
      .toMatch(/^5e5e5e5e-/);
    const reset = await fetch(`${server.url}/_localtrail/reset`, { method: "POST" });
    expect(reset.status).toBe(200);
    expect(((await (await importing).json()) as { imported: number }).imported).toBe(40_000);
    expect(await lookupRecords(server.url, "Username", "Alice", "us-east-1", account)).toHaveLength(0);
  });

  it("shows records older than eventVersion 1.07 (no eventCategory) in Event history, their data events not", async () => {
    const eventTime = new Date(Date.now() - 600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const carol = { type: "IAMUser", principalId: "AIDAEXAMPLECAROL0001", arn: "arn:aws:iam::123456789012:user/Carol", accountId: "123456789012", userName: "Carol" };
    const base = { eventVersion: "1.05", userIdentity: carol, eventTime, awsRegion: "us-east-1", sourceIPAddress: "198.51.100.9", userAgent: "aws-cli/1.16.96", eventType: "AwsApiCall", recipientAccountId: "123456789012" };
    const legacy = {
      Records: [
        { ...base, eventSource: "iam.amazonaws.com", eventName: "DeleteUser", requestParameters: { userName: "Dave" }, responseElements: null, requestID: "l1", eventID: "44444444-4444-4444-8444-444444444444" },
        { ...base, eventSource: "s3.amazonaws.com", eventName: "PutObject", requestParameters: { bucketName: "b", key: "k" }, responseElements: null, requestID: "l2", eventID: "55555555-5555-4555-8555-555555555555", resources: [{ type: "AWS::S3::Object", ARN: "arn:aws:s3:::b/k" }] },
      ],
    };
    expect(await (await post(JSON.stringify(legacy))).json()).toEqual({ imported: 2, duplicates: 0, rejected: 0 });
    expect((await lookupRecords(server.url, "Username", "Carol", "us-east-1", account)).map((r) => r.eventName)).toEqual(["DeleteUser"]);
    // Imported again: the same events, found as duplicates by the same partition.
    expect(await (await post(JSON.stringify(legacy))).json()).toEqual({ imported: 0, duplicates: 2, rejected: 0 });
  });

  it("refuses what is not a CloudTrail log file", async () => {
    for (const body of ["{not json", JSON.stringify({ records: [] }), Buffer.from([0x1f, 0x8b, 1, 2, 3])]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/CloudTrail log file|gzip|JSON/);
    }
  });
});
