import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Client, CreateBucketCommand, PutObjectCommand, ListObjectsCommand, ListObjectsV2Command, paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { clientConfig } from "../helpers/clients.js";
import { lastRecord } from "../helpers/data-events.js";

const KEYS = ["a/1.txt", "a/2.txt", "a/b/3.txt", "a/b/4.txt", "a/c/5.txt", "b/6.txt", "c.txt", "d.txt", "é.txt", "z+%.txt"];

describe("S3 listings", () => {
  let server: TestServer;
  let s3: S3Client;
  const bucket = "listing-bucket";
  beforeAll(async () => {
    server = await startTestServer();
    s3 = new S3Client(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // Written out of order: listings come back in UTF-8 byte order whatever the order of writes.
    for (const key of [...KEYS].reverse()) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  });
  afterAll(() => server.close());

  it("lists every key in UTF-8 byte order with its size, ETag and storage class", async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(out.Contents?.map((c) => c.Key)).toEqual(["a/1.txt", "a/2.txt", "a/b/3.txt", "a/b/4.txt", "a/c/5.txt", "b/6.txt", "c.txt", "d.txt", "z+%.txt", "é.txt"]);
    expect(out).toMatchObject({ KeyCount: 10, MaxKeys: 1000, IsTruncated: false, Name: bucket, Prefix: "" });
    expect(out.Contents![0]).toMatchObject({ Size: 7, StorageClass: "STANDARD", ChecksumAlgorithm: ["CRC32"] });
    expect(out.Contents![0]!.Owner).toBeUndefined();
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true, MaxKeys: 1 }))).Contents![0]!.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
  });

  it("rolls keys up into common prefixes with a delimiter, under a prefix", async () => {
    const top = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: "/" }));
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/", "b/"]);
    expect(top.Contents?.map((c) => c.Key)).toEqual(["c.txt", "d.txt", "z+%.txt", "é.txt"]);
    expect(top.KeyCount).toBe(6);
    const inA = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "a/", Delimiter: "/" }));
    expect(inA.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["a/b/", "a/c/"]);
    expect(inA.Contents?.map((c) => c.Key)).toEqual(["a/1.txt", "a/2.txt"]);
  });

  it("pages ListObjectsV2 with continuation tokens, common prefixes counting as entries", async () => {
    const pages: { keys: string[]; prefixes: string[] }[] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: bucket, Delimiter: "/" })) {
      pages.push({ keys: page.Contents?.map((c) => c.Key!) ?? [], prefixes: page.CommonPrefixes?.map((p) => p.Prefix!) ?? [] });
    }
    expect(pages).toEqual([
      { keys: [], prefixes: ["a/", "b/"] },
      { keys: ["c.txt", "d.txt"], prefixes: [] },
      { keys: ["z+%.txt", "é.txt"], prefixes: [] },
    ]);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: "b/6.txt" }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(["c.txt", "d.txt", "z+%.txt", "é.txt"]);
    expect(after.StartAfter).toBe("b/6.txt");
    const bad = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: "bm90IGEgdG9rZW4=" })).catch((e: Error & { $metadata: { httpStatusCode: number } }) => e);
    expect(bad).toMatchObject({ name: "InvalidArgument", $metadata: { httpStatusCode: 400 } });
  });

  it("pages ListObjects (v1) by Marker, with NextMarker when a delimiter is given", async () => {
    const first = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 3 }));
    expect(first.Contents?.map((c) => c.Key)).toEqual(["a/1.txt", "a/2.txt", "a/b/3.txt"]);
    expect(first).toMatchObject({ IsTruncated: true, Marker: "", MaxKeys: 3 });
    expect(first.NextMarker).toBeUndefined();
    expect(first.Contents![0]!.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const second = await s3.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 3, Marker: "a/b/3.txt" }));
    expect(second.Contents?.map((c) => c.Key)).toEqual(["a/b/4.txt", "a/c/5.txt", "b/6.txt"]);

    const rolled = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: "/", MaxKeys: 1 }));
    expect([rolled.CommonPrefixes?.map((p) => p.Prefix), rolled.NextMarker, rolled.IsTruncated]).toEqual([["a/"], "a/", true]);
    // The next page starts after every key under the prefix already returned.
    const next = await s3.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: "/", MaxKeys: 2, Marker: rolled.NextMarker }));
    expect([next.CommonPrefixes?.map((p) => p.Prefix), next.Contents?.map((c) => c.Key)]).toEqual([["b/"], ["c.txt"]]);
    const record = lastRecord(server.localtrail, "ListObjects");
    expect(record).toMatchObject({
      eventCategory: "Data",
      requestParameters: { bucketName: bucket, delimiter: "/", "max-keys": "2", marker: "a/" },
      resources: [{ type: "AWS::S3::Object", ARNPrefix: `arn:aws:s3:::${bucket}/` }, { accountId: "000000000000", type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket}` }],
    });
  });

  it("percent-encodes keys and prefixes when asked for encoding-type=url, and echoes it", async () => {
    const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "z", EncodingType: "url" }));
    expect(out.EncodingType).toBe("url");
    expect(out.Contents?.map((c) => c.Key)).toEqual(["z%2B%25.txt"]);
    expect(lastRecord(server.localtrail, "ListObjects").requestParameters).toMatchObject({ "list-type": "2", prefix: "z", "encoding-type": "url" });
  });
});
