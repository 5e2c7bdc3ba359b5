import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { aws, awsJson, boto3 } from "../helpers/cli.js";
import { clientConfig } from "../helpers/clients.js";
import { lookupRecords } from "../helpers/records.js";
import { lastRecord } from "../helpers/data-events.js";

const md5hex = (b: Buffer | string) => createHash("md5").update(b).digest("hex");

describe("S3 with the AWS CLI, boto3 and presigned URLs", () => {
  let server: TestServer;
  let dir: string;
  beforeAll(async () => {
    server = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), "localtrail-s3-"));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("aws s3 mb / cp / ls / rb, and s3api calls with their errors", async () => {
    expect((await aws(server.url, ["s3", "mb", "s3://cli-bucket"])).stdout).toContain("make_bucket: cli-bucket");
    const file = join(dir, "notes with space.txt");
    writeFileSync(file, "notes from the cli\n");
    const cp = await aws(server.url, ["s3", "cp", file, "s3://cli-bucket/dir/notes with space+plus.txt", "--metadata", "who=john"]);
    expect(cp.code, cp.stderr).toBe(0);
    const ls = await aws(server.url, ["s3", "ls", "s3://cli-bucket/dir/"]);
    expect(ls.stdout).toMatch(/19 notes with space\+plus\.txt/);
    const head = await awsJson<{ Metadata: Record<string, string>; ETag: string; ContentLength: number }>(server.url, [
      "s3api",
      "head-object",
      "--bucket",
      "cli-bucket",
      "--key",
      "dir/notes with space+plus.txt",
    ]);
    expect(head).toMatchObject({ Metadata: { who: "john" }, ETag: `"${md5hex("notes from the cli\n")}"`, ContentLength: 19 });
    expect((await aws(server.url, ["s3", "cp", "s3://cli-bucket/dir/notes with space+plus.txt", "-"])).stdout).toBe("notes from the cli\n");

    const rb = await aws(server.url, ["s3api", "delete-bucket", "--bucket", "cli-bucket"]);
    expect(rb.code).not.toBe(0);
    expect(rb.stderr).toContain("(BucketNotEmpty)");
    const missing = await aws(server.url, ["s3api", "get-object", "--bucket", "cli-bucket", "--key", "nope", join(dir, "out")]);
    expect(missing.stderr).toContain("(NoSuchKey)");
    expect((await aws(server.url, ["s3", "rb", "s3://cli-bucket", "--force"])).code).toBe(0);

    const [record] = await lookupRecords(server.url, "EventName", "DeleteBucket");
    expect(record).toMatchObject({ requestParameters: { bucketName: "cli-bucket" } });
    expect(record!.errorCode).toBeUndefined();
    expect(record!.userAgent).toMatch(/^\[aws-cli\/1\./);
  });

  it("boto3 uploads a file in parts (upload_file) and downloads it back whole", async () => {
    const out = await boto3<{ etag: string; size: number; md5: string; parts: number }>(
      server.url,
      `
import hashlib, os
from boto3.s3.transfer import TransferConfig
s3 = boto3.client("s3")
s3.create_bucket(Bucket="boto-bucket")
path = ${JSON.stringify(join(dir, "big.bin"))}
with open(path, "wb") as f:
    for i in range(12):
        f.write(bytes([65 + i]) * (1024 * 1024))
config = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
s3.upload_file(path, "boto-bucket", "dir/big.bin", Config=config)
s3.download_file("boto-bucket", "dir/big.bin", path + ".back", Config=config)
head = s3.head_object(Bucket="boto-bucket", Key="dir/big.bin", PartNumber=1)
print(json.dumps({"etag": head["ETag"], "size": os.path.getsize(path + ".back"), "md5": hashlib.md5(open(path + ".back", "rb").read()).hexdigest(), "parts": head["PartsCount"]}))
`,
    );
    const parts = [0, 1, 2].map((p) => Buffer.concat(Array.from({ length: p === 2 ? 2 : 5 }, (_, i) => Buffer.alloc(1024 * 1024, 65 + p * 5 + i))));
    const whole = Buffer.concat(parts);
    expect(out.size).toBe(12 * 1024 * 1024);
    expect(out.md5).toBe(md5hex(whole));
    expect(out.parts).toBe(3);
    expect(out.etag).toBe(`"${createHash("md5").update(Buffer.concat(parts.map((p) => createHash("md5").update(p).digest()))).digest("hex")}-3"`);
  });

  it("boto3 lists odd keys through encoding-type=url and pages ListObjects v1 by Marker, as validate-logs does", async () => {
    const out = await boto3<{ keys: string[]; pages: string[][]; location: string | null; meta: Record<string, string>; acl: string }>(
      server.url,
      `
s3 = boto3.client("s3")
s3.create_bucket(Bucket="odd-bucket")
keys = ["a+b", "c%2Fd", "e f", "g//h", "../i", "ü/ß"]
for k in keys:
    s3.put_object(Bucket="odd-bucket", Key=k, Body=k.encode(), Metadata={"signature": "abc=="})
listed = [c["Key"] for c in s3.list_objects_v2(Bucket="odd-bucket")["Contents"]]
pages = []
marker = ""
while True:
    page = s3.list_objects(Bucket="odd-bucket", Marker=marker, MaxKeys=4)
    pages.append([c["Key"] for c in page.get("Contents", [])])
    if not page["IsTruncated"]:
        break
    marker = page["Contents"][-1]["Key"]
location = s3.get_bucket_location(Bucket="odd-bucket")["LocationConstraint"]
meta = s3.get_object(Bucket="odd-bucket", Key="e f")["Metadata"]
acl = s3.get_bucket_acl(Bucket="odd-bucket")["Grants"][0]["Grantee"]["Type"]
print(json.dumps({"keys": listed, "pages": pages, "location": location, "meta": meta, "acl": acl}))
`,
    );
    expect(out.keys).toEqual(["../i", "a+b", "c%2Fd", "e f", "g//h", "ü/ß"]);
    expect(out.pages).toEqual([["../i", "a+b", "c%2Fd", "e f"], ["g//h", "ü/ß"]]);
    expect(out.location).toBeNull();
    expect(out.meta).toEqual({ signature: "abc==" });
    expect(out.acl).toBe("CanonicalUser");
  });

  it("verifies boto3's SigV2 presigned URLs and SigV2 Authorization headers, and records them as SigV2", async () => {
    const out = await boto3<{ got: string; put: number; header: string; expired: number }>(
      server.url,
      `
import urllib.request, urllib.error
from botocore.config import Config
s3 = boto3.client("s3")
s3.create_bucket(Bucket="presign-bucket")
s3.put_object(Bucket="presign-bucket", Key="shared file.txt", Body=b"shared")
url = s3.generate_presigned_url("get_object", Params={"Bucket": "presign-bucket", "Key": "shared file.txt"}, ExpiresIn=300)
assert "Signature=" in url and "AWSAccessKeyId=" in url, url
got = urllib.request.urlopen(url).read().decode()
put_url = s3.generate_presigned_url("put_object", Params={"Bucket": "presign-bucket", "Key": "uploaded.txt"}, ExpiresIn=300)
# requests sends no Content-Type of its own: the URL was signed without one.
import requests
put = requests.put(put_url, data=b"via url").status_code
v2 = boto3.client("s3", config=Config(signature_version="s3"))
header = v2.get_object(Bucket="presign-bucket", Key="uploaded.txt")["Body"].read().decode()
expired_url = s3.generate_presigned_url("get_object", Params={"Bucket": "presign-bucket", "Key": "shared file.txt"}, ExpiresIn=-10)
try:
    urllib.request.urlopen(expired_url)
    expired = 200
except urllib.error.HTTPError as e:
    expired = e.code
print(json.dumps({"got": got, "put": put, "header": header, "expired": expired}))
`,
    );
    expect(out).toEqual({ got: "shared", put: 200, header: "via url", expired: 403 });
    const records = [lastRecord(server.localtrail, "PutObject"), lastRecord(server.localtrail, "GetObject")];
    expect(records[0]).toMatchObject({ requestParameters: { key: "uploaded.txt", Expires: expect.any(String) }, additionalEventData: { SignatureVersion: "SigV2", AuthenticationMethod: "QueryString" } });
    expect(records[0]!.requestParameters).not.toHaveProperty("Signature");
    expect(records[1]).toMatchObject({ additionalEventData: { SignatureVersion: "SigV2", AuthenticationMethod: "AuthHeader" } });
  });

  it("verifies SDK v3 SigV4 presigned URLs and refuses an expired one", async () => {
    const s3 = new S3Client(clientConfig(server.url));
    await s3.send(new CreateBucketCommand({ Bucket: "v4-presign" }));
    await s3.send(new PutObjectCommand({ Bucket: "v4-presign", Key: "a b+c.txt", Body: "presigned v4" }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "v4-presign", Key: "a b+c.txt" }), { expiresIn: 60 });
    expect(url).toContain("X-Amz-Signature=");
    const res = await fetch(url);
    expect([res.status, await res.text()]).toEqual([200, "presigned v4"]);
    expect(lastRecord(server.localtrail, "GetObject")).toMatchObject({
      additionalEventData: { SignatureVersion: "SigV4", AuthenticationMethod: "QueryString" },
      requestParameters: { "X-Amz-Algorithm": "AWS4-HMAC-SHA256", "X-Amz-Expires": "60" },
    });
    expect(lastRecord(server.localtrail, "GetObject").requestParameters).not.toHaveProperty("X-Amz-Signature");

    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: "v4-presign", Key: "put.txt" }), { expiresIn: 60 });
    expect((await fetch(putUrl, { method: "PUT", body: "put by url" })).status).toBe(200);
    expect(await (await s3.send(new GetObjectCommand({ Bucket: "v4-presign", Key: "put.txt" }))).Body!.transformToString()).toBe("put by url");

    const old = await getSignedUrl(s3, new GetObjectCommand({ Bucket: "v4-presign", Key: "a b+c.txt" }), { expiresIn: 1, signingDate: new Date(Date.now() - 600_000) });
    const expired = await fetch(old);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("<Code>AccessDenied</Code><Message>Request has expired</Message>");
  });

  it("boto3 addresses buckets as virtual hosts (bucket.localhost)", async () => {
    const port = new URL(server.url).port;
    const out = await boto3<{ body: string; keys: string[] }>(
      server.url,
      `
import socket
from botocore.config import Config
real = socket.getaddrinfo
socket.getaddrinfo = lambda host, *a, **k: real("127.0.0.1", *a, **k)
s3 = boto3.client("s3", endpoint_url="http://localhost:${port}", config=Config(s3={"addressing_style": "virtual"}))
s3.create_bucket(Bucket="vhost-boto")
s3.put_object(Bucket="vhost-boto", Key="x/y z", Body=b"hosted")
body = s3.get_object(Bucket="vhost-boto", Key="x/y z")["Body"].read().decode()
keys = [c["Key"] for c in s3.list_objects_v2(Bucket="vhost-boto")["Contents"]]
print(json.dumps({"body": body, "keys": keys}))
`,
    );
    expect(out).toEqual({ body: "hosted", keys: ["x/y z"] });
    expect(lastRecord(server.localtrail, "PutObject").requestParameters).toMatchObject({ bucketName: "vhost-boto", Host: `vhost-boto.localhost:${port}`, key: "x/y z" });
  });
});
