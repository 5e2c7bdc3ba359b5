import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { EventLog } from "../../src/event-log/event-log.js";
import { FileSegments } from "../../src/event-log/segment-files.js";
import type { StoredEvent } from "../../src/event-log/event-history.js";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "localtrail-log-"));
  dirs.push(d);
  return d;
}

const NOW = new Date("2026-11-24T12:00:00Z");
const secret = Buffer.alloc(32, 1);

function openLog(dir: string, now = NOW): EventLog {
  const log = new EventLog(new FileSegments(dir), { retentionDays: 90, now: () => now, tokenSecret: secret });
  log.open();
  return log;
}

function event(i: number, overrides: Partial<CloudTrailRecord> = {}): StoredEvent {
  return {
    record: {
      eventVersion: "1.11",
      userIdentity: { type: "IAMUser", userName: i % 2 ? "John" : "Mary", accessKeyId: "AKIA" + i, accountId: "000000000000" },
      eventTime: new Date(NOW.getTime() - 3600_000 + i * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      eventSource: "iam.amazonaws.com",
      eventName: i % 3 ? "CreateUser" : "ListUsers",
      awsRegion: "us-east-1",
      sourceIPAddress: "127.0.0.1",
      requestParameters: null,
      responseElements: null,
      requestID: `req-${i}`,
      eventID: `event-${i}`,
      readOnly: i % 3 === 0,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: "000000000000",
      eventCategory: "Management",
      ...overrides,
    },
    lookupResources: [{ type: "AWS::IAM::User", name: `user-${i}` }],
  };
}

const query = { accountId: "000000000000", region: "us-east-1", startTime: 0, endTime: NOW.getTime(), maxResults: 50, tokenScope: "" };

describe("EventLog", () => {
  it("makes concurrent appends durable and visible, and finds them after a restart", async () => {
    const dir = tempDir();
    const log = openLog(dir);
    await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(event(i))));
    expect(log.lookup({ ...query, attribute: { key: "Username", value: "John" } }).events).toHaveLength(50);
    await log.close();

    const reopened = openLog(dir);
    expect(reopened.size).toBe(200);
    const byName = reopened.lookup({ ...query, attribute: { key: "ResourceName", value: "user-7" } });
    expect(byName.events.map((e) => e.eventId)).toEqual(["event-7"]);
    expect(reopened.lookup({ ...query, attribute: { key: "EventId", value: "event-199" } }).events).toHaveLength(1);
    expect(reopened.lookup({ ...query, attribute: { key: "ReadOnly", value: "true" } }).events.every((e) => e.readOnly)).toBe(true);
    await reopened.close();
  });

  it("pages newest first with tokens bound to the query", async () => {
    const log = openLog(tempDir());
    for (let i = 0; i < 7; i++) await log.append(event(i));
    const first = log.lookup({ ...query, maxResults: 3, tokenScope: "s" });
    expect(first.events.map((e) => e.eventId)).toEqual(["event-6", "event-5", "event-4"]);
    const second = log.lookup({ ...query, maxResults: 3, tokenScope: "s", nextToken: first.nextToken });
    expect(second.events.map((e) => e.eventId)).toEqual(["event-3", "event-2", "event-1"]);
    const third = log.lookup({ ...query, maxResults: 3, tokenScope: "s", nextToken: second.nextToken });
    expect(third.events.map((e) => e.eventId)).toEqual(["event-0"]);
    expect(third.nextToken).toBeUndefined();
    expect(() => log.lookup({ ...query, maxResults: 3, tokenScope: "other", nextToken: first.nextToken })).toThrow();
    await log.close();
  });

  it("keeps data events for trails but out of the event history, and regions apart", async () => {
    const log = openLog(tempDir());
    await log.append(event(1, { eventCategory: "Data", managementEvent: false, eventName: "GetObject", eventSource: "s3.amazonaws.com" }));
    await log.append(event(2, { awsRegion: "eu-west-1" }));
    expect(log.size).toBe(2);
    expect(log.lookup(query).events).toHaveLength(0);
    expect(log.lookup({ ...query, region: "eu-west-1" }).events).toHaveLength(1);
    await log.close();
  });

  it("drops a torn last line and skips a garbled line in the middle, and starts anyway", async () => {
    const dir = tempDir();
    const log = openLog(dir);
    for (let i = 0; i < 3; i++) await log.append(event(i));
    await log.close();
    const segment = readdirSync(dir).find((f) => f.endsWith(".ndjson"));
    const path = join(dir, segment!);
    const lines = readFileSync(path, "utf8").split("\n");
    // A garbled middle line, then a torn write at the end (no newline).
    const text = [lines[0], "{not json", lines[1], lines[2], ""].join("\n") + lines[2]!.slice(0, 40);
    rmSync(path);
    appendFileSync(path, text);

    const reopened = openLog(dir);
    expect(reopened.size).toBe(3);
    expect(readFileSync(path, "utf8").endsWith("\n")).toBe(true);
    // Appends continue after the cut.
    await reopened.append(event(3));
    await reopened.close();
    const again = openLog(dir);
    expect(again.lookup(query).events.map((e) => e.eventId)).toEqual(["event-3", "event-2", "event-1", "event-0"]);
    expect(statSync(path).size).toBeGreaterThan(0);
    await again.close();
  });

  it("forgets events older than the retention window", async () => {
    const dir = tempDir();
    const log = openLog(dir);
    await log.append(event(1, { eventTime: "2026-01-01T00:00:00Z", eventID: "old" }));
    await log.append(event(2));
    expect(log.lookup(query).events.map((e) => e.eventId)).toEqual(["event-2"]);
    await log.close();
    const later = openLog(dir, new Date(NOW.getTime() + 91 * 86_400_000));
    expect(later.lookup({ ...query, endTime: Date.now() * 2 }).events).toHaveLength(0);
    await later.close();
  });

  it("starts empty after reset", async () => {
    const dir = tempDir();
    const log = openLog(dir);
    await log.append(event(1));
    await log.reset();
    expect(log.size).toBe(0);
    await log.append(event(2));
    expect(log.lookup(query).events.map((e) => e.eventId)).toEqual(["event-2"]);
    await log.close();
  });
});

