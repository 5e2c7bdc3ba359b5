import type { Call } from "../types/request-context.js";
import { AwsError } from "../types/aws-error.js";
import { bodyTooLarge } from "./gateway-errors.js";

/** Reads the request body into memory once, refusing more than `limit` bytes. */
export async function bufferBody(call: Call, limit: number): Promise<void> {
  if (call.body !== undefined || !call.bodyStream) return;
  const protocol = call.codec?.protocol;
  const stream = call.bodyStream;
  call.bodyStream = undefined;
  call.body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // The rest is drained unread, and the answer closes the connection: otherwise its remaining bytes
      // would be taken for the next request on it.
      stream.off("data", onData);
      stream.resume();
      call.bodyAbandoned = true;
      reject(bodyTooLarge(protocol, limit));
    };
    const onEnd = () => {
      stream.off("close", onClose);
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    // A client that goes away mid-body leaves neither end nor error behind.
    const onClose = () => reject(new AwsError("IncompleteBody", "The request body terminated unexpectedly", { status: 400 }));
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("error", reject);
    stream.once("close", onClose);
  });
}
