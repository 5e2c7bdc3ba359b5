import { afterEach, describe, expect, it } from "vitest";
import { IAMClient, CreateUserCommand, GetUserCommand } from "@aws-sdk/client-iam";
import { STSClient, GetSessionTokenCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { latestRecord } from "../helpers/records.js";
import { KMSClient, CreateKeyCommand, DescribeKeyCommand, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { createRole, zipOf } from "../fixtures/lambda/functions.js";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type ClockState = { now: string; real: boolean };
const clock = async (url: string, body?: unknown): Promise<{ status: number; json: ClockState & { error?: string } }> => {
  const res = await fetch(`${url}/_localtrail/clock`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as ClockState & { error?: string } };
};

describe("the emulated clock", () => {
  it("answers the machine's time until moved, then runs on from where it was set", async () => {
    server = await startTestServer();
    const before = Date.now();
    const first = await clock(server.url);
    expect(first.status).toBe(200);
    expect(first.json.real).toBe(true);
    expect(Math.abs(Date.parse(first.json.now) - before)).toBeLessThan(60_000);

    const set = await clock(server.url, { set: "2030-01-01T09:00:00Z" });
    expect(set.status).toBe(200);
    expect(set.json.real).toBe(false);
    expect(Date.parse(set.json.now)).toBeGreaterThanOrEqual(Date.parse("2030-01-01T09:00:00Z"));
    // It runs on at real speed: a later reading is not earlier.
    const later = await clock(server.url);
    expect(Date.parse(later.json.now)).toBeGreaterThanOrEqual(Date.parse(set.json.now));

    const advanced = await clock(server.url, { advance: "PT6H" });
    expect(Date.parse(advanced.json.now) - Date.parse(later.json.now)).toBeGreaterThanOrEqual(6 * 3600_000);
    const bySeconds = await clock(server.url, { advance: 90 });
    expect(Date.parse(bySeconds.json.now) - Date.parse(advanced.json.now)).toBeGreaterThanOrEqual(90_000);
  });

  it("refuses to move backwards and refuses what is not a time or a duration", async () => {
    server = await startTestServer();
    await clock(server.url, { set: "2030-01-01T00:00:00Z" });
    for (const body of [{ set: "2029-12-31T00:00:00Z" }, { set: "yesterday" }, { advance: "P1M" }, { advance: -5 }, { advance: "6 hours" }, {}, { set: "2031-01-01T00:00:00Z", advance: 5 }]) {
      const res = await clock(server.url, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.error, JSON.stringify(body)).toBeTruthy();
    }
    const res = await fetch(`${server.url}/_localtrail/clock`, { method: "POST", body: "not json" });
    expect(res.status).toBe(400);
    expect(Date.parse((await clock(server.url)).json.now)).toBeLessThan(Date.parse("2030-01-02T00:00:00Z"));
  });

  it("dates records, resources and credential expiry by emulated time, while signatures are checked against the machine's", async () => {
    server = await startTestServer();
    await clock(server.url, { set: "2030-01-01T09:00:00Z" });
    // The SDK signs with the machine's time, years before the emulated one: still accepted.
    const iam = new IAMClient(clientConfig(server.url));
    const created = await iam.send(new CreateUserCommand({ UserName: "Mary" }));
    expect(created.User!.CreateDate!.getUTCFullYear()).toBe(2030);
    const record = await latestRecord(server.url, "CreateUser");
    expect(record.eventTime.startsWith("2030-01-01T09:")).toBe(true);
    expect(record.responseElements).toMatchObject({ user: { createDate: expect.stringMatching(/^Jan 1, 2030 9:\d\d:\d\d AM$/) } });

    const session = await new STSClient(clientConfig(server.url)).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    expect(session.Credentials!.Expiration!.toISOString().startsWith("2030-01-01T09:")).toBe(true);
    const temporary = { accessKeyId: session.Credentials!.AccessKeyId!, secretAccessKey: session.Credentials!.SecretAccessKey!, sessionToken: session.Credentials!.SessionToken! };
    await new STSClient(clientConfig(server.url, temporary)).send(new GetCallerIdentityCommand({}));
    // Sixteen emulated minutes later the 15-minute session has expired, though the machine's clock barely moved.
    await clock(server.url, { advance: "PT16M" });
    const err = await new STSClient(clientConfig(server.url, temporary)).send(new GetCallerIdentityCommand({})).catch((e: { name: string }) => e);
    expect((err as { name: string }).name).toBe("ExpiredToken");
    await iam.send(new GetUserCommand({ UserName: "Mary" }));
  });

  it("returns to the machine's time on reset, and keeps its place across a restart of a persistent server", async () => {
    server = await startTestServer({ persistent: true });
    await clock(server.url, { set: "2031-06-01T00:00:00Z" });
    const dataDir = server.dataDir!;
    await server.stop();
    const again = await startTestServer({ dataDir });
    try {
      const after = await clock(again.url);
      expect(after.json.real).toBe(false);
      expect(after.json.now.startsWith("2031-06-01T00:0")).toBe(true);
      await fetch(`${again.url}/_localtrail/reset`, { method: "POST" });
      const reset = await clock(again.url);
      expect(reset.json.real).toBe(true);
      expect(Math.abs(Date.parse(reset.json.now) - Date.now())).toBeLessThan(60_000);
    } finally {
      await again.close();
    }
  });
});

describe("work that waits for emulated time", () => {
  it("forgets events past the 90 days of Event history, and deletes a KMS key once its waiting period has passed", async () => {
    server = await startTestServer();
    await clock(server.url, { set: "2030-01-01T00:00:00Z" });
    const iam = new IAMClient(clientConfig(server.url));
    await iam.send(new CreateUserCommand({ UserName: "old" }));
    const kms = new KMSClient(clientConfig(server.url));
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key, PendingWindowInDays: 7 }));
    expect(scheduled.DeletionDate!.toISOString().startsWith("2030-01-08T")).toBe(true);

    const cloudtrail = new CloudTrailClient(clientConfig(server.url));
    const find = async () => (await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "CreateUser" }] }))).Events ?? [];
    expect(await find()).toHaveLength(1);

    await clock(server.url, { advance: "P8D" });
    const gone = await kms.send(new DescribeKeyCommand({ KeyId: key })).catch((e: { name: string }) => e);
    expect((gone as { name: string }).name).toBe("NotFoundException");
    expect(await find()).toHaveLength(1);

    await clock(server.url, { advance: "P83D" });
    expect(await find()).toHaveLength(0);
  });

  it("dates a function's log lines by emulated time, in Node.js and in Python", async () => {
    server = await startTestServer();
    await clock(server.url, { set: "2031-03-04T05:06:07Z" });
    const lambda = new LambdaClient(clientConfig(server.url));
    const role = await createRole(server.url, "clock-fn");
    const functions = [
      { name: "node-clock", runtime: "nodejs20.x" as const, file: "index.js", code: `exports.handler = async () => { console.log("tick"); return 1; };`, line: /^2031-03-04T05:\d\d:\d\d\.\d{3}Z\t[0-9a-f-]{36}\tINFO\ttick$/m },
      { name: "py-clock", runtime: "python3.12" as const, file: "index.py", code: `import logging\nlogging.getLogger().setLevel(logging.INFO)\ndef handler(event, context):\n    logging.info("tick")\n    return 1\n`, line: /^\[INFO\]\t2031-03-04T05:\d\d:\d\d\.\d{3}Z\t[0-9a-f-]{36}\ttick$/m },
    ];
    for (const f of functions) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: f.name, Runtime: f.runtime, Role: role, Handler: "index.handler", Timeout: 120, Code: { ZipFile: zipOf({ [f.file]: f.code }) } }));
      const out = await lambda.send(new InvokeCommand({ FunctionName: f.name, LogType: "Tail" }));
      expect(Buffer.from(out.LogResult!, "base64").toString("utf8"), f.name).toMatch(f.line);
    }
  });
});
