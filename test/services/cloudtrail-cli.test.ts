import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { aws, awsJson, boto3 } from "../helpers/cli.js";
import { latestRecord } from "../helpers/records.js";

const ACCOUNT = "000000000000";

interface TrailOut {
  Name: string;
  S3BucketName: string;
  S3KeyPrefix?: string;
  TrailARN: string;
  HomeRegion?: string;
  IsMultiRegionTrail: boolean;
  IncludeGlobalServiceEvents: boolean;
  LogFileValidationEnabled: boolean;
}

// The trail flows a user types, with the unmodified AWS CLI v1 (it prints blobs and timestamps as sent).
describe("trails with the AWS CLI", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:GetBucketAcl", Resource: "arn:aws:s3:::cli-trail-logs" },
        {
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::cli-trail-logs/audit/AWSLogs/${ACCOUNT}/*`,
          Condition: { StringEquals: { "aws:SourceArn": `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/cli-trail` } },
        },
      ],
    };
    await awsJson(server.url, ["s3api", "create-bucket", "--bucket", "cli-trail-logs"]);
    await awsJson(server.url, ["s3api", "put-bucket-policy", "--bucket", "cli-trail-logs", "--policy", JSON.stringify(policy)]);
  });
  afterAll(() => server.close());

  it("creates, describes, starts and reads the status of a trail", async () => {
    const created = await awsJson<TrailOut>(server.url, [
      "cloudtrail", "create-trail", "--name", "cli-trail", "--s3-bucket-name", "cli-trail-logs", "--s3-key-prefix", "audit", "--is-multi-region-trail", "--enable-log-file-validation",
    ]);
    expect(created).toEqual({
      Name: "cli-trail",
      S3BucketName: "cli-trail-logs",
      S3KeyPrefix: "audit",
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: true,
      TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/cli-trail`,
      LogFileValidationEnabled: true,
      IsOrganizationTrail: false,
    });
    // A trail whose SourceArn condition names another trail is refused.
    const refused = await aws(server.url, ["cloudtrail", "create-trail", "--name", "other-trail", "--s3-bucket-name", "cli-trail-logs", "--s3-key-prefix", "audit"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("An error occurred (InsufficientS3BucketPolicyException) when calling the CreateTrail operation: Incorrect S3 bucket policy is detected for bucket: cli-trail-logs");

    const described = await awsJson<{ trailList: TrailOut[] }>(server.url, ["cloudtrail", "describe-trails"], undefined, "eu-central-1");
    expect(described.trailList).toEqual([{ ...created, HomeRegion: "us-east-1", HasCustomEventSelectors: false, HasInsightSelectors: false }]);

    const before = await awsJson<Record<string, unknown>>(server.url, ["cloudtrail", "get-trail-status", "--name", "cli-trail"]);
    expect(before).toMatchObject({ IsLogging: false, TimeLoggingStarted: "", TimeLoggingStopped: "" });
    await awsJson(server.url, ["cloudtrail", "start-logging", "--name", "cli-trail"]);
    const after = await awsJson<Record<string, unknown>>(server.url, ["cloudtrail", "get-trail-status", "--name", "cli-trail"]);
    expect(after.IsLogging).toBe(true);
    // The CLI prints the wire value: epoch seconds as a number.
    expect(typeof after.StartLoggingTime).toBe("number");
    expect(Math.abs((after.StartLoggingTime as number) - Date.now() / 1000)).toBeLessThan(600);
    expect(after.TimeLoggingStarted).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const record = await latestRecord(server.url, "StartLogging");
    expect(record).toMatchObject({ userAgent: expect.stringMatching(/^aws-cli\/1\./), requestParameters: { name: "cli-trail" }, responseElements: null });
  });

  it("puts and gets event selectors", async () => {
    const selectors = [{ ReadWriteType: "All", IncludeManagementEvents: true, DataResources: [{ Type: "AWS::S3::Object", Values: ["arn:aws:s3:::cli-trail-logs/"] }] }];
    const put = await awsJson<{ TrailARN: string; EventSelectors: unknown[] }>(server.url, [
      "cloudtrail", "put-event-selectors", "--trail-name", "cli-trail", "--event-selectors", JSON.stringify(selectors),
    ]);
    const expected = [{ ...selectors[0], ExcludeManagementEventSources: [] }];
    expect(put).toEqual({ TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/cli-trail`, EventSelectors: expected });
    const got = await awsJson(server.url, ["cloudtrail", "get-event-selectors", "--trail-name", "cli-trail"]);
    expect(got).toEqual(put);
    const advanced = [{ Name: "writes", FieldSelectors: [{ Field: "eventCategory", Equals: ["Management"] }, { Field: "readOnly", Equals: ["false"] }] }];
    await awsJson(server.url, ["cloudtrail", "put-event-selectors", "--trail-name", "cli-trail", "--advanced-event-selectors", JSON.stringify(advanced)]);
    expect(await awsJson(server.url, ["cloudtrail", "get-event-selectors", "--trail-name", "cli-trail"])).toEqual({
      TrailARN: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/cli-trail`,
      AdvancedEventSelectors: advanced,
    });
  });

  it("lists the region's public key as validate-logs expects it: base64 PKCS#1 DER, MD5 fingerprint, an EndTime in the future", async () => {
    const start = new Date(Date.now() - 3600_000).toISOString();
    const end = new Date(Date.now() + 2 * 3600_000).toISOString();
    const out = await awsJson<{ PublicKeyList: { Value: string; Fingerprint: string; ValidityStartTime: number; ValidityEndTime: number }[] }>(server.url, [
      "cloudtrail", "list-public-keys", "--start-time", start, "--end-time", end,
    ]);
    expect(out.PublicKeyList).toHaveLength(1);
    const key = out.PublicKeyList[0]!;
    expect(key.Value).toMatch(/^MIIBCgKCAQEA/);
    expect(key.Fingerprint).toBe(createHash("md5").update(Buffer.from(key.Value, "base64")).digest("hex"));
    expect(key.ValidityEndTime - key.ValidityStartTime).toBe(2_592_000);
    const again = await awsJson<typeof out>(server.url, ["cloudtrail", "list-public-keys"]);
    expect(again.PublicKeyList.map((k) => k.Fingerprint)).toEqual([key.Fingerprint]);
    const none = await awsJson<typeof out>(server.url, ["cloudtrail", "list-public-keys", "--start-time", "2001-01-01T00:00:00Z", "--end-time", "2001-01-02T00:00:00Z"]);
    expect(none.PublicKeyList).toEqual([]);
    const backwards = await aws(server.url, ["cloudtrail", "list-public-keys", "--start-time", end, "--end-time", start]);
    expect(backwards.stderr).toContain("InvalidTimeRangeException");

    // What validate-logs does with the key (awscli customizations/cloudtrail/validation.py).
    const loaded = await boto3<{ bits: number; fingerprint: string }>(
      server.url,
      `import base64, hashlib, rsa
key = boto3.client("cloudtrail").list_public_keys()["PublicKeyList"][0]
der = key["Value"]
pub = rsa.PublicKey.load_pkcs1(der, format="DER")
print(json.dumps({"bits": pub.n.bit_length(), "fingerprint": hashlib.md5(der).hexdigest()}))`,
    );
    expect(loaded).toEqual({ bits: 2048, fingerprint: key.Fingerprint });
  });
});
