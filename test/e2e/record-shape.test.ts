import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import { CreateBucketCommand, GetBucketAclCommand, PutBucketTaggingCommand, S3Client } from "@aws-sdk/client-s3";
import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("records stay within CloudTrail's field sizes", () => {
  it("writes requestParameters over 100 KB as {omitted: true}, never a multi-megabyte record", async () => {
    const huge = "u".repeat(3 * 1024 * 1024);
    const iam = new IAMClient({ ...clientConfig(server.url), customUserAgent: "oversized-input-test" });
    expect((await failure(iam.send(new CreateUserCommand({ UserName: huge })))).name).toBe("ValidationError");
    const record = (await lookupRecords(server.url, "EventName", "CreateUser")).find((r) => r.userAgent?.includes("oversized-input-test"));
    expect(record).toMatchObject({ errorCode: "ValidationException", requestParameters: { omitted: true }, responseElements: null });
    expect(JSON.stringify(record).length).toBeLessThan(256 * 1024);

    // Input under the limit is written as it came.
    await iam.send(new CreateUserCommand({ UserName: "ordinary-size" }));
    const [ordinary] = await lookupRecords(server.url, "ResourceName", "ordinary-size");
    expect(ordinary!.requestParameters).toEqual({ userName: "ordinary-size" });
  });
});

describe("LookupEvents", () => {
  it("names a bucket by its name, and once, on every bucket call", async () => {
    const s3 = new S3Client(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: "named-once" }));
    await s3.send(new GetBucketAclCommand({ Bucket: "named-once" }));
    await s3.send(new PutBucketTaggingCommand({ Bucket: "named-once", Tagging: { TagSet: [{ Key: "k", Value: "v" }] } }));
    const out = await new CloudTrailClient(clientConfig(server.url)).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: "named-once" }] }));
    expect(out.Events!.map((e) => e.EventName).sort()).toEqual(["CreateBucket", "GetBucketAcl", "PutBucketTagging"]);
    for (const event of out.Events!) expect(event.Resources, event.EventName).toEqual([{ ResourceType: "AWS::S3::Bucket", ResourceName: "named-once" }]);
  });
});
