import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { existsSync } from "node:fs";
import { AWS_CLI_V2, awsJson } from "../helpers/cli.js";

interface LookupOutput {
  Events: { EventName: string; Username?: string; AccessKeyId?: string; ReadOnly: string; EventTime: number; Resources: { ResourceType: string; ResourceName: string }[]; CloudTrailEvent: string }[];
}

// The story at the heart of CloudTrail, told with the unmodified AWS CLI.
describe("john creates mary and the owner finds him in LookupEvents", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it("records who created Mary, when, from where, with which tool, with request and response", async () => {
    const before = Math.floor(Date.now() / 1000);
    await awsJson(server.url, ["iam", "create-user", "--user-name", "John"]);
    const { AccessKey } = await awsJson<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>(server.url, ["iam", "create-access-key", "--user-name", "John"]);
    const john = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };

    const created = await awsJson<{ User: { UserName: string; UserId: string; Arn: string } }>(server.url, ["iam", "create-user", "--user-name", "Mary"], john);
    expect(created.User.Arn).toBe("arn:aws:iam::000000000000:user/Mary");

    const found = await awsJson<LookupOutput>(server.url, ["cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=Mary"]);
    expect(found.Events).toHaveLength(1);
    const event = found.Events[0]!;
    expect(event).toMatchObject({ EventName: "CreateUser", Username: "John", AccessKeyId: john.accessKeyId, ReadOnly: "false" });
    expect(event.Resources).toContainEqual({ ResourceType: "AWS::IAM::User", ResourceName: "Mary" });
    expect(event.EventTime).toBeGreaterThanOrEqual(before);

    const record = JSON.parse(event.CloudTrailEvent);
    expect(record.userIdentity).toEqual({
      type: "IAMUser",
      principalId: expect.stringMatching(/^AIDA[A-Z0-9]{17}$/),
      arn: "arn:aws:iam::000000000000:user/John",
      accountId: "000000000000",
      accessKeyId: john.accessKeyId,
      userName: "John",
    });
    expect(record.sourceIPAddress).toBe("127.0.0.1");
    expect(record.userAgent).toMatch(/^aws-cli\/1\./);
    expect(record.requestParameters).toEqual({ userName: "Mary" });
    expect(record.responseElements.user).toMatchObject({ userName: "Mary", userId: created.User.UserId, arn: created.User.Arn, path: "/" });
    expect(record.responseElements.user.createDate).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
    expect(record).toMatchObject({ eventSource: "iam.amazonaws.com", eventName: "CreateUser", awsRegion: "us-east-1", readOnly: false, managementEvent: true, eventCategory: "Management" });
  });

  it("lets the owner list everything John did", async () => {
    const found = await awsJson<LookupOutput>(server.url, ["cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=Username,AttributeValue=John"]);
    expect(found.Events.map((e) => e.EventName)).toEqual(["CreateUser"]);
  });

  it("tells the same story with the AWS CLI v2", async () => {
    expect(existsSync(AWS_CLI_V2), "the AWS CLI v2 (apt-get install awscli; .ci/run installs it)").toBe(true);
    await awsJson(server.url, ["iam", "create-user", "--user-name", "John2"], undefined, undefined, AWS_CLI_V2);
    const { AccessKey } = await awsJson<{ AccessKey: { AccessKeyId: string; SecretAccessKey: string } }>(server.url, ["iam", "create-access-key", "--user-name", "John2"], undefined, undefined, AWS_CLI_V2);
    const john = { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
    await awsJson(server.url, ["iam", "create-user", "--user-name", "Mary2"], john, undefined, AWS_CLI_V2);
    const found = await awsJson<LookupOutput>(server.url, ["cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=ResourceName,AttributeValue=Mary2"], undefined, undefined, AWS_CLI_V2);
    expect(found.Events).toHaveLength(1);
    expect(found.Events[0]).toMatchObject({ EventName: "CreateUser", Username: "John2", AccessKeyId: john.accessKeyId });
    expect(JSON.parse(found.Events[0]!.CloudTrailEvent).userAgent).toMatch(/^aws-cli\/2\./);
  });
});
