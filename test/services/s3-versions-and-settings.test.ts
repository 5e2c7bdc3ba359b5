import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  S3Client,
  CreateBucketCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  CopyObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectTaggingCommand,
  GetObjectTaggingCommand,
  DeleteObjectTaggingCommand,
  GetObjectAttributesCommand,
  PutBucketAclCommand,
  GetBucketAclCommand,
  PutObjectAclCommand,
  GetObjectAclCommand,
  PutBucketOwnershipControlsCommand,
  GetBucketOwnershipControlsCommand,
  DeleteBucketOwnershipControlsCommand,
  GetBucketEncryptionCommand,
  PutBucketEncryptionCommand,
  DeleteBucketEncryptionCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  DeletePublicAccessBlockCommand,
  PutBucketLifecycleConfigurationCommand,
  GetBucketLifecycleConfigurationCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketCommand,
} from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, codeAndStatus, sdkError } from "../helpers/clients.js";
import { aws, AWS_CLI_V2 } from "../helpers/cli.js";
import { lookupRecords } from "../helpers/records.js";
import { allRecords, lastRecord } from "../helpers/data-events.js";

const text = async (out: { Body?: { transformToString(): Promise<string> } }) => out.Body!.transformToString();

describe("S3 versions, tags, ACLs and bucket settings", () => {
  let server: TestServer;
  let s3: S3Client;
  beforeAll(async () => {
    server = await startTestServer();
    s3 = new S3Client(clientConfig(server.url));
  });
  afterAll(() => server.close());

  it("a versioned bucket keeps every version, hides a deleted key behind a delete marker, and brings it back when the marker goes", async () => {
    const Bucket = "versioned-bucket";
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "doc.txt", Body: "before versioning" }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: "doc.txt", Body: "one" }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket, Key: "doc.txt", Body: "two" }));
    expect(v1.VersionId).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(v2.VersionId).not.toBe(v1.VersionId);

    const current = await s3.send(new GetObjectCommand({ Bucket, Key: "doc.txt" }));
    expect(await text(current)).toBe("two");
    expect(current.VersionId).toBe(v2.VersionId);
    expect(await text(await s3.send(new GetObjectCommand({ Bucket, Key: "doc.txt", VersionId: v1.VersionId })))).toBe("one");
    expect(await text(await s3.send(new GetObjectCommand({ Bucket, Key: "doc.txt", VersionId: "null" })))).toBe("before versioning");
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: "doc.txt", VersionId: v1.VersionId }))).VersionId).toBe(v1.VersionId);

    const deleted = await s3.send(new DeleteObjectCommand({ Bucket, Key: "doc.txt" }));
    expect(deleted.DeleteMarker).toBe(true);
    const marker = deleted.VersionId!;
    // The current version is a delete marker: 404 NoSuchKey with x-amz-delete-marker.
    const gone = await sdkError(s3.send(new GetObjectCommand({ Bucket, Key: "doc.txt" })));
    expect(gone.name).toBe("NoSuchKey");
    expect((gone as unknown as { $response?: { headers: Record<string, string> } }).$response?.headers["x-amz-delete-marker"]).toBe("true");
    // Asked for by version id, a delete marker answers 405 MethodNotAllowed.
    expect(await codeAndStatus(s3.send(new GetObjectCommand({ Bucket, Key: "doc.txt", VersionId: marker })))).toEqual({ name: "MethodNotAllowed", status: 405 });
    expect(await codeAndStatus(s3.send(new GetObjectCommand({ Bucket, Key: "doc.txt", VersionId: "NoSuchVersionIdAtAll" })))).toEqual({ name: "NoSuchVersion", status: 404 });

    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.DeleteMarkers).toEqual([expect.objectContaining({ Key: "doc.txt", VersionId: marker, IsLatest: true })]);
    expect(listed.Versions!.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      [v2.VersionId, false],
      [v1.VersionId, false],
      ["null", false],
    ]);

    // A page of one, then the rest from the markers it answers.
    const first = await s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 2 }));
    expect(first.IsTruncated).toBe(true);
    const rest = await s3.send(new ListObjectVersionsCommand({ Bucket, KeyMarker: first.NextKeyMarker, VersionIdMarker: first.NextVersionIdMarker }));
    expect(rest.Versions!.map((v) => v.VersionId)).toEqual([v1.VersionId, "null"]);

    // Removing the marker makes the newest version current again.
    const undone = await s3.send(new DeleteObjectCommand({ Bucket, Key: "doc.txt", VersionId: marker }));
    expect(undone).toMatchObject({ DeleteMarker: true, VersionId: marker });
    expect(await text(await s3.send(new GetObjectCommand({ Bucket, Key: "doc.txt" })))).toBe("two");

    // A copy from an old version names it; the bucket is not empty while versions remain.
    const copied = await s3.send(new CopyObjectCommand({ Bucket, Key: "copy.txt", CopySource: `${Bucket}/doc.txt?versionId=${v1.VersionId}` }));
    expect(copied.CopySourceVersionId).toBe(v1.VersionId);
    expect(copied.VersionId).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(await text(await s3.send(new GetObjectCommand({ Bucket, Key: "copy.txt" })))).toBe("one");
    expect(await codeAndStatus(s3.send(new DeleteBucketCommand({ Bucket })))).toEqual({ name: "BucketNotEmpty", status: 409 });

    const put = lastRecord(server.localtrail, "PutObject");
    expect(put.eventCategory).toBe("Data");
    expect(put.responseElements).toMatchObject({ "x-amz-version-id": v2.VersionId });
    const del = lastRecord(server.localtrail, "DeleteObject");
    expect(del.requestParameters).toMatchObject({ bucketName: Bucket, key: "doc.txt", versionId: marker });
    const versions = lastRecord(server.localtrail, "ListObjectVersions");
    expect(versions).toMatchObject({ eventCategory: "Data", readOnly: true, requestParameters: { bucketName: Bucket, versions: "" } });
    // PutBucketVersioning is a management event: LookupEvents finds it.
    const managed = await lookupRecords(server.url, "EventName", "PutBucketVersioning");
    expect(managed[0]?.requestParameters).toMatchObject({ bucketName: Bucket, versioning: "", VersioningConfiguration: { Status: "Enabled" } });
  });

  it("a suspended bucket replaces the null version instead of adding versions", async () => {
    const Bucket = "suspended-bucket";
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    const kept = await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "kept" }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Suspended" } }));
    expect((await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "a" }))).VersionId).toBe("null");
    await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "b" }));
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(listed.Versions!.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      ["null", true],
      [kept.VersionId, false],
    ]);
  });

  it("emptying a versioned bucket as Terraform's force_destroy does: every version and marker through DeleteObjects, then DeleteBucket", async () => {
    const Bucket = "force-destroy-bucket";
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "a", Body: "1" }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "a", Body: "2" }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: "a" }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "b", Body: "3" }));
    const listed = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    const all = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId! }));
    expect(all).toHaveLength(4);
    const out = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: all } }));
    expect(out.Errors).toBeUndefined();
    expect(out.Deleted).toHaveLength(4);
    expect(out.Deleted?.filter((d) => d.DeleteMarker)).toEqual([expect.objectContaining({ Key: "a", DeleteMarker: true, DeleteMarkerVersionId: listed.DeleteMarkers![0]!.VersionId })]);
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions ?? []).toEqual([]);
    await s3.send(new DeleteBucketCommand({ Bucket }));
  });

  it("object tags are set with the object or on their own, per version, and counted on GET", async () => {
    const Bucket = "tagged-bucket";
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key: "t", Body: "x", Tagging: "team=blue&tier=1" }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: "t" }))).TagSet).toEqual([
      { Key: "team", Value: "blue" },
      { Key: "tier", Value: "1" },
    ]);
    expect((await s3.send(new GetObjectCommand({ Bucket, Key: "t" }))).TagCount).toBe(2);
    await s3.send(new PutObjectTaggingCommand({ Bucket, Key: "t", Tagging: { TagSet: [{ Key: "only", Value: "one" }] } }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: "t" }))).TagSet).toEqual([{ Key: "only", Value: "one" }]);
    await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: "t" }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: "t" }))).TagSet).toEqual([]);
    const tooMany = Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    expect(await codeAndStatus(s3.send(new PutObjectTaggingCommand({ Bucket, Key: "t", Tagging: { TagSet: tooMany } })))).toEqual({ name: "InvalidTag", status: 400 });
    expect(await codeAndStatus(s3.send(new GetObjectTaggingCommand({ Bucket, Key: "missing" })))).toEqual({ name: "NoSuchKey", status: 404 });
    const record = lastRecord(server.localtrail, "PutObjectTagging");
    expect(record).toMatchObject({ eventCategory: "Data", readOnly: false, requestParameters: { bucketName: Bucket, key: "t", tagging: "" } });
    expect(record.resources).toEqual([
      { type: "AWS::S3::Object", ARN: `arn:aws:s3:::${Bucket}/t` },
      { accountId: "000000000000", type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${Bucket}` },
    ]);
  });

  it("GetObjectAttributes answers only the attributes asked for", async () => {
    const Bucket = "attributes-bucket";
    await s3.send(new CreateBucketCommand({ Bucket }));
    const body = "attributes!";
    await s3.send(new PutObjectCommand({ Bucket, Key: "a", Body: body, ChecksumAlgorithm: "SHA256" }));
    const out = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: "a", ObjectAttributes: ["ETag", "ObjectSize", "StorageClass", "Checksum"] }));
    expect(out.ETag).toBe(createHash("md5").update(body).digest("hex"));
    expect(out.ObjectSize).toBe(body.length);
    expect(out.StorageClass).toBe("STANDARD");
    expect(out.Checksum?.ChecksumSHA256).toBe(createHash("sha256").update(body).digest("base64"));
    expect(out.LastModified).toBeInstanceOf(Date);
    const only = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: "a", ObjectAttributes: ["ObjectSize"] }));
    expect(only.ETag).toBeUndefined();
    expect(lastRecord(server.localtrail, "GetObjectAttributes")).toMatchObject({ eventCategory: "Data", readOnly: true });
  });

  it("ACLs: disabled by default, canned and granted once ownership allows them, answered as stored", async () => {
    const Bucket = "acl-bucket";
    await s3.send(new CreateBucketCommand({ Bucket }));
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
    expect(await codeAndStatus(s3.send(new PutBucketAclCommand({ Bucket, ACL: "public-read" })))).toEqual({ name: "AccessControlListNotSupported", status: 400 });
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: "ObjectWriter" }] } }));
    await s3.send(new PutBucketAclCommand({ Bucket, ACL: "public-read" }));
    const acl = await s3.send(new GetBucketAclCommand({ Bucket }));
    const ownerId = acl.Owner!.ID!;
    expect(ownerId).toMatch(/^[0-9a-f]{64}$/);
    expect(acl.Grants).toEqual([
      { Grantee: { Type: "CanonicalUser", ID: ownerId }, Permission: "FULL_CONTROL" },
      { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AllUsers" }, Permission: "READ" },
    ]);
    await s3.send(
      new PutBucketAclCommand({
        Bucket,
        AccessControlPolicy: {
          Owner: { ID: ownerId },
          Grants: [
            { Grantee: { Type: "CanonicalUser", ID: ownerId }, Permission: "FULL_CONTROL" },
            { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "WRITE" },
          ],
        },
      }),
    );
    expect((await s3.send(new GetBucketAclCommand({ Bucket }))).Grants?.[1]).toEqual({ Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "WRITE" });

    await s3.send(new PutObjectCommand({ Bucket, Key: "o", Body: "x", GrantRead: 'uri="http://acs.amazonaws.com/groups/global/AuthenticatedUsers"' }));
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: "o" }))).Grants).toEqual([
      { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" }, Permission: "READ" },
    ]);
    await s3.send(new PutObjectAclCommand({ Bucket, Key: "o", ACL: "private" }));
    expect((await s3.send(new GetObjectAclCommand({ Bucket, Key: "o" }))).Grants).toEqual([{ Grantee: { Type: "CanonicalUser", ID: ownerId }, Permission: "FULL_CONTROL" }]);
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket }));
    expect(await codeAndStatus(s3.send(new GetBucketOwnershipControlsCommand({ Bucket })))).toEqual({ name: "OwnershipControlsNotFoundError", status: 404 });

    const record = (await lookupRecords(server.url, "EventName", "PutBucketAcl"))[0]!;
    expect(record.requestParameters).toMatchObject({ bucketName: Bucket, acl: "" });
    expect(lastRecord(server.localtrail, "PutObjectAcl")).toMatchObject({ eventCategory: "Data", requestParameters: { "x-amz-acl": "private", acl: "" } });
  });

  it("encryption, public access block and lifecycle: S3's defaults, stored as given, and their not-found errors", async () => {
    const Bucket = "settings-bucket";
    await s3.send(new CreateBucketCommand({ Bucket }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false },
    ]);
    await s3.send(
      new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/logs" }, BucketKeyEnabled: true }] } }),
    );
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: "aws:kms", KMSMasterKeyID: "alias/logs" });
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");

    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration?.BlockPublicAcls).toBe(false);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    expect(await codeAndStatus(s3.send(new GetPublicAccessBlockCommand({ Bucket })))).toEqual({ name: "NoSuchPublicAccessBlockConfiguration", status: 404 });

    expect(await codeAndStatus(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).toEqual({ name: "NoSuchLifecycleConfiguration", status: 404 });
    const Rules = [{ ID: "expire-logs", Status: "Enabled" as const, Filter: { Prefix: "logs/" }, Expiration: { Days: 30 } }];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }));
    const lifecycle = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(lifecycle.Rules).toEqual(Rules);
    expect(lifecycle.TransitionDefaultMinimumObjectSize).toBe("all_storage_classes_128K");
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket }));
    expect(await codeAndStatus(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).toEqual({ name: "NoSuchLifecycleConfiguration", status: 404 });

    const [encryption] = await lookupRecords(server.url, "EventName", "PutBucketEncryption");
    expect(encryption).toMatchObject({ eventCategory: "Management", readOnly: false, requestParameters: { bucketName: Bucket, encryption: "" } });
    const [lifecycleRecord] = await lookupRecords(server.url, "EventName", "PutBucketLifecycle");
    expect(lifecycleRecord?.requestParameters).toMatchObject({ lifecycle: "", LifecycleConfiguration: { Rule: { ID: "expire-logs", Status: "Enabled" } } });
  });

  it("the AWS CLI v2 copies, moves and syncs a 20 MB object between buckets (multipart copy with UploadPartCopy)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "localtrail-cli-copy-"));
    try {
      const file = join(dir, "big.bin");
      const data = Buffer.alloc(20 * 1024 * 1024);
      for (let i = 0; i < data.length; i += 4096) data.writeUInt32BE(i, i);
      writeFileSync(file, data);
      const run = async (...args: string[]) => {
        const out = await aws(server.url, args, undefined, undefined, AWS_CLI_V2);
        expect(out.code, out.stderr).toBe(0);
      };
      // Only the high-level commands run through the CLI (each start costs seconds on a busy machine).
      await s3.send(new CreateBucketCommand({ Bucket: "cli-source" }));
      await s3.send(new CreateBucketCommand({ Bucket: "cli-target" }));
      await s3.send(new PutBucketVersioningCommand({ Bucket: "cli-target", VersioningConfiguration: { Status: "Enabled" } }));
      await s3.send(new PutObjectCommand({ Bucket: "cli-source", Key: "big.bin", Body: readFileSync(file), Tagging: "kept=yes" }));
      await run("s3", "cp", "s3://cli-source/big.bin", "s3://cli-target/copied.bin");
      await run("s3", "mv", "s3://cli-target/copied.bin", "s3://cli-target/moved.bin");
      await run("s3", "sync", "s3://cli-source", "s3://cli-target/synced");
      const back = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: "cli-target", Key: "moved.bin" }))).Body!.transformToByteArray());
      expect(back.equals(data)).toBe(true);
      expect((await s3.send(new GetObjectTaggingCommand({ Bucket: "cli-target", Key: "moved.bin" }))).TagSet).toEqual([{ Key: "kept", Value: "yes" }]);
      const synced = await s3.send(new HeadObjectCommand({ Bucket: "cli-target", Key: "synced/big.bin" }));
      expect(synced.ContentLength).toBe(data.length);
      // mv deleted the copy: a delete marker hides it in the versioned bucket.
      expect(await codeAndStatus(s3.send(new HeadObjectCommand({ Bucket: "cli-target", Key: "copied.bin" })))).toEqual({ name: "NotFound", status: 404 });
      const names = new Set(allRecords(server.localtrail).filter((r) => r.requestParameters?.bucketName === "cli-target" || r.requestParameters?.bucketName === "cli-source").map((r) => r.eventName));
      for (const name of ["HeadObject", "GetObjectTagging", "CreateMultipartUpload", "UploadPartCopy", "CompleteMultipartUpload", "DeleteObject"]) expect(names).toContain(name);
      const part = lastRecord(server.localtrail, "UploadPartCopy");
      expect(part.requestParameters).toMatchObject({ bucketName: "cli-target", "x-amz-copy-source": expect.stringContaining("cli-source/big.bin") });
      expect(part.errorCode).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
