import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startProcess, type ServerProcess } from "../helpers/process.js";
import { signRequest } from "../helpers/signed-request.js";
import { findMarker } from "./marker.js";

const FORM = "application/x-www-form-urlencoded; charset=utf-8";
const BOMB = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><Tagging><TagSet><Tag><Key>&lol3;</Key><Value>v</Value></Tag></TagSet></Tagging>`;
const XXE = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Delete><Object><Key>&xxe;</Key></Object></Delete>`;

/** Sends raw bytes and returns the status line's code (undefined when the server answered nothing). */
function rawRequest(port: number, bytes: Buffer | string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let answer = "";
    socket.on("data", (d) => (answer += d.toString("latin1")));
    socket.on("error", () => {});
    socket.on("close", () => resolve(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ? Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)![1]) : undefined));
    socket.end(bytes);
  });
}

/**
 * What no SDK would send: entity bombs, oversized headers and bodies, invalid UTF-8, traversal in keys and
 * function names, bad and missing signatures, absurd headers. Every one gets an answer below 500, the
 * server stays up, and nothing lands outside the data dir.
 */
describe("hostile HTTP", () => {
  const workDir = mkdtempSync(join(tmpdir(), "localtrail-raw-"));
  const dataDir = join(workDir, "data");
  const marker = `lt-raw-evil-${process.pid}`;
  let server: ServerProcess;
  let port: number;
  beforeAll(async () => {
    server = await startProcess(["--port", "0", "--data-dir", dataDir], {}, workDir);
    port = Number(new URL(server.url).port);
    const bucket = await signRequest({ url: server.url, service: "s3", method: "PUT", path: "/fuzz", body: "", headers: { "x-amz-content-sha256": sha("") } });
    expect((await send(bucket)).status).toBe(200);
  });
  afterAll(async () => {
    server.proc.kill("SIGKILL");
    await server.exited;
    rmSync(workDir, { recursive: true, force: true });
  });

  const sha = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");
  /** Sends a request and reads the whole answer (an unread body keeps fetch's connection busy). */
  const send = async (r: { method: string; path: string; headers: Record<string, string>; body: string | Buffer }) => {
    const headers = { ...r.headers };
    delete headers.host;
    const res = await fetch(server.url + r.path, { method: r.method, headers, body: r.method === "GET" || r.method === "HEAD" ? undefined : r.body });
    await res.arrayBuffer();
    return res;
  };
  const status = async (res: Promise<Response>) => {
    const r = await res;
    await r.arrayBuffer();
    return r.status;
  };
  const s3 = (method: string, path: string, body: string) =>
    signRequest({ url: server.url, service: "s3", method, path, body, headers: { "x-amz-content-sha256": sha(body), "content-type": "application/xml" } });

  const cases: [string, () => Promise<number | undefined>][] = [
    ["an XML entity bomb to S3", async () => (await send(await s3("PUT", "/fuzz?tagging", BOMB))).status],
    ["an XXE to S3 DeleteObjects", async () => (await send(await s3("POST", "/fuzz?delete", XXE))).status],
    ["XML that never closes", async () => (await send(await s3("PUT", "/fuzz?tagging", "<Tagging><TagSet>"))).status],
    ["traversal in an S3 key", async () => (await send(await s3("PUT", `/fuzz/..%2F..%2F..%2F..%2F..%2Ftmp%2F${marker}`, "x"))).status],
    ["traversal with raw dot segments", async () => rawRequest(port, `PUT /fuzz/../../../../tmp/${marker} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n\r\nx`)],
    ["traversal in a function name", async () => (await send(await signRequest({ url: server.url, service: "lambda", method: "GET", path: `/2015-03-31/functions/..%2F..%2F..%2Ftmp%2F${marker}`, body: "", headers: {} }))).status],
    ["a function name of nulls", async () => (await send(await signRequest({ url: server.url, service: "lambda", method: "GET", path: "/2015-03-31/functions/%00%00", body: "", headers: {} }))).status],
    ["invalid UTF-8 in a form body", async () => (await send(await signRequest({ url: server.url, service: "iam", body: Buffer.from([0x41, 0x63, 0x74, 0x69, 0x6f, 0x6e, 0x3d, 0xff, 0xfe]).toString("latin1"), headers: { "content-type": FORM } }))).status],
    ["invalid UTF-8 in a request line", async () => rawRequest(port, Buffer.concat([Buffer.from("GET /fuzz/"), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(" HTTP/1.1\r\nHost: x\r\n\r\n")]))],
    ["a 20 KB header", async () => rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`)],
    ["a 100 KB request line", async () => rawRequest(port, `GET /fuzz/${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`)],
    ["a 20 MB form body", async () => (await send(await signRequest({ url: server.url, service: "iam", body: "Action=ListUsers&Version=2010-05-08&x=" + "a".repeat(20 << 20), headers: { "content-type": FORM } }))).status],
    ["deeply nested JSON", async () => (await send(await signRequest({ url: server.url, service: "cloudtrail", body: "[".repeat(200_000) + "]".repeat(200_000), headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "CloudTrail_20131101.LookupEvents" } }))).status],
    ["JSON of the wrong type everywhere", async () => (await send(await signRequest({ url: server.url, service: "cloudtrail", body: '{"LookupAttributes":"x","MaxResults":"NaN","StartTime":{}}', headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "CloudTrail_20131101.LookupEvents" } }))).status],
    ["garbage aws-chunked", async () => (await send(await signRequest({ url: server.url, service: "s3", method: "PUT", path: "/fuzz/chunked", body: "zz;chunk\r\nnonsense", headers: { "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "content-encoding": "aws-chunked", "x-amz-decoded-content-length": "99999999999" } }))).status],
    ["an absurd Range", async () => (await send(await signRequest({ url: server.url, service: "s3", method: "GET", path: "/fuzz/none", body: "", headers: { range: "bytes=99999999999999999999-1", "x-amz-content-sha256": sha("") } }))).status],
    ["a Bearer token", () => status(fetch(server.url + "/", { method: "POST", headers: { authorization: "Bearer abc", "content-type": FORM }, body: "Action=ListUsers&Version=2010-05-08" }))],
    ["a SigV4 header with a garbage signature", () => status(fetch(server.url + "/", { method: "POST", headers: { authorization: "AWS4-HMAC-SHA256 Credential=test/20261124/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=zz", "content-type": FORM }, body: "Action=ListUsers&Version=2010-05-08" }))],
    ["an unknown X-Amz-Target", async () => (await send(await signRequest({ url: server.url, service: "cloudtrail", body: "{}", headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": "CloudTrail_20131101.DropEverything" } }))).status],
    ["an unknown Action", async () => (await send(await signRequest({ url: server.url, service: "iam", body: "Action=DropEverything&Version=2010-05-08", headers: { "content-type": FORM } }))).status],
    ["an odd HTTP method", async () => rawRequest(port, "PROPFIND / HTTP/1.1\r\nHost: x\r\n\r\n")],
    ["a presigned URL that expired years ago", () => status(fetch(`${server.url}/fuzz/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20200101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20200101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=${"0".repeat(64)}`))],
    ["a SigV2 URL of garbage", () => status(fetch(`${server.url}/fuzz/k?AWSAccessKeyId=test&Signature=%%%&Expires=abc`))],
  ];

  for (const [name, attempt] of cases) {
    it(`answers ${name} below 500`, async () => {
      const status = await attempt();
      expect(status, "an HTTP answer").toBeTypeOf("number");
      expect(status).toBeLessThan(500);
    });
  }

  it("is still up, and wrote nothing outside its data dir", async () => {
    expect(await status(fetch(`${server.url}/_localtrail/health`))).toBe(200);
    expect(readdirSync(workDir)).toEqual(["data"]);
    expect(findMarker(marker, [tmpdir(), workDir, process.cwd(), homedir(), "/"], dataDir)).toEqual([]);
  });
});
