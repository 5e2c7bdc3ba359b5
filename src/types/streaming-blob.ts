import type { Readable } from "node:stream";

/**
 * A request or response body too large to hold in memory: the codec hands the handler a stream for
 * streaming payload members (S3 PutObject, UploadPart), and a handler may answer with one (GetObject).
 */
export interface StreamingBlob {
  stream: Readable;
  /** Bytes in the stream when known in advance (Content-Length of a response). */
  length?: number;
  /** The whole body, when it was small enough to be read at once (the stream then yields the same bytes). */
  bytes?: Buffer;
}

/** What a handler stores of a request body: the bytes when they are all here, else the stream. */
export const bodySource = (blob: StreamingBlob | undefined): Readable | Buffer => blob?.bytes ?? blob?.stream ?? Buffer.alloc(0);
