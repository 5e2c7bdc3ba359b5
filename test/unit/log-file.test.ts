import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildLogFiles } from "../../src/delivery/log-file.js";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";

const record = (eventTime: string, eventName: string): CloudTrailRecord => ({
  eventVersion: "1.11",
  userIdentity: { type: "Root", principalId: "111122223333", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333" },
  eventTime,
  eventSource: "iam.amazonaws.com",
  eventName,
  awsRegion: "us-east-1",
  sourceIPAddress: "127.0.0.1",
  userAgent: "aws-cli/1.45.11",
  requestParameters: { userName: "Mary \u00e9\u4e2d" },
  responseElements: null,
  requestID: "req",
  eventID: `id-${eventName}`,
  readOnly: false,
  eventType: "AwsApiCall",
  managementEvent: true,
  recipientAccountId: "111122223333",
  eventCategory: "Management",
});

describe("log files", () => {
  const records = [record("2026-02-01T10:00:05Z", "CreateUser"), record("2026-02-01T09:59:01Z", "DeleteUser"), record("2026-02-01T10:03:00Z", "GetUser")];

  it("holds {\"Records\":[...]} gzipped, hashed over exactly the uncompressed bytes", () => {
    const [file] = buildLogFiles(records);
    const raw = gunzipSync(file!.body);
    expect(raw.toString("utf8")).toBe(JSON.stringify({ Records: records }));
    expect(file!.sha256).toBe(createHash("sha256").update(raw).digest("hex"));
    expect(file!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file!.records).toBe(3);
  });

  it("is a single gzip member, as validate-logs reads one (its trailer sizes the whole file)", () => {
    const [file] = buildLogFiles(records);
    const raw = gunzipSync(file!.body);
    expect(file!.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(file!.body.readUInt32LE(file!.body.length - 4)).toBe(raw.length);
  });

  it("names the newest and the oldest event time", () => {
    const [file] = buildLogFiles(records);
    expect(file!.newestEventTime).toBe("2026-02-01T10:03:00Z");
    expect(file!.oldestEventTime).toBe("2026-02-01T09:59:01Z");
  });

  it("splits records that would make a too big file, keeping their order", () => {
    const one = JSON.stringify(records[0]).length;
    const files = buildLogFiles(records, one * 2 + 2);
    expect(files.map((f) => f.records)).toEqual([2, 1]);
    const back = files.flatMap((f) => (JSON.parse(gunzipSync(f.body).toString()) as { Records: CloudTrailRecord[] }).Records);
    expect(back).toEqual(records);
    expect(buildLogFiles([])).toEqual([]);
  });
});
