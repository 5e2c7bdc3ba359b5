import { createHash, createHmac } from "node:crypto";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { AwsChunkedDecoder, isAwsChunked, signingKey, type ChunkSigning } from "../../src/auth/aws-chunked.js";
import { isAwsError } from "../../src/types/aws-error.js";

// The worked example of the S3 API reference, "Signature calculations for the Authorization header:
// transferring payload in multiple chunks": 65,536 + 1,024 bytes of "a" in chunks of 64 KiB.
const SIGNING: ChunkSigning = {
  signingKey: signingKey("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "20130524", "us-east-1", "s3"),
  amzDate: "20130524T000000Z",
  scope: "20130524/us-east-1/s3/aws4_request",
  seedSignature: "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
};
const SIGNED_HEADERS = { "content-encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "x-amz-decoded-content-length": "66560" };

function awsExampleBody(): Buffer {
  const a = (n: number) => Buffer.alloc(n, "a");
  return Buffer.concat([
    Buffer.from("10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648\r\n"),
    a(65536),
    Buffer.from("\r\n400;chunk-signature=0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n"),
    a(1024),
    Buffer.from("\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9\r\n\r\n"),
  ]);
}

/** Feeds `body` to a decoder in pieces of `split` bytes; resolves with the decoded bytes or the error. */
async function decode(body: Buffer, headers: Record<string, string>, signing?: ChunkSigning, split = 1 << 20): Promise<{ data: Buffer; trailers: Record<string, string> } | { error: unknown }> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += split) pieces.push(body.subarray(i, i + split));
  const decoder = new AwsChunkedDecoder(headers, signing);
  const out: Buffer[] = [];
  try {
    for await (const chunk of Readable.from(pieces).pipe(decoder)) out.push(chunk as Buffer);
    return { data: Buffer.concat(out), trailers: decoder.trailers };
  } catch (error) {
    return { error };
  }
}

const errorCode = (result: Awaited<ReturnType<typeof decode>>) => ("error" in result && isAwsError(result.error) ? result.error.code : undefined);

describe("aws-chunked decoding", () => {
  it("recognises aws-chunked by Content-Encoding or by a STREAMING- payload hash", () => {
    expect(isAwsChunked({ "content-encoding": "gzip,aws-chunked" })).toBe(true);
    expect(isAwsChunked({ "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER" })).toBe(true);
    expect(isAwsChunked({ "content-encoding": "gzip", "x-amz-content-sha256": "UNSIGNED-PAYLOAD" })).toBe(false);
  });

  it("decodes AWS's signed example and checks every chunk signature, however the bytes arrive", async () => {
    expect(awsExampleBody().length).toBe(66824); // the example's Content-Length
    for (const split of [1 << 20, 1000, 7, 3]) {
      const result = await decode(awsExampleBody(), SIGNED_HEADERS, SIGNING, split);
      expect("data" in result && result.data.equals(Buffer.alloc(66560, "a")), `split ${split}`).toBe(true);
    }
  });

  it("answers SignatureDoesNotMatch when one byte of a signed chunk changed", async () => {
    const body = awsExampleBody();
    body[200] = "b".charCodeAt(0);
    expect(errorCode(await decode(body, SIGNED_HEADERS, SIGNING))).toBe("SignatureDoesNotMatch");
  });

  it("decodes signed chunks without checking them when no signing key is given (--no-verify)", async () => {
    const body = awsExampleBody();
    body[200] = "b".charCodeAt(0);
    const result = await decode(body, SIGNED_HEADERS);
    expect("data" in result && result.data.length).toBe(66560);
  });

  it("reads the unsigned trailer variant SDK v3 sends and checks the trailing CRC32", async () => {
    const headers = { "content-encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-trailer": "x-amz-checksum-crc32", "x-amz-decoded-content-length": "11" };
    const body = (crc: string) => Buffer.from(`6\r\nhello \r\n5\r\nworld\r\n0\r\nx-amz-checksum-crc32:${crc}\r\n\r\n`);
    // A signing key changes nothing for an unsigned payload: its chunks carry no signatures.
    const ok = await decode(body("DUoRhQ=="), headers, SIGNING, 5);
    expect("data" in ok && ok.data.toString()).toBe("hello world");
    expect("data" in ok && ok.trailers).toEqual({ "x-amz-checksum-crc32": "DUoRhQ==" });
    expect(errorCode(await decode(body("AAAAAA=="), headers))).toBe("BadDigest");
    expect(errorCode(await decode(Buffer.from("6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n"), headers))).toBe("MalformedTrailerError");
  });

  it("checks a signed trailer's signature", async () => {
    const headers = { "content-encoding": "aws-chunked", "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER", "x-amz-trailer": "x-amz-checksum-crc32", "x-amz-decoded-content-length": "11" };
    const sign = (stringToSign: string) => createHmac("sha256", SIGNING.signingKey).update(stringToSign).digest("hex");
    const sha = (b: string | Buffer) => createHash("sha256").update(b).digest("hex");
    const chunk = sign(["AWS4-HMAC-SHA256-PAYLOAD", SIGNING.amzDate, SIGNING.scope, SIGNING.seedSignature, sha(""), sha("hello world")].join("\n"));
    const final = sign(["AWS4-HMAC-SHA256-PAYLOAD", SIGNING.amzDate, SIGNING.scope, chunk, sha(""), sha("")].join("\n"));
    const trailer = sign(["AWS4-HMAC-SHA256-TRAILER", SIGNING.amzDate, SIGNING.scope, final, sha("x-amz-checksum-crc32:DUoRhQ==\n")].join("\n"));
    const body = (trailerSignature: string) =>
      Buffer.from(`b;chunk-signature=${chunk}\r\nhello world\r\n0;chunk-signature=${final}\r\nx-amz-checksum-crc32:DUoRhQ==\r\nx-amz-trailer-signature:${trailerSignature}\r\n\r\n`);
    const ok = await decode(body(trailer), headers, SIGNING);
    expect("data" in ok && ok.data.toString()).toBe("hello world");
    expect(errorCode(await decode(body("0".repeat(64)), headers, SIGNING))).toBe("SignatureDoesNotMatch");
  });

  it("answers a short body with IncompleteBody and a garbage size line with InvalidChunkSizeError", async () => {
    const headers = { "content-encoding": "aws-chunked", "x-amz-decoded-content-length": "11" };
    expect(errorCode(await decode(Buffer.from("b\r\nhello"), headers))).toBe("IncompleteBody");
    expect(errorCode(await decode(Buffer.from("5\r\nhello\r\n0\r\n\r\n"), headers))).toBe("IncompleteBody");
    expect(errorCode(await decode(Buffer.from("zz\r\nhello\r\n"), headers))).toBe("InvalidChunkSizeError");
    expect(errorCode(await decode(Buffer.from(`${"1".repeat(5000)}`), headers))).toBe("InvalidChunkSizeError");
  });
});
