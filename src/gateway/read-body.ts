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
      stream.resume(); // let the rest drain; the answer does not wait for it
      throw bodyTooLarge(protocol, limit);
    }
    chunks.push(chunk as Buffer);
  }
  call.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
