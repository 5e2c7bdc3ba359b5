import { describe, expect, it } from "vitest";
import { SignatureV4 } from "@smithy/signature-v4";
import { Hash } from "@smithy/core/serde";
import { sigV4Scheme } from "../../src/auth/sigv4.js";
import { escapeUri } from "../../src/auth/sigv4-signing.js";
import type { RawRequest } from "../../src/types/request-context.js";

/**
 * @smithy/signature-v4, the signer of SDK v3, is the oracle: every request it signs must verify, and any
 * change to a signed part must not.
 */
const date = new Date();
const signer = (service: string) =>
  new SignatureV4({ credentials: { accessKeyId: "test", secretAccessKey: "test" }, region: "eu-west-1", service, sha256: Hash.bind(null, "sha256"), uriEscapePath: service !== "s3" });

const rawQuery = (query: Record<string, string | string[]>) =>
  Object.entries(query)
    .flatMap(([k, v]) => ([] as string[]).concat(v).map((x) => `${escapeUri(k)}=${escapeUri(x)}`))
    .join("&");

async function headerSigned(service: string, path: string, query: Record<string, string | string[]>, headers: Record<string, string>, body: string): Promise<RawRequest> {
  const signed = await signer(service).sign({ method: "PUT", protocol: "http:", hostname: "127.0.0.1", port: 4566, path, query, headers: { host: "127.0.0.1:4566", ...headers }, body }, { signingDate: date });
  const lower = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const q = rawQuery(query);
  return { method: "PUT", target: q ? `${path}?${q}` : path, path, query: q, headers: lower, sourceIp: "" };
}

async function verifies(raw: RawRequest, body: string, secret = "test"): Promise<boolean> {
  const parsed = sigV4Scheme.parse(raw, new URLSearchParams(raw.query));
  if (!parsed || "malformed" in parsed) return false;
  return parsed.claim.verify(secret, Buffer.from(body));
}

const CASES: [string, string, Record<string, string | string[]>, Record<string, string>][] = [
  ["iam", "/", {}, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" }],
  ["lambda", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Af/invocations", { Qualifier: "$LATEST" }, { "x-amz-log-type": "Tail" }],
  ["s3", "/bkt/a%20b%2Bc/..//d%2Fe~%E2%82%AC", { "x-id": "PutObject", prefix: "a b+c", empty: "" }, { "x-amz-meta-who": "  john   smith ", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }],
  ["s3", "/bkt/", { "list-type": "2", "start-after": "k!'()*", dup: ["b", "a"] }, { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" }],
  ["cloudtrail", "/", {}, { "x-amz-target": "CloudTrail_20131101.LookupEvents", "content-type": "application/x-amz-json-1.1" }],
];

describe("SigV4 verification against the SDK's own signer", () => {
  for (const [service, path, query, headers] of CASES) {
    it(`${service} ${path}`, async () => {
      const body = "Action=ListUsers&Version=2010-05-08";
      const raw = await headerSigned(service, path, query, headers, body);
      expect(await verifies(raw, body)).toBe(true);
      expect(await verifies(raw, body, "wrong")).toBe(false);
      // The signer puts the body's hash in x-amz-content-sha256 and signs that; authenticate checks the
      // body against it, the signature covers the header.
      expect(await verifies({ ...raw, headers: { ...raw.headers, "x-amz-content-sha256": "0".repeat(64) } }, body)).toBe(false);
      const otherPath = path === "/" ? "/x" : path.replace(/.$/, (c) => (c === "a" ? "b" : "a"));
      expect(await verifies({ ...raw, path: otherPath }, body)).toBe(false);
      expect(await verifies({ ...raw, query: raw.query + "&extra=1" }, body)).toBe(false);
      const signedName = /SignedHeaders=([^,]+)/.exec(raw.headers.authorization!)![1]!.split(";").find((n) => n !== "host")!;
      expect(await verifies({ ...raw, headers: { ...raw.headers, [signedName]: raw.headers[signedName] + "!" } }, body)).toBe(false);
    });
  }

  it("presigned S3 and STS URLs", async () => {
    for (const [service, query] of [
      ["s3", { "x-id": "GetObject" }],
      ["sts", { Action: "GetCallerIdentity", Version: "2011-06-15" }],
    ] as const) {
      // The S3 presigners of SDK v3 and boto3 sign UNSIGNED-PAYLOAD (SDK v3 puts it in the query).
      const payload: Record<string, string> = service === "s3" ? { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } : {};
      const presigned = await signer(service).presign({ method: "GET", protocol: "http:", hostname: "127.0.0.1", port: 4566, path: "/bkt/a%20b", query, headers: { host: "127.0.0.1:4566", ...payload } }, { signingDate: date, expiresIn: 300 });
      const q = rawQuery(presigned.query as Record<string, string>);
      const raw: RawRequest = { method: "GET", target: `/bkt/a%20b?${q}`, path: "/bkt/a%20b", query: q, headers: { host: "127.0.0.1:4566" }, sourceIp: "" };
      expect(await verifies(raw, ""), service).toBe(true);
      expect(await verifies({ ...raw, query: q.replace("X-Amz-Expires=300", "X-Amz-Expires=301") }, ""), service).toBe(false);
    }
  });
});
