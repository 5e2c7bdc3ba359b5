import type { RawRequest } from "../types/request-context.js";

const parsed = new WeakMap<RawRequest, URLSearchParams>();

/** The request's query string, parsed once per call: routing, authentication and the codecs all read it. Read-only. */
export function queryParams(raw: RawRequest): URLSearchParams {
  let query = parsed.get(raw);
  if (!query) parsed.set(raw, (query = new URLSearchParams(raw.query)));
  return query;
}
