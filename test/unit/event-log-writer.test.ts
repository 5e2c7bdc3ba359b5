import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IAMClient, CreateUserCommand } from "@aws-sdk/client-iam";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { EventLog } from "../../src/event-log/event-log.js";
import { FileSegments } from "../../src/event-log/segment-files.js";
import type { StoredEvent } from "../../src/event-log/event-history.js";
import { clientConfig } from "../helpers/clients.js";
import { startTestServer } from "../helpers/server.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "localtrail-writer-"));
  dirs.push(d);
  return d;
};

const NOW = new Date("2026-11-24T12:00:00Z");
const openLog = (dir: string) => {
  const log = new EventLog(new FileSegments(dir), { retentionDays: 90, now: () => NOW, tokenSecret: Buffer.alloc(32, 1), segmentBytes: 64 * 1024 });
  log.open();
  return log;
};
const query = { accountId: "000000000000", region: "us-east-1", startTime: 0, endTime: NOW.getTime(), maxResults: 50, tokenScope: "" };

function event(i: number): StoredEvent {
  return {
    record: {
      eventVersion: "1.11",
      userIdentity: { type: "Root", accountId: "000000000000" },
      eventTime: new Date(NOW.getTime() - 60_000 + i).toISOString(),
      eventSource: "iam.amazonaws.com",
      eventName: "CreateUser",
      awsRegion: "us-east-1",
      sourceIPAddress: "127.0.0.1",
      requestParameters: { userName: `user-${i}`, padding: "x".repeat(500) },
      responseElements: null,
      requestID: `req-${i}`,
      eventID: `event-${i}`,
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "000000000000",
      eventCategory: "Management",
    },
    lookupResources: [{ type: "AWS::IAM::User", name: `user-${i}` }],
  };
}

describe("the event log's writer thread", () => {
  it("loses no answered append when the process is killed while the writer holds batches not yet durable", async () => {
    const dir = tempDir();
    // 16 loops append without pause: when the kill lands, a batch is always on its way to the disk.
    const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "../fixtures/event-log/append-until-killed.ts"), dir], { stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const answered: string[] = [];
    let buffered = "";
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        const lines = (buffered + chunk.toString()).split("\n");
        buffered = lines.pop()!;
        for (const line of lines) if (line.startsWith("ok ")) answered.push(line.slice(3));
        if (answered.length >= 300) {
          child.kill("SIGKILL");
          resolve();
        }
      });
    });
    await exited;

    const log = openLog(dir);
    const missing = answered.filter((id) => log.lookup({ ...query, startTime: 0, endTime: Date.now() + 60_000, attribute: { key: "EventId", value: id } }).events.length !== 1);
    expect(missing).toEqual([]);
    // And the log takes appends again, on the same files.
    await log.append(event(1));
    expect(log.lookup({ ...query, attribute: { key: "EventId", value: "event-1" } }).events).toHaveLength(1);
    await log.close();
  });

  it("drains on close: every append made before it is durable, across segment rotations", async () => {
    const dir = tempDir();
    const log = openLog(dir);
    const appends = Array.from({ length: 400 }, (_, i) => log.append(event(i)));
    await log.close();
    const settled = await Promise.allSettled(appends);
    expect(settled.filter((s) => s.status === "rejected")).toEqual([]);

    const reopened = openLog(dir);
    expect(reopened.size).toBe(400);
    for (const i of [0, 199, 399]) expect(reopened.lookup({ ...query, attribute: { key: "ResourceName", value: `user-${i}` } }).events.map((e) => e.eventId)).toEqual([`event-${i}`]);
    await reopened.close();
  });

  it("seals the last segment on a clean close, so the next start reads its sidecar, and appends go on in a new segment", async () => {
    const dir = tempDir();
    const log = openLog(dir);
    for (let i = 0; i < 3; i++) await log.append(event(i));
    await log.close();
    expect(readdirSync(dir).sort()).toEqual(["00000001.idx", "00000001.ndjson"]);

    const reopened = openLog(dir);
    await reopened.append(event(3));
    expect(reopened.lookup(query).events.map((e) => e.eventId)).toEqual(["event-3", "event-2", "event-1", "event-0"]);
    await reopened.close();
    expect(readdirSync(dir).sort()).toEqual(["00000001.idx", "00000001.ndjson", "00000002.idx", "00000002.ndjson"]);
  });

  it("a call's record is in LookupEvents when its answer arrives, under concurrent calls", async () => {
    const server = await startTestServer({ persistent: true });
    try {
      const iam = new IAMClient(clientConfig(server.url));
      const cloudtrail = new CloudTrailClient(clientConfig(server.url));
      const notSeen: string[] = [];
      await Promise.all(
        Array.from({ length: 16 }, async (_, w) => {
          for (let i = 0; i < 8; i++) {
            const name = `w${w}-u${i}`;
            await iam.send(new CreateUserCommand({ UserName: name }));
            const found = await cloudtrail.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: name }] }));
            if (found.Events?.length !== 1) notSeen.push(name);
          }
        }),
      );
      expect(notSeen).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
