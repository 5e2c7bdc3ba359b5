import { describe, expect, it } from "vitest";
import { cloudTrailPublication } from "../../emulated-services/events/runtime/cloudtrail-feed.js";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";
import { randomIds } from "../../src/ids.js";

const record = (over: Partial<CloudTrailRecord>): CloudTrailRecord =>
  ({
    eventVersion: "1.11",
    userIdentity: { type: "Root", principalId: "000000000000", arn: "arn:aws:iam::000000000000:root", accountId: "000000000000" },
    eventTime: "2024-11-28T15:21:35Z",
    eventSource: "iam.amazonaws.com",
    eventName: "CreateUser",
    awsRegion: "us-east-1",
    sourceIPAddress: "127.0.0.1",
    userAgent: "aws-cli/2",
    requestParameters: { userName: "mallory" },
    responseElements: null,
    requestID: "r",
    eventID: "e",
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "000000000000",
    eventCategory: "Management",
    ...over,
  }) as CloudTrailRecord;

describe("what CloudTrail puts on the default bus (reference/cloudtrail.md §10)", () => {
  it("an API call: aws.<service>, its detail-type, the record as detail, no top-level resources", () => {
    const p = cloudTrailPublication(record({}), randomIds, () => false)!;
    expect(p).toMatchObject({ accountId: "000000000000", region: "us-east-1", bus: "default", readOnlyCloudTrail: false });
    expect(p.event).toMatchObject({ version: "0", "detail-type": "AWS API Call via CloudTrail", source: "aws.iam", account: "000000000000", time: "2024-11-28T15:21:35Z", region: "us-east-1", resources: [] });
    expect(p.event.detail).toMatchObject({ eventName: "CreateUser" });
  });

  it("a console sign-in has its own detail-type; a read-only call is marked for ENABLED_WITH_ALL rules only", () => {
    expect(cloudTrailPublication(record({ eventType: "AwsConsoleSignIn", eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin" }), randomIds, () => false)!.event).toMatchObject({
      "detail-type": "AWS Console Sign In via CloudTrail",
      source: "aws.signin",
    });
    expect(cloudTrailPublication(record({ eventName: "ListUsers", readOnly: true }), randomIds, () => false)!.readOnlyCloudTrail).toBe(true);
  });

  it("data events only when a trail logs them; nothing over 256 KB; Insights events as AWS Insight via CloudTrail", () => {
    const data = record({ eventSource: "s3.amazonaws.com", eventName: "PutObject", eventCategory: "Data", managementEvent: false });
    expect(cloudTrailPublication(data, randomIds, () => false)).toBeUndefined();
    expect(cloudTrailPublication(data, randomIds, () => true)?.event.source).toBe("aws.s3");
    expect(cloudTrailPublication(record({ requestParameters: { policyDocument: "x".repeat(300_000) } }), randomIds, () => false)).toBeUndefined();
    expect(cloudTrailPublication(record({ eventCategory: "Insight" }), randomIds, () => false)?.event).toMatchObject({ "detail-type": "AWS Insight via CloudTrail", source: "aws.cloudtrail" });
  });
});
