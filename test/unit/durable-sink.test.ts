import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EventLog } from "../../src/event-log/event-log.js";
import { FileSegments } from "../../src/event-log/segment-files.js";
import type { SequencedEvent, StoredEvent } from "../../src/event-log/event-history.js";
import { startDurableSink } from "../../src/sinks/durable-sink.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const NOW = new Date("2026-11-24T12:00:00Z");

function openLog(dir: string): EventLog {
  const log = new EventLog(new FileSegments(join(dir, "events")), { retentionDays: 90, now: () => NOW, tokenSecret: Buffer.alloc(32, 1) });
  log.open();
  return log;
}

function event(i: number): StoredEvent {
  return {
    record: {
      eventVersion: "1.11",
      userIdentity: { type: "Root", accountId: "000000000000" },
      eventTime: NOW.toISOString().replace(/\.\d{3}Z$/, "Z"),
      eventSource: "iam.amazonaws.com",
      eventName: `Call${i}`,
      awsRegion: "us-east-1",
      sourceIPAddress: "127.0.0.1",
      requestParameters: null,
      responseElements: null,
      requestID: `req-${i}`,
      eventID: `event-${i}`,
      readOnly: false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "000000000000",
      eventCategory: "Management",
    },
    lookupResources: [],
  };
}

const names = (events: SequencedEvent[]) => events.map((e) => e.event.record.eventName);

describe("a durable sink", () => {
  it("hands over new events in order, one batch at a time, without holding up the appends", async () => {
    const dir = mkdtempSync(join(tmpdir(), "localtrail-sink-"));
    dirs.push(dir);
    const log = openLog(dir);
    await log.append(event(0)); // before the sink: not its business
    const seen: string[] = [];
    let inHandle = 0;
    let overlapped = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const sink = startDurableSink({
      name: "test",
      history: log,
      dataDir: dir,
      async handle(events) {
        overlapped ||= inHandle++ > 0;
        await gate;
        seen.push(...names(events));
        inHandle--;
      },
    });
    // The appends resolve while the sink is still blocked in its first batch.
    await Promise.all([1, 2, 3].map((i) => log.append(event(i))));
    await log.append(event(4));
    release();
    await sink.idle();
    expect(seen).toEqual(["Call1", "Call2", "Call3", "Call4"]);
    expect(overlapped).toBe(false);
    await sink.close();
    await log.close();
  });

  it("after a restart hands over again what it had not taken, and nothing it had", async () => {
    const dir = mkdtempSync(join(tmpdir(), "localtrail-sink-"));
    dirs.push(dir);
    const log = openLog(dir);
    const first: string[] = [];
    const sink = startDurableSink({ name: "test", history: log, dataDir: dir, handle: async (events) => void first.push(...names(events)) });
    await log.append(event(1));
    await sink.idle();
    await sink.close(); // as if the process died here: event 2 was recorded but never handed over
    await log.append(event(2));
    await log.append(event(3));
    await log.close();

    const reopened = openLog(dir);
    const second: string[] = [];
    const again = startDurableSink({ name: "test", history: reopened, dataDir: dir, handle: async (events) => void second.push(...names(events)) });
    await again.idle();
    expect(first).toEqual(["Call1"]);
    expect(second).toEqual(["Call2", "Call3"]);
    await again.close();
    await reopened.close();
  });

  it("keeps going when a batch throws", async () => {
    const dir = mkdtempSync(join(tmpdir(), "localtrail-sink-"));
    dirs.push(dir);
    const log = openLog(dir);
    const seen: string[] = [];
    const sink = startDurableSink({
      name: "test",
      history: log,
      async handle(events) {
        if (names(events).includes("Call1")) throw new Error("target down");
        seen.push(...names(events));
      },
    });
    await log.append(event(1));
    await sink.idle();
    await log.append(event(2));
    await sink.idle();
    expect(seen).toEqual(["Call2"]);
    await sink.close();
    await log.close();
  });
});
