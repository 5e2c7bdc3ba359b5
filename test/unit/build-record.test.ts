import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/protocols/models.js";
import { buildRecord, type RecordInputs } from "../../src/recorder/build-record.js";
import { AwsError } from "../../src/types/aws-error.js";

const sts = loadModel("sts");
const base: RecordInputs = {
  eventSource: "sts.amazonaws.com",
  recordRegion: "us-east-1",
  model: sts,
  operation: sts.operations["AssumeRole"]!,
  recordStyle: "camel",
  call: {
    input: {},
    output: undefined,
    error: new AwsError("ValidationError", "1 validation error detected", { recordedCode: "ValidationException" }),
    caller: { type: "Root", accountId: "000000000000", accessKeyId: "test" },
    accountId: "000000000000",
    region: "eu-west-1",
    requestId: "r",
    request: { method: "POST", target: "/", path: "/", query: "", headers: {}, sourceIp: "127.0.0.1" },
    auth: { signatureVersion: "SigV4", method: "AuthHeader" },
  },
  sourceIp: "127.0.0.1",
  eventTime: new Date("2026-11-24T12:00:00.900Z"),
  eventId: "e",
};

describe("buildRecord", () => {
  it("falls back to the defaults when an audit fact throws, and says so", () => {
    const failures: unknown[] = [];
    const { record } = buildRecord({
      ...base,
      audit: {
        resources: () => {
          throw new TypeError("input.RoleArn is undefined");
        },
        requestParameters: () => {
          throw new TypeError("boom");
        },
      },
      onAuditError: (e) => failures.push(e),
    });
    expect(failures).toHaveLength(2);
    expect(record).toMatchObject({ eventName: "AssumeRole", errorCode: "ValidationError", requestParameters: null, responseElements: null, awsRegion: "us-east-1" });
    expect(record).not.toHaveProperty("resources");
  });

  it("writes eventTime to the second and leaves optional fields out rather than null", () => {
    const { record } = buildRecord(base);
    expect(record.eventTime).toBe("2026-11-24T12:00:00Z");
    expect(Object.keys(record)).not.toContain("userAgent");
    expect(Object.keys(record)).not.toContain("additionalEventData");
    expect(record.requestParameters).toBeNull();
  });
});
