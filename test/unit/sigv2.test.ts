import { describe, expect, it } from "vitest";
import { sigV2Scheme } from "../../src/auth/sigv2.js";
import type { RawRequest } from "../../src/types/request-context.js";

// The examples of the S3 developer guide, "Signing and authenticating REST requests" (signature version 2).
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

function raw(path: string, query: string, headers: Record<string, string>, method = "GET"): RawRequest {
  return { method, target: query ? `${path}?${query}` : path, path, query, headers, sourceIp: "127.0.0.1" };
}

function claimOf(request: RawRequest) {
  const parsed = sigV2Scheme.parse(request, new URLSearchParams(request.query));
  if (!parsed || "malformed" in parsed) throw new Error(`not a SigV2 claim: ${JSON.stringify(parsed)}`);
  return parsed.claim;
}

describe("S3 signature version 2", () => {
  it("verifies the guide's Authorization header example (virtual-hosted GET)", async () => {
    const claim = claimOf(
      raw("/photos/puppy.jpg", "", {
        host: "awsexamplebucket1.us-west-1.s3.amazonaws.com",
        date: "Tue, 27 Mar 2007 19:36:42 +0000",
        authorization: "AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=",
      }),
    );
    expect(claim).toMatchObject({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", signatureVersion: "SigV2", method: "AuthHeader" });
    expect(claim.signedAt.toISOString()).toBe("2007-03-27T19:36:42.000Z");
    expect(await claim.verify(SECRET, undefined)).toBe(true);
    expect(await claim.verify("another secret", undefined)).toBe(false);
  });

  it("verifies the guide's query string example, and reads its expiry", async () => {
    const claim = claimOf(
      raw("/photos/puppy.jpg", "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620", { host: "johnsmith.s3.amazonaws.com" }),
    );
    expect(claim.method).toBe("QueryString");
    expect(claim.expiresAt?.getTime()).toBe(1175139620 * 1000);
    expect(await claim.verify(SECRET, undefined)).toBe(true);
  });

  it("signs sub-resources and x-amz-* headers but not other query parameters", async () => {
    // Sub-resources sorted by name; x-id (an SDK routing hint) is not one.
    const stringToSign = "PUT\n\ntext/plain\nTue, 27 Mar 2007 19:36:42 +0000\nx-amz-meta-a:1\n/bkt/k?partNumber=2&uploadId=u";
    const { createHmac } = await import("node:crypto");
    const signature = createHmac("sha1", SECRET).update(stringToSign).digest("base64");
    const claim = claimOf(
      raw("/bkt/k", "uploadId=u&partNumber=2&x-id=UploadPart", {
        host: "127.0.0.1:4566",
        date: "Tue, 27 Mar 2007 19:36:42 +0000",
        "content-type": "text/plain",
        "x-amz-meta-a": "1",
        authorization: `AWS AKIAIOSFODNN7EXAMPLE:${signature}`,
      }, "PUT"),
    );
    expect(await claim.verify(SECRET, undefined)).toBe(true);
  });

  it("leaves SigV4 requests to the SigV4 scheme and rejects a malformed header", () => {
    expect(sigV2Scheme.parse(raw("/", "", { authorization: "AWS4-HMAC-SHA256 Credential=x" }), new URLSearchParams())).toBeUndefined();
    expect(sigV2Scheme.parse(raw("/", "", { authorization: "AWS nocolon", date: "Tue, 27 Mar 2007 19:36:42 +0000" }), new URLSearchParams())).toHaveProperty("malformed");
  });
});
