import { createHash } from "node:crypto";
import { Agent } from "node:http";
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { SignatureV4 } from "@smithy/signature-v4";
import { Hash } from "@smithy/core/serde";
import {
  S3Client,
  CreateBucketCommand,
  PutObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  CopyObjectCommand,
  ListObjectsV2Command,
} from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, codeAndStatus } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { allRecords, lastRecord } from "../helpers/data-events.js";
import { signRequest } from "../helpers/signed-request.js";

const md5 = (data: string | Buffer) => createHash("md5").update(data).digest();
const text = async (out: { Body?: { transformToString(): Promise<string> } }) => out.Body!.transformToString();

describe("S3 objects", () => {
  let server: TestServer;
  let s3: S3Client;
  const bucket = "objects-bucket";
  beforeAll(async () => {
    server = await startTestServer({ persistent: true });
    s3 = new S3Client(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(() => server.close());

  it("stores an object with its metadata and content headers, and records the write and the read as data events", async () => {
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: "docs/report.txt",
        Body: "hello world",
        ContentType: "text/plain",
        ContentDisposition: 'attachment; filename="report.txt"',
        ContentLanguage: "en",
        CacheControl: "no-cache",
        Expires: new Date("2030-01-01T00:00:00Z"),
        Metadata: { who: "john", Team: "blue" },
        StorageClass: "STANDARD_IA",
      }),
    );
    expect(put.ETag).toBe(`"${md5("hello world").toString("hex")}"`);
    expect(put.ServerSideEncryption).toBe("AES256");

    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "docs/report.txt" }));
    expect(await text(got)).toBe("hello world");
    expect(got).toMatchObject({
      ContentType: "text/plain",
      ContentLength: 11,
      ContentDisposition: 'attachment; filename="report.txt"',
      ContentLanguage: "en",
      CacheControl: "no-cache",
      ETag: put.ETag,
      Metadata: { who: "john", team: "blue" },
      StorageClass: "STANDARD_IA",
      AcceptRanges: "bytes",
      ServerSideEncryption: "AES256",
    });
    expect(got.ExpiresString).toBe("Tue, 01 Jan 2030 00:00:00 GMT");

    const write = lastRecord(server.localtrail, "PutObject", put.$metadata.requestId);
    expect(write).toMatchObject({
      eventCategory: "Data",
      managementEvent: false,
      readOnly: false,
      requestParameters: { bucketName: bucket, Host: new URL(server.url).host, key: "docs/report.txt", "x-amz-storage-class": "STANDARD_IA" },
      responseElements: { "x-amz-server-side-encryption": "AES256" },
      additionalEventData: { SignatureVersion: "SigV4", bytesTransferredIn: 11, SSEApplied: "Default_SSE_S3", AuthenticationMethod: "AuthHeader", "x-amz-id-2": put.$metadata.extendedRequestId, bytesTransferredOut: 0 },
      resources: [
        { type: "AWS::S3::Object", ARN: `arn:aws:s3:::${bucket}/docs/report.txt` },
        { accountId: "000000000000", type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket}` },
      ],
    });
    const read = lastRecord(server.localtrail, "GetObject", got.$metadata.requestId);
    expect(read).toMatchObject({ readOnly: true, responseElements: null, additionalEventData: { bytesTransferredIn: 0, bytesTransferredOut: 11 } });
    // Data events are kept but never listed by LookupEvents.
    expect(await lookupRecords(server.url, "EventName", "PutObject")).toEqual([]);
    expect(await lookupRecords(server.url, "ResourceName", bucket)).not.toContainEqual(expect.objectContaining({ eventCategory: "Data" }));
  });

  it("stores and echoes SSE-KMS headers and object tags, and records how S3 encrypted the object", async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "kms.txt", Body: "secret", ServerSideEncryption: "aws:kms", SSEKMSKeyId: "alias/app-key", Tagging: "team=blue&env=dev" }));
    const keyArn = "arn:aws:kms:us-east-1:000000000000:alias/app-key";
    expect([put.ServerSideEncryption, put.SSEKMSKeyId]).toEqual(["aws:kms", keyArn]);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "kms.txt" }));
    expect([got.ServerSideEncryption, got.SSEKMSKeyId, got.TagCount, await text(got)]).toEqual(["aws:kms", keyArn, 2, "secret"]);
    expect(lastRecord(server.localtrail, "PutObject", put.$metadata.requestId)).toMatchObject({
      requestParameters: { "x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": "alias/app-key" },
      responseElements: { "x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-aws-kms-key-id": keyArn },
      additionalEventData: { SSEApplied: "SSE_KMS" },
    });
  });

  it("keeps odd keys exactly as sent: //, .., %2F, spaces, unicode and +", async () => {
    const keys = ["a//b", "../x", "../../../../etc/evil", "a%2Fb", "a/./b", "with space/and+plus", "ключ/日本語.txt", "tab\there", "trailing/"];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
    for (const key of keys) expect(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toBe(`body of ${key}`);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    for (const key of keys) expect(listed.Contents!.map((c) => c.Key)).toContain(key);
    // A key is never a path: bodies are files named by generated ids inside the data dir only.
    expect(existsSync(join(server.dataDir!, "..", "..", "..", "etc", "evil"))).toBe(false);
    const shards = readdirSync(join(server.dataDir!, "blobs")).filter((d) => d !== "tmp");
    // Only names the store generates: blob ids, or numbered packs of small bodies.
    for (const shard of shards) for (const file of readdirSync(join(server.dataDir!, "blobs", shard))) expect(file).toMatch(/^([0-9a-f-]{36}|\d+\.(pack|dead))$/);
  });

  it("serves byte ranges with 206 and answers a range past the end with InvalidRange", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "range.txt", Body: "0123456789" }));
    const first = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "range.txt", Range: "bytes=0-3" }));
    expect([first.$metadata.httpStatusCode, await text(first), first.ContentRange, first.ContentLength]).toEqual([206, "0123", "bytes 0-3/10", 4]);
    expect(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "range.txt", Range: "bytes=-3" })))).toBe("789");
    expect(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "range.txt", Range: "bytes=7-" })))).toBe("789");
    expect(await codeAndStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "range.txt", Range: "bytes=50-" })))).toEqual({ name: "InvalidRange", status: 416 });
    expect(lastRecord(server.localtrail, "GetObject")).toMatchObject({ errorCode: "InvalidRange" });
  });

  it("honours conditional reads: If-Match and If-Unmodified-Since fail with 412, If-None-Match and If-Modified-Since answer 304", async () => {
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cond.txt", Body: "v1" }));
    const past = new Date(Date.now() - 3_600_000);
    const future = new Date(Date.now() + 3_600_000);
    expect(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cond.txt", IfMatch: ETag })))).toBe("v1");
    expect(await codeAndStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cond.txt", IfMatch: '"0000"' })))).toEqual({ name: "PreconditionFailed", status: 412 });
    expect(await codeAndStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cond.txt", IfUnmodifiedSince: past })))).toEqual({ name: "PreconditionFailed", status: 412 });
    expect((await codeAndStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cond.txt", IfNoneMatch: ETag })))).status).toBe(304);
    expect((await codeAndStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cond.txt", IfModifiedSince: future })))).status).toBe(304);
    expect(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "cond.txt", IfModifiedSince: past })))).toBe("v1");
    // Conditional writes: If-None-Match * refuses to overwrite.
    expect(await codeAndStatus(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "cond.txt", Body: "v2", IfNoneMatch: "*" })))).toEqual({ name: "PreconditionFailed", status: 412 });
  });

  it("answers HEAD and GET of a missing key with 404 (HEAD without a body), and records NoSuchKey", async () => {
    expect(await codeAndStatus(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "missing" })))).toEqual({ name: "NotFound", status: 404 });
    expect(lastRecord(server.localtrail, "HeadObject")).toMatchObject({ errorCode: "NoSuchKey", errorMessage: "The specified key does not exist." });
    expect(await codeAndStatus(s3.send(new GetObjectCommand({ Bucket: bucket, Key: "missing" })))).toEqual({ name: "NoSuchKey", status: 404 });
    expect(await codeAndStatus(s3.send(new GetObjectCommand({ Bucket: "no-such-bucket-here", Key: "k" })))).toEqual({ name: "NoSuchBucket", status: 404 });
  });

  it("deletes one key (204 even when absent) and many at once", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "del/1", Body: "1" }));
    expect((await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "del/1" }))).$metadata.httpStatusCode).toBe(204);
    expect((await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: "del/1" }))).$metadata.httpStatusCode).toBe(204);
    for (const k of ["del/a", "del/b", "del/c"]) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
    const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "del/a" }, { Key: "del/b" }, { Key: "del/never" }] } }));
    expect(out.Deleted?.map((d) => d.Key)).toEqual(["del/a", "del/b", "del/never"]);
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: [{ Key: "del/c" }], Quiet: true } }));
    expect(quiet.Deleted).toBeUndefined();
    const left = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "del/" }));
    expect(left.KeyCount).toBe(0);
    expect(lastRecord(server.localtrail, "DeleteObjects")).toMatchObject({
      requestParameters: { bucketName: bucket, delete: "", Delete: { Object: { Key: "del/c" }, Quiet: "true", xmlns: "http://s3.amazonaws.com/doc/2006-03-01/" } },
      resources: [{ type: "AWS::S3::Object", ARNPrefix: `arn:aws:s3:::${bucket}/` }, { type: "AWS::S3::Bucket" }],
    });
  });

  it("copies an object with its metadata, or replaces the metadata, and refuses a copy onto itself that changes nothing", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "src.txt", Body: "source", ContentType: "text/plain", Metadata: { a: "1" } }));
    const copied = await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "copy.txt", CopySource: `${bucket}/src.txt` }));
    expect(copied.CopyObjectResult?.ETag).toBe(`"${md5("source").toString("hex")}"`);
    expect(await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "copy.txt" }))).toMatchObject({ ContentType: "text/plain", Metadata: { a: "1" } });
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "replaced.txt", CopySource: `/${bucket}/src.txt`, MetadataDirective: "REPLACE", Metadata: { b: "2" }, ContentType: "text/csv" }));
    expect(await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "replaced.txt" }))).toMatchObject({ ContentType: "text/csv", Metadata: { b: "2" } });
    expect(await codeAndStatus(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "src.txt", CopySource: `${bucket}/src.txt` })))).toEqual({ name: "InvalidRequest", status: 400 });
    expect(await codeAndStatus(s3.send(new CopyObjectCommand({ Bucket: bucket, Key: "x", CopySource: `${bucket}/nothing-here` })))).toEqual({ name: "NoSuchKey", status: 404 });
    expect(lastRecord(server.localtrail, "CopyObject", copied.$metadata.requestId).requestParameters).toMatchObject({ key: "copy.txt", "x-amz-copy-source": `${bucket}/src.txt` });
  });

  it("computes, verifies and returns flexible checksums, and Content-MD5", async () => {
    for (const algorithm of ["CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"] as const) {
      const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `sum/${algorithm}`, Body: "hello world", ChecksumAlgorithm: algorithm }));
      const member = `Checksum${algorithm}` as const;
      expect(put[member], algorithm).toBeDefined();
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `sum/${algorithm}`, ChecksumMode: "ENABLED" }));
      expect(got[member], algorithm).toBe(put[member]);
      expect(got.ChecksumType).toBe("FULL_OBJECT");
      expect(await text(got)).toBe("hello world");
    }
    // Known values: CRC32 of "hello world" is DUoRhQ==.
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "sum/CRC32", ChecksumMode: "ENABLED" }))).ChecksumCRC32).toBe("DUoRhQ==");
    expect(await codeAndStatus(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "sum/bad", Body: "hello world", ChecksumCRC32: "AAAAAA==" })))).toEqual({ name: "BadDigest", status: 400 });
    expect(await codeAndStatus(s3.send(new PutObjectCommand({ Bucket: bucket, Key: "sum/bad", Body: "hello world", ContentMD5: md5("other").toString("base64") })))).toEqual({
      name: "BadDigest",
      status: 400,
    });
    expect(await codeAndStatus(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "sum/bad" })))).toMatchObject({ status: 404 });
  });

  it("decodes an aws-chunked upload of a stream (SDK v3 sends STREAMING-UNSIGNED-PAYLOAD-TRAILER with a CRC32 trailer)", async () => {
    const chunks = Array.from({ length: 20 }, (_, i) => Buffer.alloc(10_000, 65 + i));
    const whole = Buffer.concat(chunks);
    const seen: Record<string, string> = {};
    const client = new S3Client(clientConfig(server.url));
    client.middlewareStack.add(
      (next) => async (args) => {
        Object.assign(seen, (args.request as { headers: Record<string, string> }).headers);
        return next(args);
      },
      { step: "finalizeRequest", priority: "low" },
    );
    const put = await client.send(new PutObjectCommand({ Bucket: bucket, Key: "streamed.bin", Body: Readable.from(chunks), ContentLength: whole.length }));
    expect(seen["x-amz-content-sha256"]).toBe("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
    expect(put.ETag).toBe(`"${md5(whole).toString("hex")}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "streamed.bin", ChecksumMode: "ENABLED" }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(whole)).toBe(true);
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
    // What was stored is the object, not its encoding.
    expect(got.ContentEncoding).toBeUndefined();
  });

  it("checks a body against its x-amz-content-sha256 (XAmzContentSHA256Mismatch), small (read at once) or streamed", async () => {
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    for (const body of ["hello", "x".repeat(200_000)]) {
      const signed = await signRequest({ url: server.url, service: "s3", method: "PUT", path: `/${bucket}/sha.txt`, body, headers: { "x-amz-content-sha256": sha("not hello") } });
      let r = request(server.url).put(signed.path);
      for (const [k, v] of Object.entries(signed.headers)) if (k !== "host") r = r.set(k, v);
      const res = await r.send(signed.body);
      expect(res.status).toBe(400);
      expect(res.text).toContain("<Code>XAmzContentSHA256Mismatch</Code>");
      expect(res.text).toContain(`<ClientComputedContentSHA256>${sha("not hello")}</ClientComputedContentSHA256>`);
      expect(res.text).toContain(`<S3ComputedContentSHA256>${sha(body)}</S3ComputedContentSHA256>`);
      expect(res.headers["x-amz-request-id"]).toMatch(/^[A-Z0-9]{16}$/);
      expect(await codeAndStatus(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "sha.txt" })))).toMatchObject({ status: 404 });
    }
  });

  it("answers a malformed DeleteObjects body with MalformedXML, and records the call", async () => {
    const body = "<Delete><Object><Key>a</Key>";
    const host = new URL(server.url).host;
    const signer = new SignatureV4({ credentials: { accessKeyId: "test", secretAccessKey: "test" }, region: "us-east-1", service: "s3", sha256: Hash.bind(null, "sha256"), uriEscapePath: false });
    const signed = await signer.sign({ method: "POST", protocol: "http:", hostname: host.split(":")[0]!, path: `/${bucket}`, query: { delete: "" }, headers: { host, "content-md5": md5(body).toString("base64") }, body });
    let r = request(server.url).post(`/${bucket}?delete`);
    for (const [k, v] of Object.entries(signed.headers)) if (k !== "host") r = r.set(k, v);
    const res = await r.send(body);
    expect(res.status).toBe(400);
    expect(res.text).toContain("<Code>MalformedXML</Code>");
    expect(lastRecord(server.localtrail, "DeleteObjects")).toMatchObject({ errorCode: "MalformedXML", eventCategory: "Data" });
  });

  it("answers a wrong secret with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId, recording neither", async () => {
    const before = allRecords(server.localtrail).length;
    const wrong = new S3Client(clientConfig(server.url, { accessKeyId: "test", secretAccessKey: "wrong" }));
    expect(await codeAndStatus(wrong.send(new GetObjectCommand({ Bucket: bucket, Key: "docs/report.txt" })))).toEqual({ name: "SignatureDoesNotMatch", status: 403 });
    const unknown = new S3Client(clientConfig(server.url, { accessKeyId: "AKIAUNKNOWNKEY000000", secretAccessKey: "x" }));
    expect(await codeAndStatus(unknown.send(new PutObjectCommand({ Bucket: bucket, Key: "k", Body: "x" })))).toEqual({ name: "InvalidAccessKeyId", status: 403 });
    expect(allRecords(server.localtrail).length).toBe(before);
  });

  it("serves virtual-hosted requests: bucket.localhost and bucket.s3.localhost", async () => {
    const port = new URL(server.url).port;
    // *.localhost does not resolve everywhere: the agent sends every host to this server.
    const httpAgent = new Agent({ lookup: (_host, _options, callback) => callback(null, [{ address: "127.0.0.1", family: 4 }]) });
    for (const endpoint of [`http://localhost:${port}`, `http://s3.localhost:${port}`]) {
      const vhost = new S3Client({ ...clientConfig(endpoint), forcePathStyle: false, requestHandler: { httpAgent } });
      const hosts: string[] = [];
      vhost.middlewareStack.add(
        (next) => async (args) => {
          hosts.push((args.request as { headers: Record<string, string> }).headers["host"]!);
          return next(args);
        },
        { step: "finalizeRequest", priority: "low" },
      );
      await vhost.send(new PutObjectCommand({ Bucket: bucket, Key: "vhost/a b//c", Body: "virtual" }));
      expect(await text(await vhost.send(new GetObjectCommand({ Bucket: bucket, Key: "vhost/a b//c" })))).toBe("virtual");
      expect((await vhost.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "vhost/" }))).Contents?.map((c) => c.Key)).toEqual(["vhost/a b//c"]);
      expect(hosts[0]).toBe(`${bucket}.${new URL(endpoint).host}`);
      expect(lastRecord(server.localtrail, "ListObjects").requestParameters).toMatchObject({ bucketName: bucket, Host: hosts[0] });
    }
    // Path-style clients see the same object.
    expect(await text(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "vhost/a b//c" })))).toBe("virtual");
  });
});
