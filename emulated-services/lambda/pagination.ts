import { invalidParameter } from "./errors.js";

/** Lambda's Marker/MaxItems paging; the marker is opaque to clients (here the next item's position). */
export function paginate<T>(items: T[], marker: string | undefined, maxItems: number): { items: T[]; nextMarker?: string } {
  let start = 0;
  if (marker !== undefined) {
    start = Number(Buffer.from(marker, "base64url").toString("utf8"));
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw invalidParameter("Invalid Marker.");
  }
  const end = start + maxItems;
  return { items: items.slice(start, end), nextMarker: end < items.length ? Buffer.from(String(end)).toString("base64url") : undefined };
}
