import { invalidParameter } from "./errors.js";

/**
 * CloudWatch Logs' nextToken paging over a sorted list: the token names the last item returned, so a
 * page survives items added in between. The token is opaque to clients.
 */
export function pageOf<T>(items: T[], keyOf: (t: T) => string, nextToken: string | undefined, limit: number): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    const after = decode(nextToken);
    const at = items.findIndex((t) => keyOf(t) === after);
    start = at >= 0 ? at + 1 : items.length;
  }
  const slice = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { items: slice, nextToken: more ? encode(keyOf(slice[slice.length - 1]!)) : undefined };
}

export const encode = (value: string) => Buffer.from(JSON.stringify({ after: value }), "utf8").toString("base64url");

function decode(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof parsed.after === "string") return parsed.after;
  } catch {
    // Not one of our tokens: answered below like any other invalid token.
  }
  throw invalidParameter("The specified nextToken is invalid.");
}
