import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddTagsCommand,
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  ListTrailsCommand,
  PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
  RemoveTagsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
} from "@aws-sdk/client-cloudtrail";
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateAliasCommand, CreateKeyCommand, KMSClient, DisableKeyCommand } from "@aws-sdk/client-kms";
import { CloudWatchLogsClient, CreateLogGroupCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, failure } from "../helpers/clients.js";
import { latestRecord } from "../helpers/records.js";
import { cloudTrailBucketPolicy } from "../helpers/trails.js";

const ACCOUNT = "000000000000";

/** The guide's policy with its aws:SourceAccount condition, which the check must see past. */
const guidePolicy = (bucket: string, write?: string) => cloudTrailBucketPolicy(bucket, [ACCOUNT], "", { write, sourceAccount: ACCOUNT });

/** A key policy that lets CloudTrail encrypt log files (CloudTrail User Guide, KMS key policy for CloudTrail). */
const cloudTrailKeyPolicy = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
    {
      Sid: "Allow CloudTrail to encrypt logs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: { StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` } },
    },
    { Sid: "Allow CloudTrail to describe key", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "kms:DescribeKey", Resource: "*" },
  ],
});

describe("CloudTrail trails", () => {
  let server: TestServer;
  let ct: CloudTrailClient;
  let ctWest: CloudTrailClient;
  let s3: S3Client;
  beforeAll(async () => {
    server = await startTestServer();
    ct = new CloudTrailClient(clientConfig(server.url));
    ctWest = new CloudTrailClient(clientConfig(server.url, undefined, "us-west-2"));
    s3 = new S3Client(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: "trail-logs" }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: "trail-logs", Policy: guidePolicy("trail-logs") }));
    await s3.send(new CreateBucketCommand({ Bucket: "prefixed-logs" }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: "prefixed-logs", Policy: guidePolicy("prefixed-logs", "arn:aws:s3:::prefixed-logs/*") }));
    await s3.send(new CreateBucketCommand({ Bucket: "no-policy" }));
  });
  afterAll(() => server.close());

  it("creates a trail that is not logging, answers without unset members and records the call", async () => {
    const out = await ct.send(new CreateTrailCommand({ Name: "main", S3BucketName: "trail-logs", TagsList: [{ Key: "team", Value: "sec" }] }));
    expect(out).toEqual({
      $metadata: expect.any(Object),
      Name: "main",
      S3BucketName: "trail-logs",
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: false,
      TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
      LogFileValidationEnabled: false,
      IsOrganizationTrail: false,
    });
    const status = await ct.send(new GetTrailStatusCommand({ Name: "main" }));
    const { $metadata: _m, ...fields } = status;
    expect(fields).toEqual({
      IsLogging: false,
      LatestDeliveryAttemptTime: "",
      LatestNotificationAttemptTime: "",
      LatestNotificationAttemptSucceeded: "",
      LatestDeliveryAttemptSucceeded: "",
      TimeLoggingStarted: "",
      TimeLoggingStopped: "",
    });

    const record = await latestRecord(server.url, "CreateTrail");
    expect(record).toMatchObject({
      eventSource: "cloudtrail.amazonaws.com",
      readOnly: false,
      requestParameters: { name: "main", s3BucketName: "trail-logs", tagsList: [{ key: "team", value: "sec" }] },
      responseElements: {
        name: "main",
        s3BucketName: "trail-logs",
        includeGlobalServiceEvents: true,
        isMultiRegionTrail: false,
        trailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
        logFileValidationEnabled: false,
        isOrganizationTrail: false,
      },
    });
    expect(await failure(ct.send(new CreateTrailCommand({ Name: "main", S3BucketName: "trail-logs" })))).toEqual({
      name: "TrailAlreadyExistsException",
      status: 400,
      message: `Trail main already exists for customer: ${ACCOUNT}`,
    });
  });

  it("validates trail names as CloudTrail does", async () => {
    const cases: [string, string][] = [
      ["ab", "Trail name too short. Minimum allowed length: 3 characters. Specified name length: 2 characters."],
      ["-abc", "Trail name must starts with a letter or number."],
      ["abc-", "Trail name must ends with a letter or number."],
      ["a b c", "Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_)."],
      ["my--trail", "Trail name cannot contain adjacent periods (.), hyphens (-), or underscores (_)."],
      ["192.168.5.4", "Trail name cannot be formatted as an IP address."],
    ];
    for (const [Name, message] of cases) {
      expect(await failure(ct.send(new CreateTrailCommand({ Name, S3BucketName: "trail-logs" })))).toEqual({ name: "InvalidTrailNameException", status: 400, message });
    }
  });

  it("checks the bucket and its policy", async () => {
    expect(await failure(ct.send(new CreateTrailCommand({ Name: "t-missing", S3BucketName: "does-not-exist-bucket" })))).toEqual({
      name: "S3BucketDoesNotExistException",
      status: 400,
      message: "S3 bucket does-not-exist-bucket does not exist!",
    });
    expect(await failure(ct.send(new CreateTrailCommand({ Name: "t-nopolicy", S3BucketName: "no-policy" })))).toEqual({
      name: "InsufficientS3BucketPolicyException",
      status: 400,
      message: "Incorrect S3 bucket policy is detected for bucket: no-policy",
    });
    // The policy allows AWSLogs/<account>/* at the top of the bucket, not under a prefix.
    expect(await failure(ct.send(new CreateTrailCommand({ Name: "t-prefix", S3BucketName: "trail-logs", S3KeyPrefix: "team" })))).toMatchObject({
      name: "InsufficientS3BucketPolicyException",
    });
    const wildcard = await ct.send(new CreateTrailCommand({ Name: "t-wildcard", S3BucketName: "prefixed-logs", S3KeyPrefix: "team/a" }));
    expect(wildcard.S3KeyPrefix).toBe("team/a");
    expect(await latestRecord(server.url, "CreateTrail")).toMatchObject({ responseElements: { s3KeyPrefix: "team/a" } });
    expect(await failure(ct.send(new CreateTrailCommand({ Name: "t-multi", S3BucketName: "trail-logs", IsMultiRegionTrail: true, IncludeGlobalServiceEvents: false })))).toEqual({
      name: "InvalidParameterCombinationException",
      status: 400,
      message: "Multi-Region trail must include global service events.",
    });
  });

  it("gets trails by name or ARN and answers unknown ones as AWS does", async () => {
    const { Trail } = await ct.send(new GetTrailCommand({ Name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` }));
    expect(Trail).toEqual({
      Name: "main",
      S3BucketName: "trail-logs",
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: false,
      HomeRegion: "us-east-1",
      TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
      LogFileValidationEnabled: false,
      HasCustomEventSelectors: false,
      HasInsightSelectors: false,
      IsOrganizationTrail: false,
    });
    expect(await failure(ct.send(new GetTrailCommand({ Name: "nope-trail" })))).toEqual({
      name: "TrailNotFoundException",
      status: 400,
      message: `Unknown trail: nope-trail for the user: ${ACCOUNT}`,
    });
    expect(await latestRecord(server.url, "GetTrail")).toMatchObject({
      errorCode: "TrailNotFoundException",
      errorMessage: `Unknown trail: nope-trail for the user: ${ACCOUNT}`,
      requestParameters: { name: "nope-trail" },
      responseElements: null,
    });
    expect(await failure(ct.send(new GetTrailStatusCommand({ Name: "nope-trail" })))).toMatchObject({
      message: `Unknown trail: arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/nope-trail for the user: ${ACCOUNT}`,
    });
    expect(await failure(ct.send(new GetTrailCommand({ Name: "arn:aws:nope" })))).toMatchObject({ name: "CloudTrailARNInvalidException", status: 400 });
  });

  it("starts and stops logging, with the status fields of both", async () => {
    await ct.send(new StartLoggingCommand({ Name: "main" }));
    const started = await ct.send(new GetTrailStatusCommand({ Name: "main" }));
    expect(started.IsLogging).toBe(true);
    expect(started.StartLoggingTime).toBeInstanceOf(Date);
    expect(started.TimeLoggingStarted).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(started.TimeLoggingStopped).toBe("");
    await ct.send(new StopLoggingCommand({ Name: "main" }));
    const stopped = await ct.send(new GetTrailStatusCommand({ Name: "main" }));
    expect(stopped).toMatchObject({ IsLogging: false, StopLoggingTime: expect.any(Date), TimeLoggingStopped: expect.stringMatching(/Z$/) });
    expect(await latestRecord(server.url, "StopLogging")).toMatchObject({ readOnly: false, requestParameters: { name: "main" }, responseElements: null });
  });

  it("shows multi-region trails as shadow trails elsewhere and refuses changes outside the home region", async () => {
    await ct.send(new CreateTrailCommand({ Name: "everywhere", S3BucketName: "trail-logs", IsMultiRegionTrail: true }));
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/everywhere`;
    const west = await ctWest.send(new DescribeTrailsCommand({}));
    expect(west.trailList!.map((t) => [t.Name, t.HomeRegion])).toEqual([["everywhere", "us-east-1"]]);
    expect((await ctWest.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList).toEqual([]);
    expect((await ctWest.send(new DescribeTrailsCommand({ trailNameList: ["everywhere"] }))).trailList).toEqual([]);
    expect((await ctWest.send(new DescribeTrailsCommand({ trailNameList: [arn] }))).trailList!.map((t) => t.TrailARN)).toEqual([arn]);
    expect((await ctWest.send(new GetTrailCommand({ Name: arn }))).Trail!.HomeRegion).toBe("us-east-1");
    expect(await failure(ctWest.send(new StartLoggingCommand({ Name: arn })))).toMatchObject({ name: "InvalidHomeRegionException", status: 400 });
    expect(await failure(ctWest.send(new DeleteTrailCommand({ Name: arn })))).toMatchObject({ name: "InvalidHomeRegionException" });
    expect(await failure(ctWest.send(new GetEventSelectorsCommand({ TrailName: "everywhere" })))).toMatchObject({
      name: "TrailNotFoundException",
      message: `Unknown trail: arn:aws:cloudtrail:us-west-2:${ACCOUNT}:trail/everywhere for the user: ${ACCOUNT}`,
    });

    const east = await ct.send(new DescribeTrailsCommand({ trailNameList: ["main", "everywhere", "unknown-one"] }));
    expect(east.trailList!.map((t) => t.Name)).toEqual(["main", "everywhere"]);
    const listed = await ctWest.send(new ListTrailsCommand({}));
    expect(listed.Trails).toEqual(expect.arrayContaining([{ TrailARN: arn, Name: "everywhere", HomeRegion: "us-east-1" }]));
  });

  it("updates only the members given, removes settings with empty strings and deletes trails", async () => {
    await ct.send(new CreateTrailCommand({ Name: "changing", S3BucketName: "prefixed-logs", S3KeyPrefix: "p" }));
    const updated = await ct.send(new UpdateTrailCommand({ Name: "changing", EnableLogFileValidation: true, S3KeyPrefix: "" }));
    expect(updated).toMatchObject({ Name: "changing", S3BucketName: "prefixed-logs", LogFileValidationEnabled: true });
    expect(updated).not.toHaveProperty("S3KeyPrefix");
    expect(await failure(ct.send(new UpdateTrailCommand({ Name: "changing", S3BucketName: "no-policy" })))).toMatchObject({ name: "InsufficientS3BucketPolicyException" });
    expect((await ct.send(new GetTrailCommand({ Name: "changing" }))).Trail!.S3BucketName).toBe("prefixed-logs");
    await ct.send(new DeleteTrailCommand({ Name: "changing" }));
    expect(await failure(ct.send(new DeleteTrailCommand({ Name: "changing" })))).toMatchObject({ name: "TrailNotFoundException" });
  });

  it("keeps basic and advanced event selectors, one kind at a time", async () => {
    const initial = await ct.send(new GetEventSelectorsCommand({ TrailName: "main" }));
    expect(initial.EventSelectors).toEqual([{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }]);
    expect(initial.AdvancedEventSelectors).toBeUndefined();

    const basic = await ct.send(
      new PutEventSelectorsCommand({
        TrailName: "main",
        EventSelectors: [{ ReadWriteType: "WriteOnly", DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::trail-logs/"] }] }],
      }),
    );
    expect(basic.EventSelectors).toEqual([
      { ReadWriteType: "WriteOnly", IncludeManagementEvents: true, DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::trail-logs/"] }], ExcludeManagementEventSources: [] },
    ]);
    expect((await ct.send(new GetTrailCommand({ Name: "main" }))).Trail!.HasCustomEventSelectors).toBe(true);

    const advanced = [
      { Name: "Management", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }] },
      { Name: "S3 writes", FieldSelectors: [{ Field: "eventCategory", Equals: ["Data"] }, { Field: "resources.type", Equals: ["AWS::S3::Object"] }, { Field: "readOnly", Equals: ["false"] }] },
    ];
    const put = await ct.send(new PutEventSelectorsCommand({ TrailName: "main", AdvancedEventSelectors: advanced }));
    expect(put).toMatchObject({ TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`, AdvancedEventSelectors: advanced });
    expect(put.EventSelectors).toBeUndefined();
    const got = await ct.send(new GetEventSelectorsCommand({ TrailName: "main" }));
    expect(got.AdvancedEventSelectors).toEqual(advanced);
    expect(got.EventSelectors).toBeUndefined();

    const bad = async (input: object) => failure(ct.send(new PutEventSelectorsCommand({ TrailName: "main", ...input })));
    expect(await bad({})).toMatchObject({ name: "InvalidEventSelectorsException", status: 400 });
    expect(await bad({ EventSelectors: [{}], AdvancedEventSelectors: advanced })).toMatchObject({ name: "InvalidEventSelectorsException" });
    expect(await bad({ EventSelectors: [{}, {}, {}, {}, {}, {}] })).toMatchObject({ name: "InvalidEventSelectorsException" });
    expect(await bad({ EventSelectors: [{ ReadWriteType: "read-only" }] })).toMatchObject({ name: "InvalidEventSelectorsException" });
    expect(await bad({ EventSelectors: [{ DataResources: [{ Type: "AWS::SNS::Topic", Values: ["arn:aws:sns"] }] }] })).toMatchObject({ name: "InvalidEventSelectorsException" });
    expect(await bad({ EventSelectors: [{ ExcludeManagementEventSources: ["iam.amazonaws.com"] }] })).toMatchObject({ name: "InvalidEventSelectorsException" });
    expect(await bad({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: "eventName", Equals: ["PutObject"] }] }] })).toMatchObject({ name: "InvalidEventSelectorsException" });
    expect(await bad({ AdvancedEventSelectors: [{ FieldSelectors: [{ Field: "eventCategory", Equals: ["Data"] }] }] })).toMatchObject({ name: "InvalidEventSelectorsException" });
    expect(await latestRecord(server.url, "PutEventSelectors")).toMatchObject({ errorCode: "InvalidEventSelectorsException", requestParameters: { trailName: "main" } });
  });

  it("enables and disables Insights", async () => {
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/everywhere`;
    expect(await failure(ct.send(new GetInsightSelectorsCommand({ TrailName: "everywhere" })))).toEqual({
      name: "InsightNotEnabledException",
      status: 400,
      message: `Trail ${arn} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again.`,
    });
    const put = await ct.send(new PutInsightSelectorsCommand({ TrailName: "everywhere", InsightSelectors: [{ InsightType: "ApiCallRateInsight" }] }));
    expect(put).toMatchObject({ TrailARN: arn, InsightSelectors: [{ InsightType: "ApiCallRateInsight" }] });
    expect((await ct.send(new GetTrailCommand({ Name: "everywhere" }))).Trail!.HasInsightSelectors).toBe(true);
    await ct.send(new PutEventSelectorsCommand({ TrailName: "everywhere", EventSelectors: [{ ReadWriteType: "ReadOnly" }] }));
    expect(await failure(ct.send(new PutInsightSelectorsCommand({ TrailName: "everywhere", InsightSelectors: [{ InsightType: "ApiCallRateInsight" }] })))).toMatchObject({
      name: "InvalidInsightSelectorsException",
    });
    // Insights on data events need data events logged, which this trail does not.
    expect(
      await failure(ct.send(new PutInsightSelectorsCommand({ TrailName: "everywhere", InsightSelectors: [{ InsightType: "ApiErrorRateInsight", EventCategories: ["Data"] }] }))),
    ).toMatchObject({ name: "InvalidInsightSelectorsException" });
    await ct.send(new PutEventSelectorsCommand({ TrailName: "everywhere", EventSelectors: [{ ReadWriteType: "All", DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3"] }] }] }));
    const both = await ct.send(new PutInsightSelectorsCommand({ TrailName: "everywhere", InsightSelectors: [{ InsightType: "ApiCallRateInsight", EventCategories: ["Management", "Data"] }] }));
    expect(both.InsightSelectors).toEqual([{ InsightType: "ApiCallRateInsight", EventCategories: ["Management", "Data"] }]);
    await ct.send(new PutInsightSelectorsCommand({ TrailName: "everywhere", InsightSelectors: [] }));
    expect((await ct.send(new GetTrailCommand({ Name: "everywhere" }))).Trail!.HasInsightSelectors).toBe(false);
  });

  it("adds, lists and removes tags by trail ARN", async () => {
    const arn = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`;
    await ct.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: "env", Value: "prod" }, { Key: "flag" }] }));
    await ct.send(new RemoveTagsCommand({ ResourceId: arn, TagsList: [{ Key: "team" }] }));
    const { ResourceTagList } = await ct.send(new ListTagsCommand({ ResourceIdList: [arn] }));
    expect(ResourceTagList).toEqual([{ ResourceId: arn, TagsList: [{ Key: "env", Value: "prod" }, { Key: "flag" }] }]);
    expect(await failure(ct.send(new AddTagsCommand({ ResourceId: "main", TagsList: [{ Key: "a" }] })))).toMatchObject({ name: "CloudTrailARNInvalidException" });
    expect(await failure(ct.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: "a" }, { Key: "a" }] })))).toMatchObject({ name: "InvalidTagParameterException" });
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect(await failure(ct.send(new AddTagsCommand({ ResourceId: arn, TagsList: many })))).toMatchObject({ name: "TagsLimitExceededException" });
    expect(await failure(ct.send(new ListTagsCommand({ ResourceIdList: [`arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/ghost`] })))).toMatchObject({
      name: "ResourceNotFoundException",
    });
  });

  it("allows at most five trails per region", async () => {
    const regionClient = new CloudTrailClient(clientConfig(server.url, undefined, "eu-west-1"));
    for (let i = 0; i < 4; i++) await regionClient.send(new CreateTrailCommand({ Name: `eu-${i}`, S3BucketName: "trail-logs" }));
    // The multi-region trail from us-east-1 counts here too.
    expect(await failure(regionClient.send(new CreateTrailCommand({ Name: "eu-5", S3BucketName: "trail-logs" })))).toMatchObject({
      name: "MaximumNumberOfTrailsExceededException",
    });
  });
});

describe("CloudTrail trails with KMS and CloudWatch Logs", () => {
  let server: TestServer;
  let ct: CloudTrailClient;
  let kms: KMSClient;
  beforeAll(async () => {
    server = await startTestServer();
    ct = new CloudTrailClient(clientConfig(server.url));
    kms = new KMSClient(clientConfig(server.url));
    const s3 = new S3Client(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: "secure-logs" }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: "secure-logs", Policy: guidePolicy("secure-logs") }));
  });
  afterAll(() => server.close());

  it("normalises KmsKeyId to the key ARN and checks the key and its policy", async () => {
    const key = (await kms.send(new CreateKeyCommand({ Policy: cloudTrailKeyPolicy }))).KeyMetadata!;
    await kms.send(new CreateAliasCommand({ AliasName: "alias/trail", TargetKeyId: key.KeyId }));
    const out = await ct.send(new CreateTrailCommand({ Name: "encrypted", S3BucketName: "secure-logs", KmsKeyId: "alias/trail" }));
    expect(out.KmsKeyId).toBe(key.Arn);
    expect((await ct.send(new GetTrailCommand({ Name: "encrypted" }))).Trail!.KmsKeyId).toBe(key.Arn);

    expect(await failure(ct.send(new CreateTrailCommand({ Name: "bad-key", S3BucketName: "secure-logs", KmsKeyId: "not a key" })))).toMatchObject({
      name: "InvalidKmsKeyIdException",
      status: 400,
    });
    expect(await failure(ct.send(new CreateTrailCommand({ Name: "no-key", S3BucketName: "secure-logs", KmsKeyId: "alias/none" })))).toMatchObject({
      name: "KmsKeyNotFoundException",
      status: 400,
    });
    const plain = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    expect(await failure(ct.send(new CreateTrailCommand({ Name: "default-policy", S3BucketName: "secure-logs", KmsKeyId: plain.KeyId })))).toMatchObject({
      name: "InsufficientEncryptionPolicyException",
    });
    await kms.send(new DisableKeyCommand({ KeyId: key.KeyId }));
    expect(await failure(ct.send(new CreateTrailCommand({ Name: "disabled-key", S3BucketName: "secure-logs", KmsKeyId: key.Arn })))).toMatchObject({ name: "KmsException" });

    const updated = await ct.send(new UpdateTrailCommand({ Name: "encrypted", KmsKeyId: "" }));
    expect(updated).not.toHaveProperty("KmsKeyId");
  });

  it("checks the CloudWatch Logs pair, the log group and the role's trust policy", async () => {
    const logs = new CloudWatchLogsClient(clientConfig(server.url));
    const iam = new IAMClient(clientConfig(server.url));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "CloudTrail/main" }));
    const trust = (service: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });
    const role = (await iam.send(new CreateRoleCommand({ RoleName: "CloudTrail_CloudWatchLogs_Role", AssumeRolePolicyDocument: trust("cloudtrail.amazonaws.com") }))).Role!;
    const wrong = (await iam.send(new CreateRoleCommand({ RoleName: "LambdaRole", AssumeRolePolicyDocument: trust("lambda.amazonaws.com") }))).Role!;
    const group = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:CloudTrail/main:*`;

    const out = await ct.send(new CreateTrailCommand({ Name: "to-logs", S3BucketName: "secure-logs", CloudWatchLogsLogGroupArn: group, CloudWatchLogsRoleArn: role.Arn }));
    expect(out).toMatchObject({ CloudWatchLogsLogGroupArn: group, CloudWatchLogsRoleArn: role.Arn });

    const create = (name: string, extra: object) => failure(ct.send(new CreateTrailCommand({ Name: name, S3BucketName: "secure-logs", ...extra })));
    expect(await create("cw-1", { CloudWatchLogsLogGroupArn: group })).toEqual({
      name: "InvalidCloudWatchLogsRoleArnException",
      status: 400,
      message: "You must specify a role ARN as well as a log group.",
    });
    expect(await create("cw-2", { CloudWatchLogsLogGroupArn: "arn:aws:logs:us-east-1:000000000000:log-group:CloudTrail/main", CloudWatchLogsRoleArn: role.Arn })).toEqual({
      name: "InvalidCloudWatchLogsLogGroupArnException",
      status: 400,
      message: "CloudTrail cannot validate the specified log group ARN.",
    });
    expect(await create("cw-3", { CloudWatchLogsLogGroupArn: group, CloudWatchLogsRoleArn: wrong.Arn })).toEqual({
      name: "InvalidCloudWatchLogsRoleArnException",
      status: 400,
      message: "Access denied. Check the trust relationships for your role.",
    });
    expect(await create("cw-4", { CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:missing:*`, CloudWatchLogsRoleArn: role.Arn })).toMatchObject({
      name: "InvalidCloudWatchLogsLogGroupArnException",
    });
  });
});
