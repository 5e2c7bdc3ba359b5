import type { Call } from "../types/request-context.js";
import { bodyTooLarge } from "./gateway-errors.js";

/** Reads the request body into memory once, refusing more than `limit` bytes. */
export async function bufferBody(call: Call, limit: number): Promise<void> {
  const protocol = call.codec?.protocol;
  if (call.body !== undefined || !call.bodyStream) return;
  const stream = call.bodyStream;
  call.bodyStream = undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      // The rest is not read: the answer closes the connection, or its remaining bytes would be taken
      // for the next request on it.
      call.bodyAbandoned = true;
      stream.resume();
      throw bodyTooLarge(protocol, limit);
    }
    chunks.push(chunk as Buffer);
  }
  call.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
