import type { RawRequest } from "../../src/types/request-context.js";

/**
 * Path-style and virtual-hosted addressing (reference/protocols.md §1.6). A virtual host is
 * `<bucket>.localhost`, `<bucket>.s3.<anything>` (bkt.s3.localhost, bkt.s3.us-east-1.amazonaws.com,
 * bkt.s3.localhost.localstack.cloud) or `<bucket>.<base>` for a configured base host. The key is always
 * the raw request path, so `..`, `//` and `%2F` stay in it as sent.
 */
export function virtualHostBucket(host: string | undefined, baseHosts: readonly string[]): string | undefined {
  if (!host) return undefined;
  const name = host.toLowerCase().replace(/:\d+$/, "");
  // An IP address (or [::1]) never names a bucket.
  if (/^[\d.]+$/.test(name) || name.startsWith("[")) return undefined;
  const s3 = /^(.+)\.s3[.-]/.exec(name);
  if (s3) return s3[1];
  for (const base of ["localhost", ...baseHosts]) {
    if (!name.endsWith(`.${base}`)) continue;
    const bucket = name.slice(0, -(base.length + 1));
    // `s3.localhost` is the endpoint itself, not a bucket named s3.
    return bucket === "s3" ? undefined : bucket;
  }
  return undefined;
}

/** The path the router matches: a virtual-hosted request routes as if its bucket were the first segment. */
export function routingPath(raw: RawRequest, baseHosts: readonly string[]): string {
  const bucket = virtualHostBucket(raw.headers["host"], baseHosts);
  return bucket === undefined ? raw.path : `/${bucket}${raw.path}`;
}

/** Operations that share `/{Bucket}/{Key+}` and a method; the query string and headers tell them apart. */
const SHARED_ROUTE = new Set(["PutObject", "CopyObject", "UploadPart", "UploadPartCopy", "GetObject", "ListParts", "DeleteObject", "AbortMultipartUpload", "CompleteMultipartUpload"]);

export function chooseOperation(candidates: string[], raw: RawRequest, query: URLSearchParams): string | undefined {
  const first = candidates[0];
  // The model keeps deprecated operations on their successors' routes (PutBucketNotification beside
  // PutBucketNotificationConfiguration); today's clients send the successor's request.
  if (first !== undefined && candidates.includes(`${first}Configuration`)) return `${first}Configuration`;
  if (first === undefined || !SHARED_ROUTE.has(first)) return first;
  const upload = query.has("uploadId");
  const copy = raw.headers["x-amz-copy-source"] !== undefined;
  let chosen: string;
  switch (raw.method) {
    case "PUT":
      chosen = upload && query.has("partNumber") ? (copy ? "UploadPartCopy" : "UploadPart") : copy ? "CopyObject" : "PutObject";
      break;
    case "GET":
      chosen = upload ? "ListParts" : "GetObject";
      break;
    case "DELETE":
      chosen = upload ? "AbortMultipartUpload" : "DeleteObject";
      break;
    default:
      chosen = first;
  }
  return candidates.includes(chosen) ? chosen : first;
}
