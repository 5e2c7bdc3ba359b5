import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { SignatureV4 } from "@smithy/signature-v4";
import { Hash } from "@smithy/core/serde";
import { STSClient, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { signRequest } from "../helpers/signed-request.js";
import { clientConfig } from "../helpers/clients.js";

const FORM = "application/x-www-form-urlencoded; charset=utf-8";
const JSON11 = "application/x-amz-json-1.1";

describe("signature verification", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  const iamCall = (overrides: Parameters<typeof signRequest>[0] extends infer O ? Partial<O> : never = {}) =>
    signRequest({ url: server.url, service: "iam", body: "Action=ListUsers&Version=2010-05-08", headers: { "content-type": FORM }, ...overrides });

  async function send(signed: { method: string; path: string; headers: Record<string, string>; body: string }) {
    let r = request(server.url).post(signed.path);
    for (const [k, v] of Object.entries(signed.headers)) if (k !== "host") r = r.set(k, v);
    return r.send(signed.body);
  }

  it("accepts a correctly signed request", async () => {
    const res = await send(await iamCall());
    expect(res.status).toBe(200);
    expect(res.text).toContain("<ListUsersResponse");
  });

  it("answers a wrong secret with SignatureDoesNotMatch (403) and records nothing", async () => {
    const before = server.localtrail.eventLog.size;
    const res = await send(await iamCall({ secretAccessKey: "wrong" }));
    expect(res.status).toBe(403);
    expect(res.text).toContain("<Code>SignatureDoesNotMatch</Code>");
    expect(server.localtrail.eventLog.size).toBe(before);
  });

  it("answers an unknown key with each protocol's spelling", async () => {
    const iam = await send(await iamCall({ accessKeyId: "AKIANOTAREALKEY00000" }));
    expect(iam.status).toBe(403);
    expect(iam.text).toContain("<Code>InvalidClientTokenId</Code>");
    const ct = await send(
      await signRequest({ url: server.url, service: "cloudtrail", body: "{}", headers: { "content-type": JSON11, "x-amz-target": "CloudTrail_20131101.LookupEvents" }, accessKeyId: "AKIANOTAREALKEY00000" }),
    );
    expect(ct.status).toBe(400);
    expect(JSON.parse(ct.text)).toEqual({ __type: "UnrecognizedClientException", message: "The security token included in the request is invalid." });
  });

  it("rejects a body that does not match its signed x-amz-content-sha256", async () => {
    const signed = await iamCall({ headers: { "content-type": FORM, "x-amz-content-sha256": "0".repeat(64) } });
    const res = await send(signed);
    expect(res.status).toBe(403);
    expect(res.text).toContain("SignatureDoesNotMatch");
  });

  it("rejects signatures older than 15 minutes with AWS's message", async () => {
    const res = await send(await iamCall({ date: new Date(Date.now() - 20 * 60_000) }));
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/<Code>SignatureDoesNotMatch<\/Code><Message>Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)/);
  });

  it("answers a malformed Authorization header with IncompleteSignature and a missing one with MissingAuthenticationToken", async () => {
    const malformed = await request(server.url).post("/").set("content-type", FORM).set("authorization", "AWS4-HMAC-SHA256 Credential=garbage").send("Action=ListUsers&Version=2010-05-08");
    expect(malformed.status).toBe(400);
    expect(malformed.text).toContain("<Code>IncompleteSignature</Code>");
    const missing = await request(server.url).post("/").set("content-type", FORM).send("Action=ListUsers&Version=2010-05-08");
    expect(missing.status).toBe(403);
    expect(missing.text).toContain("<Code>MissingAuthenticationToken</Code>");
  });

  it("refuses a credential scope whose region is not a region (regions become file names)", async () => {
    for (const region of ["../../etc", "US_EAST_1"]) {
      const res = await send(await iamCall({ region }));
      expect(res.status).toBe(400);
      expect(res.text).toContain("<Code>IncompleteSignature</Code>");
    }
  });

  it("verifies presigned query-string requests (STS GetCallerIdentity by GET)", async () => {
    const url = new URL(server.url);
    const signer = new SignatureV4({ credentials: { accessKeyId: "test", secretAccessKey: "test" }, region: "us-east-1", service: "sts", sha256: Hash.bind(null, "sha256") });
    const presigned = await signer.presign(
      { method: "GET", protocol: "http:", hostname: url.hostname, port: Number(url.port), path: "/", query: { Action: "GetCallerIdentity", Version: "2011-06-15" }, headers: { host: url.host } },
      { expiresIn: 300 },
    );
    const qs = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const ok = await request(server.url).get(`/?${qs}`);
    expect(ok.status).toBe(200);
    expect(ok.text).toContain("<Arn>arn:aws:iam::000000000000:root</Arn>");
    const tampered = await request(server.url).get(`/?${qs.replace("Version=2011-06-15", "Version=2011-06-15&Extra=1")}`);
    expect(tampered.status).toBe(403);
  });

  it("identifies a 12-digit access key as the root of that account", async () => {
    const sts = new STSClient(clientConfig(server.url, { accessKeyId: "111122223333", secretAccessKey: "test" }));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe("arn:aws:iam::111122223333:root");
  });
});

describe("--no-verify", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ flags: ["--no-verify"] });
  });
  afterAll(() => server.close());

  it("skips signature checks but still takes the identity from the key", async () => {
    const sts = new STSClient(clientConfig(server.url, { accessKeyId: "222233334444", secretAccessKey: "anything" }));
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe("222233334444");
    const unknown = new STSClient(clientConfig(server.url, { accessKeyId: "AKIAWHOEVER000000000", secretAccessKey: "x" }));
    expect((await unknown.send(new GetCallerIdentityCommand({}))).Account).toBe("000000000000");
  });
});
