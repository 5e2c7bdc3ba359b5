import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  S3Client,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  UploadPartCommand,
  UploadPartCopyCommand,
  CompleteMultipartUploadCommand,
  AbortMultipartUploadCommand,
  ListPartsCommand,
  ListMultipartUploadsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig, codeAndStatus } from "../helpers/clients.js";
import { lastRecord } from "../helpers/data-events.js";
import { lookupRecords } from "../helpers/records.js";

const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash("md5").update(b).digest();
/** The ETag AWS gives a multipart object: MD5 of the parts' binary MD5s, `-<parts>`. */
const multipartEtag = (parts: Buffer[]) => `"${createHash("md5").update(Buffer.concat(parts.map(md5))).digest("hex")}-${parts.length}"`;
const crc32Base64 = (b: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(b) >>> 0);
  return out.toString("base64");
};

describe("S3 multipart uploads", () => {
  let server: TestServer;
  let s3: S3Client;
  const bucket = "multipart-bucket";
  const part1 = Buffer.alloc(5 * MiB, "a");
  const part2 = Buffer.from("the last part may be small");
  beforeAll(async () => {
    server = await startTestServer();
    s3 = new S3Client(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterAll(() => server.close());

  it("assembles the parts into one object whose ETag is AWS's multipart ETag, and lists parts and uploads on the way", async () => {
    const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "big/object.bin", ContentType: "application/x-test", Metadata: { stage: "mpu" } }));
    expect(created).toMatchObject({ Bucket: bucket, Key: "big/object.bin", ServerSideEncryption: "AES256" });
    const uploadId = created.UploadId!;
    const p1 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "big/object.bin", UploadId: uploadId, PartNumber: 1, Body: part1 }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "big/object.bin", UploadId: uploadId, PartNumber: 2, Body: part2 }));
    expect(p1.ETag).toBe(`"${md5(part1).toString("hex")}"`);

    const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "big/object.bin", UploadId: uploadId }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([
      [1, part1.length, p1.ETag],
      [2, part2.length, p2.ETag],
    ]);
    expect(parts.Initiator?.ID).toMatch(/^[0-9a-f]{64}$/);
    const firstPage = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: "big/object.bin", UploadId: uploadId, MaxParts: 1 }));
    expect([firstPage.IsTruncated, firstPage.NextPartNumberMarker, firstPage.Parts?.length]).toEqual([true, "1", 1]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([["big/object.bin", uploadId]]);

    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "big/object.bin",
        UploadId: uploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
      }),
    );
    expect(done.ETag).toBe(multipartEtag([part1, part2]));
    expect(done.Location).toBe(`${server.url}/${bucket}/big/object.bin`);

    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big/object.bin" }));
    expect(got).toMatchObject({ ETag: done.ETag, ContentLength: part1.length + part2.length, ContentType: "application/x-test", Metadata: { stage: "mpu" } });
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([part1, part2]))).toBe(true);
    // partNumber reads one part of a multipart object.
    const second = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: "big/object.bin", PartNumber: 2 }));
    expect([await second.Body!.transformToString(), second.PartsCount, second.$metadata.httpStatusCode]).toEqual([part2.toString(), 2, 206]);
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket }))).Uploads ?? []).toEqual([]);

    expect(lastRecord(server.localtrail, "UploadPart", p2.$metadata.requestId)).toMatchObject({
      eventCategory: "Data",
      requestParameters: { bucketName: bucket, key: "big/object.bin", uploadId, partNumber: "2" },
      additionalEventData: { bytesTransferredIn: part2.length },
    });
    expect(lastRecord(server.localtrail, "CompleteMultipartUpload").requestParameters).toMatchObject({
      uploadId,
      CompleteMultipartUpload: { Part: [{ PartNumber: "1", ETag: p1.ETag }, { PartNumber: "2", ETag: p2.ETag }], xmlns: "http://s3.amazonaws.com/doc/2006-03-01/" },
    });
    expect(lastRecord(server.localtrail, "CreateMultipartUpload").additionalEventData).toMatchObject({ SSEApplied: "Default_SSE_S3" });
    // ListMultipartUploads is a bucket-level (management) event.
    expect((await lookupRecords(server.url, "EventName", "ListMultipartUploads"))[0]).toMatchObject({ eventCategory: "Management" });
  });

  it("returns each part's CRC32 and gives the object a composite checksum of the parts' checksums", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "crc.bin", ChecksumAlgorithm: "CRC32" }));
    const p1 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "crc.bin", UploadId, PartNumber: 1, Body: part1, ChecksumAlgorithm: "CRC32" }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "crc.bin", UploadId, PartNumber: 2, Body: part2, ChecksumAlgorithm: "CRC32" }));
    expect([p1.ChecksumCRC32, p2.ChecksumCRC32]).toEqual([crc32Base64(part1), crc32Base64(part2)]);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: "crc.bin",
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag, ChecksumCRC32: p1.ChecksumCRC32 }, { PartNumber: 2, ETag: p2.ETag, ChecksumCRC32: p2.ChecksumCRC32 }] },
      }),
    );
    const composite = `${crc32Base64(Buffer.concat([Buffer.from(p1.ChecksumCRC32!, "base64"), Buffer.from(p2.ChecksumCRC32!, "base64")]))}-2`;
    expect([done.ChecksumCRC32, done.ChecksumType]).toEqual([composite, "COMPOSITE"]);
    expect(await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: "crc.bin", ChecksumMode: "ENABLED" }))).toMatchObject({ ChecksumCRC32: composite, ChecksumType: "COMPOSITE" });
  });

  it("copies a byte range of another object as a part", async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: "source.bin", Body: part1 }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "copied.bin" }));
    const copy = await s3.send(new UploadPartCopyCommand({ Bucket: bucket, Key: "copied.bin", UploadId, PartNumber: 1, CopySource: `${bucket}/source.bin`, CopySourceRange: `bytes=0-${5 * MiB - 1}` }));
    const p2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "copied.bin", UploadId, PartNumber: 2, Body: part2 }));
    expect(copy.CopyPartResult?.ETag).toBe(`"${md5(part1).toString("hex")}"`);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "copied.bin", UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: copy.CopyPartResult!.ETag }, { PartNumber: 2, ETag: p2.ETag }] } }),
    );
    expect(done.ETag).toBe(multipartEtag([part1, part2]));
    expect(lastRecord(server.localtrail, "UploadPartCopy").requestParameters).toMatchObject({ "x-amz-copy-source": `${bucket}/source.bin`, "x-amz-copy-source-range": `bytes=0-${5 * MiB - 1}` });
  });

  it("refuses parts out of order, unknown or small, and forgets an aborted upload", async () => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: "bad.bin" }));
    const small = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "bad.bin", UploadId, PartNumber: 1, Body: part2 }));
    const last = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: "bad.bin", UploadId, PartNumber: 2, Body: part2 }));
    const complete = (parts: { PartNumber: number; ETag?: string }[]) =>
      codeAndStatus(s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: "bad.bin", UploadId, MultipartUpload: { Parts: parts } })));
    expect(await complete([{ PartNumber: 2, ETag: last.ETag }, { PartNumber: 1, ETag: small.ETag }])).toEqual({ name: "InvalidPartOrder", status: 400 });
    expect(await complete([{ PartNumber: 1, ETag: '"00000000000000000000000000000000"' }])).toEqual({ name: "InvalidPart", status: 400 });
    expect(await complete([{ PartNumber: 1, ETag: small.ETag }, { PartNumber: 2, ETag: last.ETag }])).toEqual({ name: "EntityTooSmall", status: 400 });
    expect(await codeAndStatus(s3.send(new UploadPartCommand({ Bucket: bucket, Key: "bad.bin", UploadId, PartNumber: 10001, Body: "x" })))).toEqual({ name: "InvalidArgument", status: 400 });

    const aborted = await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "bad.bin", UploadId }));
    expect(aborted.$metadata.httpStatusCode).toBe(204);
    expect(await codeAndStatus(s3.send(new ListPartsCommand({ Bucket: bucket, Key: "bad.bin", UploadId })))).toEqual({ name: "NoSuchUpload", status: 404 });
    expect(await codeAndStatus(s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: "bad.bin", UploadId })))).toEqual({ name: "NoSuchUpload", status: 404 });
    expect(lastRecord(server.localtrail, "AbortMultipartUpload")).toMatchObject({ errorCode: "NoSuchUpload", eventCategory: "Data" });
  });
});