describe("EventLog lines", () => {
  it("serves the record's stored text as CloudTrailEvent, byte for byte, resources with tricky names included", async () => {
    const log = openLog(tempDir());
    const tricky: StoredEvent = { ...event(1), lookupResources: [{ type: "AWS::IAM::User", name: 'x","r":{"evil":1}' }] };
    await log.append(tricky);
    const [hit] = log.lookup({ ...query, attribute: { key: "ResourceName", value: 'x","r":{"evil":1}' } }).events;
    expect(hit!.recordJson).toBe(JSON.stringify(tricky.record));
    expect(hit).toMatchObject({ eventId: "event-1", eventName: "CreateUser", readOnly: false, username: "John", accessKeyId: "AKIA1" });
    await log.close();
  });

  it("still reads lines written before summaries existed", async () => {
    const dir = tempDir();
    const old = event(5);
    appendFileSync(join(dir, "00000001.ndjson"), JSON.stringify({ lr: [["AWS::IAM::User", "user-5"]], r: old.record }) + "\n");
    const log = openLog(dir);
    const [hit] = log.lookup({ ...query, attribute: { key: "ResourceName", value: "user-5" } }).events;
    expect(hit).toMatchObject({ eventId: "event-5", recordJson: JSON.stringify(old.record) });
    await log.close();
  });
});

