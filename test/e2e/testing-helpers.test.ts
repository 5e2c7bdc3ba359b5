import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateAccessKeyCommand, CreateUserCommand, GetUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startLocaltrail, localtrailMatchers, type Localtrail, type LocaltrailMatchers } from "../../src/testing/index.js";

declare module "vitest" {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- vitest's own declaration has this parameter
  interface Assertion<T = any> extends LocaltrailMatchers<Promise<T>> {}
}

expect.extend(localtrailMatchers);
const run = promisify(execFile);

/** The message an assertion fails with; fails the test when it passes. */
async function failureOf(assertion: Promise<unknown>): Promise<string> {
  try {
    await assertion;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected the assertion to fail");
}

describe("localtrail/testing", () => {
  let trail: Localtrail;
  let john: { accessKeyId: string; secretAccessKey: string };
  beforeAll(async () => {
    trail = await startLocaltrail({ ephemeral: true });
    const iam = new IAMClient(trail.clientConfig);
    await iam.send(new CreateUserCommand({ UserName: "John" }));
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: "John" }));
    john = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    await new IAMClient({ ...trail.clientConfig, credentials: john }).send(new CreateUserCommand({ UserName: "Mary" }));
  });
  afterAll(() => trail?.stop());

  it("starts on a free port of its own, with settings for any SDK client", () => {
    expect(trail.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(trail.endpoint).not.toBe("http://127.0.0.1:4566");
    expect(trail.clientConfig).toEqual({ endpoint: trail.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  });

  it("events() gives every record, and those matching a partial record", async () => {
    const all = await trail.events();
    expect(all.map((r) => r.eventName)).toEqual(["CreateUser", "CreateAccessKey", "CreateUser"]);
    const byJohn = await trail.events({ eventName: "CreateUser", userIdentity: { type: "IAMUser", userName: "John" } });
    expect(byJohn).toHaveLength(1);
    expect(byJohn[0]!.requestParameters).toEqual({ userName: "Mary" });
    expect(await trail.events({ userIdentity: { userName: /^Jo/ } })).toHaveLength(1);
  });

  it("toHaveRecorded passes on a matching record, and its failure shows the nearest records and how they differ", async () => {
    await expect(trail).toHaveRecorded({ eventName: "CreateUser", userIdentity: { userName: "John" } });
    const message = await failureOf(expect(trail).toHaveRecorded({ eventName: "CreateUser", userIdentity: { userName: "Mary" } }));
    expect(message).toContain('expected a record matching {"eventName":"CreateUser","userIdentity":{"userName":"Mary"}}, found none.');
    expect(message).toContain("The nearest of 3 records:");
    expect(message).toMatch(/1\. iam:CreateUser by John at \S+, eventID [0-9a-f-]{36}\n {7}userIdentity\.userName: expected "Mary", received "John"/);
    expect(message).toMatch(/2\. iam:CreateUser by root at .*\n {7}userIdentity\.userName: expected "Mary", received undefined/);
  });

  it(".not.toHaveRecorded passes when nothing matches and fails naming what did", async () => {
    await expect(trail).not.toHaveRecorded({ eventName: "DeleteUser" });
    const message = await failureOf(expect(trail).not.toHaveRecorded({ eventName: "CreateAccessKey" }));
    expect(message).toMatch(/^expected no record matching \{"eventName":"CreateAccessKey"\}, found 1:\n {2}- iam:CreateAccessKey by root at /);
  });

  it("toHaveRecordedTimes counts matching records", async () => {
    await expect(trail).toHaveRecordedTimes(2, { eventName: "CreateUser" });
    const message = await failureOf(expect(trail).toHaveRecordedTimes(1, { eventName: "CreateUser" }));
    expect(message).toMatch(/^expected 1 record matching \{"eventName":"CreateUser"\}, found 2:\n {2}- iam:CreateUser by root .*\n {2}- iam:CreateUser by John /);
    const tooFew = await failureOf(expect(trail).toHaveRecordedTimes(1, { eventName: "GetUser" }));
    expect(tooFew).toContain('expected 1 record matching {"eventName":"GetUser"}, found 0.');
    expect(tooFew).toMatch(/eventName: expected "GetUser", received "CreateAccessKey"/);
  });

  it("matchers take an array of records too, and an error is a field like any other", async () => {
    const iam = new IAMClient({ ...trail.clientConfig, maxAttempts: 1 });
    await expect(iam.send(new GetUserCommand({ UserName: "Nobody" }))).rejects.toThrow();
    await expect(await trail.events()).toHaveRecorded({ eventName: "GetUser", errorCode: "NoSuchEntityException", requestParameters: { userName: "Nobody" } });
  });

  it("waitForEvent waits for a call made after it was asked, data events included", async () => {
    const waiting = trail.waitForEvent({ eventName: "PutObject", requestParameters: { bucketName: "audit-bucket", key: "later.txt" } });
    const s3 = new S3Client({ ...trail.clientConfig, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: "audit-bucket" }));
    await s3.send(new PutObjectCommand({ Bucket: "audit-bucket", Key: "later.txt", Body: "x" }));
    const record = await waiting;
    expect(record).toMatchObject({ eventCategory: "Data", eventSource: "s3.amazonaws.com", userIdentity: { type: "Root" } });
  });

  it("waitForEvent gives up after its timeout, naming the nearest records", async () => {
    await expect(trail.waitForEvent({ eventName: "NeverCalled" }, { timeout: 1 })).rejects.toThrow(/^waitForEvent: no record matching \{"eventName":"NeverCalled"\} within 1 ms\.\nThe nearest of \d+ records:/);
  });

  it("the clock reads, sets and advances emulated time, and records carry it", async () => {
    const before = await trail.clock.get();
    const set = await trail.clock.set(new Date(before.getTime() + 86_400_000));
    expect(set.getTime()).toBeGreaterThanOrEqual(before.getTime() + 86_400_000);
    const advanced = await trail.clock.advance("PT6H");
    expect(advanced.getTime()).toBeGreaterThanOrEqual(set.getTime() + 6 * 3_600_000);
    await new IAMClient(trail.clientConfig).send(new GetUserCommand({ UserName: "John" }));
    const [record] = await trail.events({ eventName: "GetUser", requestParameters: { userName: "John" } });
    expect(Date.parse(record!.eventTime)).toBeGreaterThanOrEqual(Math.floor(advanced.getTime() / 1000) * 1000);
  });

  it("flush() answers, and reset() clears the history", async () => {
    await trail.flush();
    await trail.reset();
    expect(await trail.events()).toEqual([]);
    await expect(trail).not.toHaveRecorded({});
  });

  it("two servers side by side share nothing, as parallel test workers need", async () => {
    const other = await startLocaltrail();
    try {
      expect(other.endpoint).not.toBe(trail.endpoint);
      await new IAMClient(other.clientConfig).send(new CreateUserCommand({ UserName: "OnlyHere" }));
      await expect(other).toHaveRecorded({ requestParameters: { userName: "OnlyHere" } });
      await expect(trail).not.toHaveRecorded({ requestParameters: { userName: "OnlyHere" } });
    } finally {
      await other.stop();
    }
  });

  it("the CommonJS build (Jest without ESM) starts a server and its matchers work", async () => {
    const script = `
      const { startLocaltrail, localtrailMatchers } = require("./dist/testing.cjs");
      (async () => {
        const trail = await startLocaltrail();
        const none = await localtrailMatchers.toHaveRecorded.call({ isNot: false }, trail, { eventName: "CreateUser" });
        await fetch(trail.endpoint + "/_localtrail/health");
        console.log(JSON.stringify({ endpoint: trail.endpoint, pass: none.pass, message: none.message() }));
        await trail.stop();
      })();`;
    const { stdout } = await run(process.execPath, ["-e", script]);
    const out = JSON.parse(stdout) as { endpoint: string; pass: boolean; message: string };
    expect(out.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(out.pass).toBe(false);
    expect(out.message).toContain("The history is empty.");
  });
});
