import type { Readable } from "node:stream";

/**
 * A request or response body too large to hold in memory: the codec hands the handler a stream for
 * streaming payload members (S3 PutObject, UploadPart), and a handler may answer with one (GetObject).
 */
export interface StreamingBlob {
  stream: Readable;
  /** Bytes in the stream when known in advance (Content-Length of a response). */
  length?: number;
}
