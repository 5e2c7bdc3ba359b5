import { AwsError } from "../../src/types/aws-error.js";

export interface Page<T> {
  items: T[];
  IsTruncated: boolean;
  Marker?: string;
}

/** IAM's Marker/MaxItems paging: MaxItems defaults to 100; the marker is opaque to clients. */
export function paginate<T>(items: T[], marker: string | undefined, maxItems: number | undefined): Page<T> {
  let start = 0;
  if (marker !== undefined) {
    start = Number(Buffer.from(marker, "base64url").toString("utf8"));
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw new AwsError("InvalidInputException", "Invalid Marker.");
  }
  const size = maxItems ?? 100;
  const end = start + size;
  const truncated = end < items.length;
  return { items: items.slice(start, end), IsTruncated: truncated, Marker: truncated ? Buffer.from(String(end)).toString("base64url") : undefined };
}

/** Entities whose path starts with PathPrefix, sorted by name as IAM lists them. */
export function byPathPrefix<T extends { path: string }>(items: T[], prefix: string | undefined, name: (t: T) => string): T[] {
  return items.filter((t) => !prefix || t.path.startsWith(prefix)).sort((a, b) => name(a).localeCompare(name(b)));
}
