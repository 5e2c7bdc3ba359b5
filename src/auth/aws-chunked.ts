import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { Readable, Transform, type TransformCallback } from "node:stream";
import { AwsError } from "../types/aws-error.js";
import { isChecksumAlgorithm, newChecksum, type Checksum, type ChecksumAlgorithm } from "../protocols/checksums.js";
import { authError } from "./auth-errors.js";
export { signingKey } from "./sigv4-signing.js";

/** What verifying signed chunks needs (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]): the seed request's facts. */
export interface ChunkSigning {
  signingKey: Buffer;
  /** X-Amz-Date of the seed request. */
  amzDate: string;
  /** date/region/service/aws4_request */
  scope: string;
  /** The seed request's signature: the "previous signature" of the first chunk. */
  seedSignature: string;
}

const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const MAX_LINE = 4096;
const CRLF = Buffer.from("\r\n");

/**
 * An aws-chunked body (reference/protocols.md §4.2): clients say so in Content-Encoding, or only in
 * x-amz-content-sha256 (some omit the encoding).
 */
export function isAwsChunked(headers: Record<string, string>): boolean {
  const encoding = headers["content-encoding"] ?? "";
  return encoding.split(",").some((t) => t.trim().toLowerCase() === "aws-chunked") || (headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-");
}

const incompleteBody = () => new AwsError("IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.", { status: 400 });
const invalidChunk = () => new AwsError("InvalidChunkSizeError", "Only the last chunk is allowed to have a size less than 8192 bytes", { status: 400 });
const malformedTrailer = () =>
  new AwsError("MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.", { status: 400 });
const badChecksum = (algorithm: string) => new AwsError("BadDigest", `The ${algorithm} you specified did not match the calculated checksum.`, { status: 400 });

type State = "size" | "data" | "crlf" | "trailer" | "done";

/**
 * Decodes aws-chunked as it streams: `hex-size[;chunk-signature=sig]\r\n data \r\n ... 0\r\n trailers \r\n`.
 * Passes the data on without buffering it, checks each chunk's signature when `signing` is given, checks
 * the decoded length against x-amz-decoded-content-length and the trailing checksum (named in x-amz-trailer)
 * against the data. Every failure is the AwsError S3 answers with.
 */
export class AwsChunkedDecoder extends Transform {
  /** Trailing headers, lower-case names (x-amz-checksum-crc32 ...), once the body has ended. */
  readonly trailers: Record<string, string> = {};
  private state: State = "size";
  private pending = Buffer.alloc(0);
  private remaining = 0;
  private decoded = 0;
  private chunkHash: ReturnType<typeof createHash> | undefined;
  private chunkSignature: string | undefined;
  private previousSignature: string | undefined;
  private readonly trailerLines: string[] = [];
  private readonly checksum: { header: string; algorithm: ChecksumAlgorithm; sum: Checksum } | undefined;
  private readonly decodedLength: number | undefined;

  private readonly signing: ChunkSigning | undefined;

  /** `signing` is used only when the payload says its chunks are signed (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]). */
  constructor(headers: Record<string, string>, signing?: ChunkSigning) {
    super();
    this.signing = (headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD") ? signing : undefined;
    this.previousSignature = this.signing?.seedSignature;
    const declared = headers["x-amz-decoded-content-length"];
    this.decodedLength = declared !== undefined && /^\d+$/.test(declared) ? Number(declared) : undefined;
    const trailer = (headers["x-amz-trailer"] ?? "").trim().toLowerCase();
    const algorithm = trailer.startsWith("x-amz-checksum-") ? trailer.slice("x-amz-checksum-".length).toUpperCase() : "";
    if (isChecksumAlgorithm(algorithm)) this.checksum = { header: trailer, algorithm, sum: newChecksum(algorithm) };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk);
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.finish();
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  private consume(input: Buffer): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, input]) : input;
    this.pending = Buffer.alloc(0);
    while (buf.length > 0) {
      switch (this.state) {
        case "size": {
          const line = takeLine(buf);
          if (!line) return this.keep(buf);
          buf = line.rest;
          this.startChunk(line.text);
          break;
        }
        case "data": {
          const n = Math.min(this.remaining, buf.length);
          const data = buf.subarray(0, n);
          buf = buf.subarray(n);
          this.remaining -= n;
          this.decoded += n;
          this.chunkHash?.update(data);
          this.checksum?.sum.update(data);
          this.push(data);
          if (this.remaining === 0) {
            this.endChunk();
            this.state = "crlf";
          }
          break;
        }
        case "crlf": {
          if (buf.length < 2) return this.keep(buf);
          if (!buf.subarray(0, 2).equals(CRLF)) throw invalidChunk();
          buf = buf.subarray(2);
          this.state = "size";
          break;
        }
        case "trailer": {
          const line = takeLine(buf);
          if (!line) return this.keep(buf);
          buf = line.rest;
          if (line.text === "") this.endTrailers();
          else this.trailerLine(line.text);
          break;
        }
        case "done":
          // Anything after the final CRLF is not part of the body.
          return;
      }
    }
  }

  private keep(buf: Buffer): void {
    if (buf.length > MAX_LINE && (this.state === "size" || this.state === "trailer")) throw this.state === "size" ? invalidChunk() : malformedTrailer();
    this.pending = Buffer.from(buf);
  }

  private startChunk(line: string): void {
    const [sizeHex = "", ...extensions] = line.split(";");
    if (!/^[0-9a-fA-F]{1,13}$/.test(sizeHex.trim())) throw invalidChunk();
    const size = parseInt(sizeHex.trim(), 16);
    this.chunkSignature = extensions.map((e) => /^\s*chunk-signature=([0-9a-fA-F]{64})\s*$/.exec(e)?.[1]).find(Boolean);
    if (this.signing && !this.chunkSignature) throw authError("rest-xml", "badSignature");
    this.chunkHash = this.signing ? createHash("sha256") : undefined;
    if (size === 0) {
      this.endChunk();
      this.state = "trailer";
      return;
    }
    this.remaining = size;
    this.state = "data";
  }

  /** chunk-signature = HMAC(kSigning, "AWS4-HMAC-SHA256-PAYLOAD\n" date \n scope \n previous \n sha256("") \n sha256(data)). */
  private endChunk(): void {
    if (!this.signing || !this.chunkHash) return;
    const stringToSign = ["AWS4-HMAC-SHA256-PAYLOAD", this.signing.amzDate, this.signing.scope, this.previousSignature, EMPTY_SHA256, this.chunkHash.digest("hex")].join("\n");
    this.previousSignature = this.expectSignature(stringToSign, this.chunkSignature);
  }

  private trailerLine(text: string): void {
    const colon = text.indexOf(":");
    if (colon <= 0) throw malformedTrailer();
    const name = text.slice(0, colon).trim().toLowerCase();
    const value = text.slice(colon + 1).trim();
    if (name === "x-amz-trailer-signature") {
      if (this.signing) {
        const hashed = createHash("sha256").update(this.trailerLines.map((l) => `${l}\n`).join("")).digest("hex");
        const stringToSign = ["AWS4-HMAC-SHA256-TRAILER", this.signing.amzDate, this.signing.scope, this.previousSignature, hashed].join("\n");
        this.expectSignature(stringToSign, value);
      }
      return;
    }
    this.trailers[name] = value;
    this.trailerLines.push(`${name}:${value}`);
  }

  private endTrailers(): void {
    this.state = "done";
  }

  private expectSignature(stringToSign: string, given: string | undefined): string {
    const expected = createHmac("sha256", this.signing!.signingKey).update(stringToSign).digest("hex");
    if (!given || given.length !== 64 || !timingSafeEqual(Buffer.from(expected), Buffer.from(given.toLowerCase()))) throw authError("rest-xml", "badSignature");
    return expected;
  }

  private finish(): void {
    // A body may end right after its trailers, without the last CRLF.
    if (this.state === "trailer" && this.pending.length > 0) this.trailerLine(this.pending.toString("latin1"));
    if (this.state !== "trailer" && this.state !== "done") throw incompleteBody();
    if (this.decodedLength !== undefined && this.decoded !== this.decodedLength) throw incompleteBody();
    if (this.checksum) {
      const sent = this.trailers[this.checksum.header];
      if (sent === undefined) throw malformedTrailer();
      if (sent !== this.checksum.sum.digest().toString("base64")) throw badChecksum(this.checksum.algorithm);
    }
  }
}

function takeLine(buf: Buffer): { text: string; rest: Buffer } | undefined {
  const end = buf.indexOf(CRLF);
  if (end === -1) return undefined;
  return { text: buf.subarray(0, end).toString("latin1"), rest: buf.subarray(end + 2) };
}

/** Decodes a body already held in memory (an aws-chunked body of an operation without a streaming payload). */
export async function decodeAwsChunkedBuffer(body: Buffer, headers: Record<string, string>, signing?: ChunkSigning): Promise<Buffer> {
  const decoder = Readable.from([body]).pipe(new AwsChunkedDecoder(headers, signing));
  const parts: Buffer[] = [];
  for await (const part of decoder) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
