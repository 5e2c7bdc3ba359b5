import { describe, expect, it } from "vitest";
import { logsManagementEvents, trailSelects, type SelectingTrail } from "../../emulated-services/cloudtrail/event-selection.js";
import { defaultEventSelectors } from "../../emulated-services/cloudtrail/trails-state.js";
import type { CloudTrailRecord } from "../../src/types/cloudtrail-record.js";

const trail = (over: Partial<SelectingTrail> = {}): SelectingTrail => ({
  accountId: "111122223333",
  homeRegion: "us-east-2",
  isLogging: true,
  isMultiRegionTrail: false,
  includeGlobalServiceEvents: true,
  eventSelectors: defaultEventSelectors(),
  insightSelectors: [],
  ...over,
});

const record = (over: Partial<CloudTrailRecord> = {}): CloudTrailRecord => ({
  eventVersion: "1.11",
  userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice", accountId: "111122223333" },
  eventTime: "2026-11-24T10:00:00Z",
  eventSource: "ec2.amazonaws.com",
  eventName: "RunInstances",
  awsRegion: "us-east-2",
  sourceIPAddress: "192.0.2.1",
  requestParameters: null,
  responseElements: null,
  requestID: "r",
  eventID: "e",
  readOnly: false,
  eventType: "AwsApiCall",
  managementEvent: true,
  recipientAccountId: "111122223333",
  eventCategory: "Management",
  ...over,
});

