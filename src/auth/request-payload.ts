import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import { AwsError } from "../types/aws-error.js";
import type { Call } from "../types/request-context.js";
import { AwsChunkedDecoder, decodeAwsChunkedBuffer, isAwsChunked, type ChunkSigning } from "./aws-chunked.js";

/**
 * The body as the operation sees it, once the signature is known good: aws-chunked decoded (chunk
 * signatures checked when `signing` is given), and a streamed body checked against a hex
 * x-amz-content-sha256 as it is read (the signer trusted that header instead of hashing the body).
 */
export async function preparePayload(call: Call, options: { signing?: ChunkSigning; verify: boolean }): Promise<void> {
  const headers = call.raw.headers;
  if (isAwsChunked(headers)) {
    if (call.bodyStream) call.bodyStream = call.bodyStream.pipe(forwardErrors(call.bodyStream, new AwsChunkedDecoder(headers, options.signing)));
    else if (call.body) call.body = await decodeAwsChunkedBuffer(call.body, headers, options.signing);
    return;
  }
  const claimed = headers["x-amz-content-sha256"];
  if (options.verify && call.bodyStream && claimed && /^[0-9a-fA-F]{64}$/.test(claimed)) {
    call.bodyStream = call.bodyStream.pipe(forwardErrors(call.bodyStream, sha256Check(claimed.toLowerCase())));
  }
}

/** S3's answer when the body does not hash to the x-amz-content-sha256 the client signed. */
export function contentSha256Mismatch(claimed: string, computed: string): AwsError {
  return new AwsError("XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.", {
    status: 400,
    fields: { ClientComputedContentSHA256: claimed, S3ComputedContentSHA256: computed },
  });
}

function sha256Check(claimed: string): Transform {
  const hash = createHash("sha256");
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      const computed = hash.digest("hex");
      done(computed === claimed ? null : contentSha256Mismatch(claimed, computed));
    },
  });
}

/** `pipe` does not pass a source's error on; the consumer must still see it (a client that hangs up mid-upload). */
function forwardErrors<T extends Transform>(source: NodeJS.ReadableStream, target: T): T {
  source.once("error", (e: Error) => target.destroy(e));
  return target;
}
