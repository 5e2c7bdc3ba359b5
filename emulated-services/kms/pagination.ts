import { AwsError } from "../../src/types/aws-error.js";

/** KMS's Limit/Marker paging (ListKeys, ListAliases, ListResourceTags): Limit 1-1000, default 100. */
export function page<T>(items: T[], marker: string | undefined, limit: number | undefined): { items: T[]; NextMarker?: string; Truncated: boolean } {
  let start = 0;
  if (marker !== undefined) {
    start = Number(Buffer.from(marker, "base64url").toString("utf8"));
    if (!Number.isInteger(start) || start < 0 || start > items.length) throw new AwsError("InvalidMarkerException", "Invalid marker value.");
  }
  const end = start + (limit ?? 100);
  const truncated = end < items.length;
  return { items: items.slice(start, end), Truncated: truncated, NextMarker: truncated ? Buffer.from(String(end)).toString("base64url") : undefined };
}
