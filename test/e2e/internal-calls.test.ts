import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { lookupRecords } from "../helpers/records.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const invoke = (...args: Parameters<TestServer["localtrail"]["env"]["invoke"]>) => server.localtrail.env.invoke(...args);

describe("calls made inside the emulator (env.invoke)", () => {
  it("records a service acting on its own as an AWSService caller, named by its principal", async () => {
    const outcome = await invoke({ service: "iam", operation: "CreateUser", input: { UserName: "made-by-a-service" }, region: "eu-west-1", as: { service: "cloudformation.amazonaws.com", accountId: "000000000000" } });
    expect(outcome.error).toBeUndefined();
    expect(outcome.output).toMatchObject({ User: { UserName: "made-by-a-service" } });
    const [record] = await lookupRecords(server.url, "ResourceName", "made-by-a-service");
    expect(record).toMatchObject({
      userIdentity: { type: "AWSService", invokedBy: "cloudformation.amazonaws.com" },
      eventName: "CreateUser",
      awsRegion: "us-east-1",
      sourceIPAddress: "cloudformation.amazonaws.com",
      userAgent: "cloudformation.amazonaws.com",
      requestID: outcome.requestId,
      recipientAccountId: "000000000000",
    });
    expect(Object.keys(record!.userIdentity)).toEqual(["type", "invokedBy"]);
  });

  it("acts as the principal behind an access key, with the given address and user agent", async () => {
    const outcome = await invoke({ service: "iam", operation: "CreateUser", input: { UserName: "made-in-process" }, region: "us-east-1", as: { accessKeyId: "test" }, sourceIp: "203.0.113.10", userAgent: "AWS Internal" });
    expect(outcome.error).toBeUndefined();
    const [record] = await lookupRecords(server.url, "ResourceName", "made-in-process");
    expect(record).toMatchObject({ userIdentity: { type: "Root", accountId: "000000000000" }, sourceIPAddress: "203.0.113.10", userAgent: "AWS Internal" });
  });

  it("checks the input against the model and records the failure, as for a call over HTTP", async () => {
    const outcome = await invoke({ service: "iam", operation: "CreateUser", input: {}, region: "us-east-1", as: { accessKeyId: "test" }, userAgent: "internal-validation-test" });
    expect(outcome.error?.code).toBe("ValidationError");
    const records = await lookupRecords(server.url, "EventName", "CreateUser");
    expect(records.find((r) => r.userAgent === "internal-validation-test")).toMatchObject({ errorCode: "ValidationException" });
  });

  it("refuses an access key the emulator never issued, and records nothing for it", async () => {
    const outcome = await invoke({ service: "iam", operation: "CreateUser", input: { UserName: "never-made" }, region: "us-east-1", as: { accessKeyId: "AKIANOTISSUEDBYUS000" } });
    expect(outcome.error?.code).toBe("InvalidClientTokenId");
    expect(await lookupRecords(server.url, "ResourceName", "never-made")).toEqual([]);
  });
});
