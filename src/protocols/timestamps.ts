/** Timestamp formats of the wire protocols (reference/protocols.md §2.0). */

/** ISO 8601 to the second, as AWS's query and XML services write it: 2026-11-24T13:19:06Z. */
export const isoSeconds = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

/** ISO 8601 with milliseconds (EC2): 2026-11-24T13:19:06.000Z. */
export const isoMillis = (d: Date): string => d.toISOString();

/** RFC 7231 for HTTP headers (Last-Modified): Tue, 24 Nov 2026 13:19:14 GMT. */
export const httpDate = (d: Date): string => d.toUTCString();

/** Epoch seconds with a millisecond fraction, the JSON protocols' form. */
export const epochSeconds = (d: Date): number => d.getTime() / 1000;

/** Parses a timestamp a client sent: epoch seconds (number or numeric string), ISO 8601 or RFC 7231. */
export function parseTimestamp(value: unknown): Date | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? new Date(value * 1000) : undefined;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  if (/^-?\d+(\.\d+)?$/.test(value.trim())) return new Date(Number(value) * 1000);
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
