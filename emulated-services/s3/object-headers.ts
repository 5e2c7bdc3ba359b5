import type { CallContext } from "../../src/types/service.js";
import { encryptionOf } from "./body-checks.js";
import { checkTags } from "./bucket-config.js";
import { keyTooLong } from "./errors.js";
import type { ObjectHeaders, StoredTag } from "./state.js";

/** S3 keys are at most 1,024 bytes of UTF-8. */
export function checkKey(key: string): void {
  if (Buffer.byteLength(key) > 1024) throw keyTooLong();
}

/** The headers of a write that become the object's own (Content-Type, user metadata, storage class...). */
export function objectHeadersOf(
  input: {
    ContentType?: string;
    ContentEncoding?: string;
    ContentLanguage?: string;
    ContentDisposition?: string;
    CacheControl?: string;
    Expires?: string;
    WebsiteRedirectLocation?: string;
    Metadata?: Record<string, string>;
    StorageClass?: string;
    Tagging?: string;
  },
  ctx: CallContext,
): ObjectHeaders {
  return {
    contentType: input.ContentType ?? "binary/octet-stream",
    contentEncoding: withoutAwsChunked(input.ContentEncoding),
    contentLanguage: input.ContentLanguage,
    contentDisposition: input.ContentDisposition,
    cacheControl: input.CacheControl,
    expires: input.Expires,
    websiteRedirectLocation: input.WebsiteRedirectLocation,
    metadata: input.Metadata ?? {},
    storageClass: input.StorageClass && input.StorageClass !== "STANDARD" ? input.StorageClass : undefined,
    tagging: input.Tagging === undefined ? undefined : parseTagging(input.Tagging),
    ...encryptionOf(input as Parameters<typeof encryptionOf>[0], ctx),
  };
}

/** `aws-chunked` describes the upload, not the object: S3 keeps only the other encodings. */
function withoutAwsChunked(encoding: string | undefined): string | undefined {
  if (encoding === undefined) return undefined;
  const kept = encoding
    .split(",")
    .map((t) => t.trim())
    .filter((t) => t && t.toLowerCase() !== "aws-chunked");
  return kept.length ? kept.join(",") : undefined;
}

/** x-amz-tagging is a query string: `k1=v1&k2=v2`, with the rules of PutObjectTagging. */
function parseTagging(header: string): StoredTag[] {
  return checkTags([...new URLSearchParams(header)].map(([Key, Value]) => ({ Key, Value })), 10, "Object tags cannot be greater than 10");
}
