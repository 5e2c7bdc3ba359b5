import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  S3Client,
  CreateBucketCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  PutBucketPolicyCommand,
  GetBucketPolicyCommand,
  DeleteBucketPolicyCommand,
  GetBucketAclCommand,
  PutBucketTaggingCommand,
  GetBucketTaggingCommand,
  DeleteBucketTaggingCommand,
  GetBucketVersioningCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
} from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, codeAndStatus } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { lastRecord } from "../helpers/data-events.js";
import { findBucket, getObjectBytes } from "../../emulated-services/s3/directory.js";

const OTHER = { accessKeyId: "111111111111", secretAccessKey: "test" };

const policyFor = (bucket: string, resource = `arn:aws:s3:::${bucket}/*`) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "Read", Effect: "Allow", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "s3:GetObject", Resource: resource }],
  });

describe("S3 buckets", () => {
  let server: TestServer;
  let s3: S3Client;
  beforeAll(async () => {
    server = await startTestServer();
    s3 = new S3Client(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("creates a bucket in us-east-1, finds it, and records CreateBucket as a management event", async () => {
    const out = await s3.send(new CreateBucketCommand({ Bucket: "alpha-bucket" }));
    expect(out.Location).toBe("/alpha-bucket");
    expect(out.$metadata.requestId).toMatch(/^[A-Z0-9]{16}$/);
    expect((await s3.send(new HeadBucketCommand({ Bucket: "alpha-bucket" }))).BucketRegion).toBe("us-east-1");
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: "alpha-bucket" }))).LocationConstraint).toBeUndefined();
    const listed = await s3.send(new ListBucketsCommand({}));
    expect(listed.Buckets?.map((b) => b.Name)).toContain("alpha-bucket");
    expect(listed.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);

    const [record] = await lookupRecords(server.url, "EventName", "CreateBucket");
    expect(record).toMatchObject({
      eventSource: "s3.amazonaws.com",
      eventName: "CreateBucket",
      awsRegion: "us-east-1",
      requestParameters: { bucketName: "alpha-bucket", Host: new URL(server.url).host },
      responseElements: null,
      requestID: out.$metadata.requestId,
      readOnly: false,
      managementEvent: true,
      eventCategory: "Management",
      additionalEventData: { SignatureVersion: "SigV4", AuthenticationMethod: "AuthHeader", "x-amz-id-2": out.$metadata.extendedRequestId, bytesTransferredOut: 0 },
    });
    expect(record!.userAgent).toMatch(/^\[aws-sdk-js\/.*\]$/);
    // GetBucketLocation is a management read and names the bucket as its resource.
    const [location] = await lookupRecords(server.url, "EventName", "GetBucketLocation");
    expect(location).toMatchObject({
      readOnly: true,
      requestParameters: { bucketName: "alpha-bucket", location: "" },
      resources: [{ accountId: "000000000000", type: "AWS::S3::Bucket", ARN: "arn:aws:s3:::alpha-bucket" }],
    });
  });

  it("creates a bucket in another region with a LocationConstraint, and records the configuration as S3 parses it", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "eu-bucket", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: "eu-bucket" }))).LocationConstraint).toBe("eu-west-1");
    const record = lastRecord(server.localtrail, "CreateBucket");
    expect(record.requestParameters).toEqual({
      bucketName: "eu-bucket",
      Host: new URL(server.url).host,
      CreateBucketConfiguration: { LocationConstraint: "eu-west-1", xmlns: "http://s3.amazonaws.com/doc/2006-03-01/" },
    });
  });

  it("answers re-creation the way S3 does: 200 in us-east-1, BucketAlreadyOwnedByYou elsewhere, BucketAlreadyExists for another account", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "alpha-bucket" }));
    const eu = new S3Client(clientConfig(server.url, undefined, "eu-west-1"));
    expect(await codeAndStatus(eu.send(new CreateBucketCommand({ Bucket: "eu-bucket", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } })))).toEqual({
      name: "BucketAlreadyOwnedByYou",
      status: 409,
    });
    const other = new S3Client(clientConfig(server.url, OTHER));
    expect(await codeAndStatus(other.send(new CreateBucketCommand({ Bucket: "alpha-bucket" })))).toEqual({ name: "BucketAlreadyExists", status: 409 });
    expect(lastRecord(server.localtrail, "CreateBucket")).toMatchObject({ errorCode: "BucketAlreadyExists", recipientAccountId: "111111111111" });
    // Another account sees neither the bucket in its list nor its contents.
    expect((await other.send(new ListBucketsCommand({}))).Buckets).toEqual([]);
    expect(await codeAndStatus(other.send(new HeadBucketCommand({ Bucket: "alpha-bucket" })))).toMatchObject({ status: 403 });
  });

  it("refuses invalid names and location constraints", async () => {
    expect(await codeAndStatus(s3.send(new CreateBucketCommand({ Bucket: "Not_Valid" })))).toEqual({ name: "InvalidBucketName", status: 400 });
    expect(await codeAndStatus(s3.send(new CreateBucketCommand({ Bucket: "ab" })))).toEqual({ name: "InvalidBucketName", status: 400 });
    expect(await codeAndStatus(s3.send(new CreateBucketCommand({ Bucket: "us-bucket", CreateBucketConfiguration: { LocationConstraint: "us-east-1" as "us-east-2" } })))).toEqual({
      name: "InvalidLocationConstraint",
      status: 400,
    });
    // A regional endpoint creates buckets in its own region only (SDK v3 adds its region as LocationConstraint by itself).
    const west = new S3Client(clientConfig(server.url, undefined, "us-west-2"));
    expect((await west.send(new CreateBucketCommand({ Bucket: "west-bucket" }))).Location).toBe("http://west-bucket.s3.amazonaws.com/");
    expect(await codeAndStatus(west.send(new CreateBucketCommand({ Bucket: "west-bucket-2", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } })))).toEqual({
      name: "IllegalLocationConstraintException",
      status: 400,
    });
  });

  it("deletes only an empty bucket, and answers NoSuchBucket for one that is gone", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "full-bucket" }));
    await s3.send(new PutObjectCommand({ Bucket: "full-bucket", Key: "k", Body: "x" }));
    expect(await codeAndStatus(s3.send(new DeleteBucketCommand({ Bucket: "full-bucket" })))).toEqual({ name: "BucketNotEmpty", status: 409 });
    expect(lastRecord(server.localtrail, "DeleteBucket")).toMatchObject({ errorCode: "BucketNotEmpty", errorMessage: "The bucket you tried to delete is not empty" });
    await s3.send(new PutObjectCommand({ Bucket: "full-bucket", Key: "k", Body: "x" }));
    await s3.send(new DeleteObjectCommand({ Bucket: "full-bucket", Key: "k" }));
    const deleted = await s3.send(new DeleteBucketCommand({ Bucket: "full-bucket" }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(await codeAndStatus(s3.send(new HeadBucketCommand({ Bucket: "full-bucket" })))).toEqual({ name: "NotFound", status: 404 });
    expect(await codeAndStatus(s3.send(new GetBucketLocationCommand({ Bucket: "full-bucket" })))).toEqual({ name: "NoSuchBucket", status: 404 });
    // A bucket re-created under the same name starts empty.
    await s3.send(new CreateBucketCommand({ Bucket: "full-bucket" }));
    expect(await codeAndStatus(s3.send(new GetObjectCommand({ Bucket: "full-bucket", Key: "k" })))).toEqual({ name: "NoSuchKey", status: 404 });
  });

  it("stores a bucket policy, validates it as JSON S3 accepts, and records it parsed", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "policy-bucket" }));
    expect(await codeAndStatus(s3.send(new GetBucketPolicyCommand({ Bucket: "policy-bucket" })))).toEqual({ name: "NoSuchBucketPolicy", status: 404 });
    const put = await s3.send(new PutBucketPolicyCommand({ Bucket: "policy-bucket", Policy: policyFor("policy-bucket") }));
    expect(put.$metadata.httpStatusCode).toBe(204);
    expect(JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: "policy-bucket" }))).Policy!)).toEqual(JSON.parse(policyFor("policy-bucket")));
    const [record] = await lookupRecords(server.url, "EventName", "PutBucketPolicy");
    expect(record!.requestParameters).toEqual({
      bucketName: "policy-bucket",
      Host: new URL(server.url).host,
      policy: "",
      bucketPolicy: JSON.parse(policyFor("policy-bucket")),
    });

    expect(await codeAndStatus(s3.send(new PutBucketPolicyCommand({ Bucket: "policy-bucket", Policy: "{not json" })))).toEqual({ name: "MalformedPolicy", status: 400 });
    expect(await codeAndStatus(s3.send(new PutBucketPolicyCommand({ Bucket: "policy-bucket", Policy: policyFor("policy-bucket", "arn:aws:s3:::someone-else/*") })))).toEqual({
      name: "MalformedPolicy",
      status: 400,
    });
    expect(lastRecord(server.localtrail, "PutBucketPolicy")).toMatchObject({ errorCode: "MalformedPolicy", errorMessage: "Policy has invalid resource" });

    expect((await s3.send(new DeleteBucketPolicyCommand({ Bucket: "policy-bucket" }))).$metadata.httpStatusCode).toBe(204);
    expect(await codeAndStatus(s3.send(new GetBucketPolicyCommand({ Bucket: "policy-bucket" })))).toEqual({ name: "NoSuchBucketPolicy", status: 404 });
  });

  it("reports the owner's FULL_CONTROL grant, tags and versioning status", async () => {
    await s3.send(new CreateBucketCommand({ Bucket: "config-bucket" }));
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: "config-bucket" }));
    expect(acl.Grants).toEqual([{ Grantee: { Type: "CanonicalUser", ID: acl.Owner!.ID }, Permission: "FULL_CONTROL" }]);

    expect(await codeAndStatus(s3.send(new GetBucketTaggingCommand({ Bucket: "config-bucket" })))).toEqual({ name: "NoSuchTagSet", status: 404 });
    const tagged = await s3.send(new PutBucketTaggingCommand({ Bucket: "config-bucket", Tagging: { TagSet: [{ Key: "team", Value: "blue" }, { Key: "env", Value: "dev" }] } }));
    expect(tagged.$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: "config-bucket" }))).TagSet).toEqual([
      { Key: "team", Value: "blue" },
      { Key: "env", Value: "dev" },
    ]);
    expect(lastRecord(server.localtrail, "PutBucketTagging").requestParameters).toMatchObject({
      tagging: "",
      Tagging: { TagSet: { Tag: [{ Key: "team", Value: "blue" }, { Key: "env", Value: "dev" }] }, xmlns: "http://s3.amazonaws.com/doc/2006-03-01/" },
    });
    expect(
      await codeAndStatus(s3.send(new PutBucketTaggingCommand({ Bucket: "config-bucket", Tagging: { TagSet: [{ Key: "a", Value: "1" }, { Key: "a", Value: "2" }] } }))),
    ).toEqual({ name: "InvalidTag", status: 400 });
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: "config-bucket" }));
    expect(await codeAndStatus(s3.send(new GetBucketTaggingCommand({ Bucket: "config-bucket" })))).toEqual({ name: "NoSuchTagSet", status: 404 });

    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: "config-bucket" }))).Status).toBeUndefined();
    await s3.send(new PutBucketVersioningCommand({ Bucket: "config-bucket", VersioningConfiguration: { Status: "Enabled" } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: "config-bucket" }))).Status).toBe("Enabled");
    await s3.send(new PutBucketVersioningCommand({ Bucket: "config-bucket", VersioningConfiguration: { Status: "Suspended" } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: "config-bucket" }))).Status).toBe("Suspended");
    const versionings = await lookupRecords(server.url, "EventName", "GetBucketVersioning");
    expect(versionings[0]).toMatchObject({ readOnly: true, requestParameters: { bucketName: "config-bucket", versioning: "" }, responseElements: null });
    // The answer for a bucket never versioned is S3's 113 bytes: the declaration, a newline and a self-closed
    // <VersioningConfiguration/>, the size real records of it show in additionalEventData.
    expect(versionings.at(-1)!.additionalEventData).toMatchObject({ bytesTransferredOut: 113 });
  });

  it("lets other services find any account's bucket and read its objects", async () => {
    const other = new S3Client(clientConfig(server.url, OTHER));
    await other.send(new CreateBucketCommand({ Bucket: "trail-logs" }));
    const state = server.localtrail.store.view(new Set());
    expect(findBucket(state, "trail-logs")).toEqual({ name: "trail-logs", ownerAccountId: "111111111111", region: "us-east-1", policy: undefined });
    expect(findBucket(state, "no-such-bucket")).toBeUndefined();

    const body = Buffer.from('{"Records":[]}');
    const { ETag: etag } = await other.send(
      new PutObjectCommand({ Bucket: "trail-logs", Key: "AWSLogs/111111111111/CloudTrail/digest.json.gz", Body: body, ContentType: "application/json", Metadata: { "Signature-Algorithm": "SHA256withRSA" } }),
    );
    expect(etag).toBe(`"${createHash("md5").update(body).digest("hex")}"`);
    const head = await other.send(new HeadObjectCommand({ Bucket: "trail-logs", Key: "AWSLogs/111111111111/CloudTrail/digest.json.gz" }));
    expect(head).toMatchObject({ ETag: etag, ContentType: "application/json", Metadata: { "signature-algorithm": "SHA256withRSA" }, ServerSideEncryption: "AES256" });
    expect(await getObjectBytes(state, server.localtrail.env.blobs, "trail-logs", "AWSLogs/111111111111/CloudTrail/digest.json.gz", server.localtrail.clock.now())).toEqual({
      body,
      metadata: { "signature-algorithm": "SHA256withRSA" },
      contentType: "application/json",
    });
    expect(await getObjectBytes(state, server.localtrail.env.blobs, "trail-logs", "missing", server.localtrail.clock.now())).toBeUndefined();
  });
});
