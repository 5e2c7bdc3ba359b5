import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateUserCommand, IAMClient, ListUsersCommand } from "@aws-sdk/client-iam";
import { CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { latestRecord, lookupRecords } from "../helpers/records.js";
import { policy, userWith } from "./principals.js";

describe("soft enforcement", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ flags: ["--enforce-iam", "soft"] });
  });
  afterAll(() => server.close());

  it("answers the call and records what would have been refused beside AWS's own fields", async () => {
    const nobody = await userWith(server.url, "nobody");
    const out = await new IAMClient(clientConfig(server.url, nobody)).send(new CreateUserCommand({ UserName: "made-anyway" }));
    expect(out.User?.UserName).toBe("made-anyway");
    const record = await latestRecord(server.url, "CreateUser");
    expect(record.userIdentity.userName).toBe("nobody");
    // The call succeeded: no errorCode, responseElements as usual; the decision sits in additionalEventData.
    expect(record.errorCode).toBeUndefined();
    expect(record.errorMessage).toBeUndefined();
    expect(record.responseElements).toMatchObject({ user: { userName: "made-anyway" } });
    expect(record.additionalEventData).toEqual({
      localtrailEnforcement: {
        mode: "soft",
        decision: "Deny",
        errorCode: "AccessDenied",
        errorMessage: "User: arn:aws:iam::000000000000:user/nobody is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::000000000000:user/made-anyway because no identity-based policy allows the iam:CreateUser action",
      },
    });
  });

  it("leaves the records of allowed calls untouched", async () => {
    const lister = await userWith(server.url, "lister", { inline: [[{ Effect: "Allow", Action: "iam:ListUsers", Resource: "*" }]] });
    await new IAMClient(clientConfig(server.url, lister)).send(new ListUsersCommand({}));
    const record = await latestRecord(server.url, "ListUsers");
    expect(record.userIdentity.userName).toBe("lister");
    expect(record.additionalEventData).toBeUndefined();
  });
});

describe("calls made inside the emulator are enforced too", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ flags: ["--enforce-iam"] });
    await new S3Client(clientConfig(server.url)).send(new CreateBucketCommand({ Bucket: "trail-bucket" }));
  });
  afterAll(() => server.close());

  const putAsCloudTrail = (key: string) =>
    server.localtrail.env.invoke({
      service: "s3",
      operation: "PutObject",
      input: { Bucket: "trail-bucket", Key: key, Body: { stream: undefined, bytes: Buffer.from("{}") } },
      region: "us-east-1",
      as: { service: "cloudtrail.amazonaws.com", accountId: "000000000000" },
    });

  it("an AWS service needs the bucket policy to name it", async () => {
    const refused = await putAsCloudTrail("AWSLogs/a.json");
    expect(refused.error).toMatchObject({ code: "AccessDenied" });
    expect(refused.error?.message).toBe('User: cloudtrail.amazonaws.com is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::trail-bucket/AWSLogs/a.json" because no resource-based policy allows the s3:PutObject action');
    await new S3Client(clientConfig(server.url)).send(
      new PutBucketPolicyCommand({ Bucket: "trail-bucket", Policy: policy({ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::trail-bucket/AWSLogs/*" }) }),
    );
    expect((await putAsCloudTrail("AWSLogs/b.json")).error).toBeUndefined();
    const records = await lookupRecords(server.url, "EventSource", "s3.amazonaws.com");
    expect(records.some((r) => r.eventName === "PutBucketPolicy")).toBe(true);
  });

  it("a service acting where no resource-based policy exists acts with its service-linked permissions", async () => {
    const outcome = await server.localtrail.env.invoke({ service: "logs", operation: "CreateLogGroup", input: { logGroupName: "made-by-a-service" }, region: "us-east-1", as: { service: "cloudtrail.amazonaws.com", accountId: "000000000000" } });
    expect(outcome.error).toBeUndefined();
  });

  it("the console's calls with a principal's session are the principal's", async () => {
    const nobody = await userWith(server.url, "console-nobody");
    const outcome = await server.localtrail.env.invoke({ service: "iam", operation: "ListUsers", input: {}, region: "us-east-1", as: { accessKeyId: nobody.accessKeyId } });
    expect(outcome.error?.code).toBe("AccessDenied");
    const record = (await lookupRecords(server.url, "EventName", "ListUsers"))[0]!;
    expect(record).toMatchObject({ userIdentity: { userName: "console-nobody" }, errorCode: "AccessDenied" });
    const allowed = await new S3Client(clientConfig(server.url)).send(new PutObjectCommand({ Bucket: "trail-bucket", Key: "root-ok", Body: "x" }));
    expect(allowed.ETag).toBeDefined();
  });
});
