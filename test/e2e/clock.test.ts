import { afterEach, describe, expect, it } from "vitest";
import { IAMClient, CreateUserCommand, GetUserCommand } from "@aws-sdk/client-iam";
import { STSClient, GetSessionTokenCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { latestRecord } from "../helpers/records.js";

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
