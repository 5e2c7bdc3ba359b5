import type { IncomingMessage } from "node:http";
import type { Call } from "./types/request-context.js";

/**
 * A new call from Node's request: the raw request target and raw headers, because SigV4 and S3 keys need
 * the bytes as sent (Hono's c.req.path is normalised and partly decoded; Node's headers object drops
 * repeated headers SigV4 must join).
 */
export function newCall(incoming: IncomingMessage, requestId: string, now: Date, defaultRegion: string): Call {
  const target = incoming.url ?? "/";
  const q = target.indexOf("?");
  // No prototype: a header named __proto__ is an ordinary entry, and lookups never see inherited names.
  const headers = Object.create(null) as Record<string, string>;
  const raw = incoming.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const seen = headers[name];
    headers[name] = seen === undefined ? value : `${seen},${value}`;
  }
  return {
    requestId,
    receivedAt: now,
    raw: {
      method: incoming.method ?? "GET",
      target,
      path: q === -1 ? target : target.slice(0, q),
      query: q === -1 ? "" : target.slice(q + 1),
      headers,
      sourceIp: peerAddress(incoming),
    },
    bodyStream: incoming,
    region: defaultRegion,
    touchedState: new Set(),
  };
}

/** The TCP peer, with IPv4-mapped IPv6 written as IPv4 as CloudTrail writes it. */
function peerAddress(incoming: IncomingMessage): string {
  const address = incoming.socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
