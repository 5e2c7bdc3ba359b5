import type { Server } from "node:http";
import type { Duplex } from "node:stream";

/**
 * Requests Node's HTTP parser refuses before any handler sees them: a request line or headers over the
 * size limit, bytes no header may hold. Node's default answer destroys the socket while the client may
 * still be sending, so the client sees a reset instead of an answer. Here the client gets an AWS-style
 * 400 and the connection is drained briefly before it closes, as HTTP servers do (lingering close).
 */
export function answerUnparseableRequests(server: Server): void {
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === "ECONNRESET") {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === "HPE_HEADER_OVERFLOW" || error.code === "HPE_URI_TOO_LONG";
    const code = tooLarge ? "RequestHeaderSectionTooLarge" : "BadRequest";
    const message = tooLarge ? "Your request header section exceeds the maximum allowed size." : "The request could not be parsed as HTTP.";
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/xml\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    socket.on("data", () => {});
    socket.on("error", () => {});
    setTimeout(() => socket.destroy(), 2000).unref();
  });
}
