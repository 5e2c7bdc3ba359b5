import { AwsError } from "../../src/types/aws-error.js";
import { invalidRange, noSuchKey, preconditionFailed } from "./errors.js";
import type { StoredObject } from "./state.js";

export interface ReadConditions {
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: Date;
  IfUnmodifiedSince?: Date;
}

const notModified = () => new AwsError("NotModified", "Not Modified", { status: 304 });

/** Whether an If-Match / If-None-Match list names the ETag (`*` names any). */
function etagListHas(list: string, etag: string): boolean {
  return list.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === etag || `"${tag}"` === etag;
  });
}

/** Last-Modified has whole seconds on the wire, so comparisons drop the milliseconds. */
const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/**
 * GET and HEAD preconditions in RFC 7232's order, as S3 applies them: If-Match, else If-Unmodified-Since
 * (412 PreconditionFailed); then If-None-Match, else If-Modified-Since (304 Not Modified).
 */
export function checkReadConditions(object: StoredObject, c: ReadConditions): void {
  const modified = seconds(object.lastModified);
  if (c.IfMatch !== undefined) {
    if (!etagListHas(c.IfMatch, object.etag)) throw preconditionFailed("If-Match");
  } else if (c.IfUnmodifiedSince !== undefined && modified > Math.floor(c.IfUnmodifiedSince.getTime() / 1000)) {
    throw preconditionFailed("If-Unmodified-Since");
  }
  if (c.IfNoneMatch !== undefined) {
    if (etagListHas(c.IfNoneMatch, object.etag)) throw notModified();
  } else if (c.IfModifiedSince !== undefined && modified <= Math.floor(c.IfModifiedSince.getTime() / 1000)) {
    throw notModified();
  }
}

/**
 * Conditional writes (PutObject, CompleteMultipartUpload): If-None-Match `*` refuses to overwrite;
 * If-Match needs the current ETag, and an object to have one.
 */
export function checkWriteConditions(key: string, current: StoredObject | undefined, c: { IfMatch?: string; IfNoneMatch?: string }): void {
  if (c.IfNoneMatch !== undefined && current) throw preconditionFailed("If-None-Match");
  if (c.IfMatch !== undefined) {
    if (!current) throw noSuchKey(key);
    if (!etagListHas(c.IfMatch, current.etag)) throw preconditionFailed("If-Match");
  }
}

/**
 * A single byte range (`bytes=0-9`, `bytes=10-`, `bytes=-5`), clipped to the object. Text that is not a
 * single range is ignored, as HTTP allows (the whole object is sent); a range past the end is 416.
 */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return undefined;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) throw invalidRange(size, header);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < start) return undefined;
  if (start >= size) throw invalidRange(size, header);
  return { start, end };
}