describe("EventLog segments", () => {
  function smallSegments(dir: string, now = NOW): EventLog {
    const log = new EventLog(new FileSegments(dir), { retentionDays: 90, now: () => now, tokenSecret: secret, segmentBytes: 4096 });
    log.open();
    return log;
  }

  it("seals full segments into sidecars and finds events across all of them, before and after a restart", async () => {
    const dir = tempDir();
    const log = smallSegments(dir);
    for (let i = 0; i < 60; i++) await log.append(event(i));
    const sidecars = readdirSync(dir).filter((f) => f.endsWith(".idx"));
    expect(sidecars.length).toBeGreaterThan(3);
    const page = (l: EventLog) => l.lookup({ ...query, attribute: { key: "Username", value: "Mary" }, maxResults: 50 }).events.map((e) => e.eventId);
    const expected = Array.from({ length: 30 }, (_, k) => `event-${58 - 2 * k}`);
    expect(page(log)).toEqual(expected);
    await log.close();

    const reopened = smallSegments(dir);
    expect(reopened.size).toBe(60);
    expect(page(reopened)).toEqual(expected);
    expect(reopened.lookup({ ...query, attribute: { key: "EventId", value: "event-3" } }).events).toHaveLength(1);
    await reopened.close();
  });

  it("pages across segment boundaries without gaps or repeats", async () => {
    const log = smallSegments(tempDir());
    for (let i = 0; i < 45; i++) await log.append(event(i));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = log.lookup({ ...query, maxResults: 7, tokenScope: "p", nextToken: token });
      seen.push(...page.events.map((e) => e.eventId));
      token = page.nextToken;
    } while (token);
    expect(seen).toEqual(Array.from({ length: 45 }, (_, k) => `event-${44 - k}`));
    await log.close();
  });

  it("orders events by time even when segments hold overlapping or older times (imports after live calls)", async () => {
    const dir = tempDir();
    const log = smallSegments(dir);
    // Live events, then an import of older logs, then both interleaved: segment order is not time order.
    const order = [...Array.from({ length: 20 }, (_, k) => 40 + k), ...Array.from({ length: 20 }, (_, k) => k), ...Array.from({ length: 20 }, (_, k) => (k % 2 ? 60 + k : 20 + k))];
    for (const i of order) await log.append(event(i));
    expect(readdirSync(dir).filter((f) => f.endsWith(".idx")).length).toBeGreaterThan(3);
    const all = (l: EventLog, maxResults: number) => {
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = l.lookup({ ...query, maxResults, tokenScope: "o", nextToken: token });
        seen.push(...page.events.map((e) => e.eventId));
        token = page.nextToken;
      } while (token);
      return seen;
    };
    const expected = [...order].sort((a, b) => b - a).map((i) => `event-${i}`);
    for (const size of [1, 5, 50]) expect(all(log, size)).toEqual(expected);
    await log.close();
    const reopened = smallSegments(dir);
    expect(all(reopened, 7)).toEqual(expected);
    await reopened.close();
  });

  it("rebuilds a damaged sidecar from its segment", async () => {
    const dir = tempDir();
    const log = smallSegments(dir);
    for (let i = 0; i < 30; i++) await log.append(event(i));
    await log.close();
    const sidecar = join(dir, readdirSync(dir).find((f) => f.endsWith(".idx"))!);
    rmSync(sidecar);
    appendFileSync(sidecar, "garbage");
    const reopened = smallSegments(dir);
    expect(reopened.lookup({ ...query, attribute: { key: "EventId", value: "event-0" } }).events).toHaveLength(1);
    expect(readFileSync(sidecar).subarray(0, 4).toString()).toBe("LTIX");
    await reopened.close();
  });

  it("hands sinks every event after a position, in order", async () => {
    const log = smallSegments(tempDir());
    for (let i = 0; i < 25; i++) await log.append(event(i));
    const all = log.eventsAfter(-1, 100);
    expect(all.map((e) => e.event.record.eventID)).toEqual(Array.from({ length: 25 }, (_, k) => `event-${k}`));
    expect(log.eventsAfter(all[19]!.seq, 100).map((e) => e.event.record.eventID)).toEqual(["event-20", "event-21", "event-22", "event-23", "event-24"]);
    await log.close();
  });

  it("keeps imported history from sinks, live and after a restart, but shows it in lookups", async () => {
    const dir = tempDir();
    const log = smallSegments(dir);
    const heard: string[] = [];
    log.onAppend((events) => heard.push(...events.map((e) => e.event.record.eventID)));
    // An import of older logs between live calls, long enough to fill whole segments of its own.
    await log.append(event(100));
    await log.appendMany(Array.from({ length: 20 }, (_, i) => ({ ...event(i), imported: true })));
    await log.append(event(101));
    const live = ["event-100", "event-101"];
    expect(heard).toEqual(live);
    expect(log.eventsAfter(-1, 1).map((e) => e.event.record.eventID)).toEqual(["event-100"]);
    expect(log.eventsAfter(log.eventsAfter(-1, 1)[0]!.seq, 1).map((e) => e.event.record.eventID)).toEqual(["event-101"]);
    await log.close();

    const reopened = smallSegments(dir);
    expect(reopened.eventsAfter(-1, 100).map((e) => e.event.record.eventID)).toEqual(live);
    expect(reopened.lookup({ ...query, attribute: { key: "EventId", value: "event-7" } }).events).toHaveLength(1);
    await reopened.close();
  });

  it("drops whole expired segments from disk", async () => {
    const dir = tempDir();
    const log = smallSegments(dir);
    for (let i = 0; i < 30; i++) await log.append(event(i));
    await log.close();
    const before = readdirSync(dir).filter((f) => f.endsWith(".ndjson")).length;
    const later = smallSegments(dir, new Date(NOW.getTime() + 91 * 86_400_000));
    // Every sealed segment has expired; at most the partly filled last one remains.
    expect(readdirSync(dir).filter((f) => f.endsWith(".ndjson")).length).toBeLessThanOrEqual(1);
    expect(readdirSync(dir).filter((f) => f.endsWith(".idx"))).toEqual([]);
    expect(before).toBeGreaterThan(1);
    await later.close();
  });
});