const s3Put = (key: string) =>
  record({
    eventSource: "s3.amazonaws.com",
    eventName: "PutObject",
    managementEvent: false,
    eventCategory: "Data",
    resources: [
      { type: "AWS::S3::Object", ARN: `arn:aws:s3:::logs-bucket/${key}` },
      { accountId: "111122223333", type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::logs-bucket" },
    ],
  });
const s3Get = (key: string) => ({ ...s3Put(key), eventName: "GetObject", readOnly: true });
const invoke = record({
  eventSource: "lambda.amazonaws.com",
  eventName: "Invoke",
  managementEvent: false,
  eventCategory: "Data",
  resources: [{ accountId: "111122223333", type: "AWS::Lambda::Function", ARN: "arn:aws:lambda:us-east-2:111122223333:function:my-fn" }],
});

describe("which records a trail selects", () => {
  it("selects every management event of its account and home region by default, and no data events", () => {
    expect(trailSelects(trail(), record())).toBe(true);
    expect(trailSelects(trail(), record({ readOnly: true, eventName: "DescribeInstances" }))).toBe(true);
    expect(trailSelects(trail(), s3Put("a.txt"))).toBe(false);
    expect(trailSelects(trail(), record({ recipientAccountId: "444455556666" }))).toBe(false);
  });

  it("selects nothing while the trail is not logging", () => {
    expect(trailSelects(trail({ isLogging: false }), record())).toBe(false);
  });

  it("takes other regions' events only when it is multi-region", () => {
    const elsewhere = record({ awsRegion: "eu-west-1" });
    expect(trailSelects(trail(), elsewhere)).toBe(false);
    expect(trailSelects(trail({ isMultiRegionTrail: true }), elsewhere)).toBe(true);
  });

  it("drops global service events when IncludeGlobalServiceEvents is false", () => {
    const iam = record({ eventSource: "iam.amazonaws.com", eventName: "CreateUser", awsRegion: "us-east-1" });
    expect(trailSelects(trail({ homeRegion: "us-east-1" }), iam)).toBe(true);
    expect(trailSelects(trail({ homeRegion: "us-east-1", includeGlobalServiceEvents: false }), iam)).toBe(false);
    expect(trailSelects(trail({ homeRegion: "us-east-1", includeGlobalServiceEvents: false }), record({ awsRegion: "us-east-1" }))).toBe(true);
  });

  it("honours ReadWriteType, IncludeManagementEvents and ExcludeManagementEventSources", () => {
    const writes = trail({ eventSelectors: [{ ReadWriteType: "WriteOnly", IncludeManagementEvents: true }] });
    expect(trailSelects(writes, record())).toBe(true);
    expect(trailSelects(writes, record({ readOnly: true }))).toBe(false);
    const reads = trail({ eventSelectors: [{ ReadWriteType: "ReadOnly", IncludeManagementEvents: true }] });
    expect(trailSelects(reads, record())).toBe(false);
    expect(trailSelects(trail({ eventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: false }] }), record())).toBe(false);
    const noKms = trail({ eventSelectors: [{ ReadWriteType: "All", IncludeManagementEvents: true, ExcludeManagementEventSources: ["kms.amazonaws.com"] }] });
    expect(trailSelects(noKms, record({ eventSource: "kms.amazonaws.com", eventName: "Decrypt", readOnly: true }))).toBe(false);
    expect(trailSelects(noKms, record())).toBe(true);
  });

  it("selects S3 and Lambda data events by basic DataResources", () => {
    const sel = (Type: string, Values: string[], ReadWriteType: "All" | "ReadOnly" | "WriteOnly" = "All") =>
      trail({ eventSelectors: [{ ReadWriteType, IncludeManagementEvents: false, DataResources: [{ Type, Values }] }] });
    expect(trailSelects(sel("AWS::S3::Object", ["arn:aws:s3"]), s3Put("x"))).toBe(true);
    expect(trailSelects(sel("AWS::S3::Object", ["arn:aws:s3:::"]), s3Put("x"))).toBe(true);
    expect(trailSelects(sel("AWS::S3::Object", ["arn:aws:s3:::logs-bucket/"]), s3Put("x"))).toBe(true);
    expect(trailSelects(sel("AWS::S3::Object", ["arn:aws:s3:::logs-bucket/reports/"]), s3Put("x"))).toBe(false);
    expect(trailSelects(sel("AWS::S3::Object", ["arn:aws:s3:::logs-bucket/reports/"]), s3Put("reports/q1.csv"))).toBe(true);
    expect(trailSelects(sel("AWS::S3::Object", ["arn:aws:s3:::other-bucket/"]), s3Put("x"))).toBe(false);
    expect(trailSelects(sel("AWS::S3::Object", ["arn:aws:s3"], "WriteOnly"), s3Get("x"))).toBe(false);
    expect(trailSelects(sel("AWS::S3::Object", ["arn:aws:s3"]), record())).toBe(false);
    expect(trailSelects(sel("AWS::Lambda::Function", ["arn:aws:lambda"]), invoke)).toBe(true);
    expect(trailSelects(sel("AWS::Lambda::Function", ["arn:aws:lambda:us-east-2:111122223333:function:my-fn"]), invoke)).toBe(true);
    expect(trailSelects(sel("AWS::Lambda::Function", ["arn:aws:lambda:us-east-2:111122223333:function:my"]), invoke)).toBe(false);
    expect(trailSelects(sel("AWS::Lambda::Function", ["arn:aws:lambda"]), s3Put("x"))).toBe(false);
  });

  it("selects by advanced selectors: all field selectors of any selector", () => {
    const advanced = trail({
      eventSelectors: undefined,
      advancedEventSelectors: [
        { Name: "management writes", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }, { Field: "readOnly", Equals: ["false"] }] },
        {
          Name: "S3 puts outside tmp/",
          FieldSelectors: [
            { Field: "eventCategory", Equals: ["Data"] },
            { Field: "resources.type", Equals: ["AWS::S3::Object"] },
            { Field: "eventName", Equals: ["PutObject"] },
            { Field: "resources.ARN", StartsWith: ["arn:aws:s3:::logs-bucket/"], NotStartsWith: ["arn:aws:s3:::logs-bucket/tmp/"] },
          ],
        },
      ],
    });
    expect(trailSelects(advanced, record())).toBe(true);
    expect(trailSelects(advanced, record({ readOnly: true }))).toBe(false);
    expect(trailSelects(advanced, s3Put("data/a"))).toBe(true);
    expect(trailSelects(advanced, s3Put("tmp/a"))).toBe(false);
    expect(trailSelects(advanced, s3Get("data/a"))).toBe(false);
    expect(trailSelects(advanced, invoke)).toBe(false);

    const byUser = trail({
      eventSelectors: undefined,
      advancedEventSelectors: [
        { FieldSelectors: [{ Field: "eventCategory", Equals: ["Data"] }, { Field: "resources.type", Equals: ["AWS::Lambda::Function"] }, { Field: "userIdentity.arn", EndsWith: ["/alice"] }] },
      ],
    });
    expect(trailSelects(byUser, invoke)).toBe(true);
    expect(trailSelects(byUser, { ...invoke, userIdentity: { arn: "arn:aws:iam::111122223333:user/bob" } })).toBe(false);
    const noErrors = trail({
      eventSelectors: undefined,
      advancedEventSelectors: [{ FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }, { Field: "eventSource", NotEquals: ["kms.amazonaws.com"] }] }],
    });
    expect(trailSelects(noErrors, record())).toBe(true);
    expect(trailSelects(noErrors, record({ eventSource: "kms.amazonaws.com" }))).toBe(false);
  });

  it("sends Insights events only to trails with Insights selectors of their type", () => {
    const details = (insightType: "ApiCallRateInsight" | "ApiErrorRateInsight") => ({
      state: "Start" as const,
      eventSource: "ec2.amazonaws.com",
      eventName: "RunInstances",
      insightType,
      insightContext: { statistics: { baseline: { average: 0 }, insight: { average: 12 }, insightDuration: 1, baselineDuration: 10080 }, attributions: [] },
    });
    const callRate = record({ eventType: "AwsCloudTrailInsight", eventCategory: "Insight", insightDetails: details("ApiCallRateInsight") });
    const errorRate = record({ eventType: "AwsCloudTrailInsight", eventCategory: "Insight", insightDetails: details("ApiErrorRateInsight") });
    expect(trailSelects(trail(), callRate)).toBe(false);
    expect(trailSelects(trail({ insightSelectors: [{ InsightType: "ApiCallRateInsight" }] }), callRate)).toBe(true);
    expect(trailSelects(trail({ insightSelectors: [{ InsightType: "ApiCallRateInsight" }] }), errorRate)).toBe(false);
  });

  it("tells whether a trail logs write or any management events (Insights prerequisites)", () => {
    expect(logsManagementEvents(trail(), "WriteOnly")).toBe(true);
    expect(logsManagementEvents(trail({ eventSelectors: [{ ReadWriteType: "ReadOnly", IncludeManagementEvents: true }] }), "WriteOnly")).toBe(false);
    expect(logsManagementEvents(trail({ eventSelectors: [{ ReadWriteType: "ReadOnly", IncludeManagementEvents: true }] }), "All")).toBe(true);
    const readsOnly = trail({ eventSelectors: undefined, advancedEventSelectors: [{ FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }, { Field: "readOnly", Equals: ["true"] }] }] });
    expect(logsManagementEvents(readsOnly, "WriteOnly")).toBe(false);
    expect(logsManagementEvents(readsOnly, "All")).toBe(true);
  });
});
