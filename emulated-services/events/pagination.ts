import { validation } from "./errors.js";

/** EventBridge's NextToken over a sorted list: the token names the last item returned, opaque to clients. */
export function pageOf<T>(items: T[], keyOf: (t: T) => string, nextToken: string | undefined, limit: number | undefined): { items: T[]; nextToken?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    let after: unknown;
    try {
      after = (JSON.parse(Buffer.from(nextToken, "base64url").toString("utf8")) as { after?: unknown }).after;
    } catch {
      after = undefined;
    }
    if (typeof after !== "string") throw validation("The NextToken provided is invalid.");
    const at = items.findIndex((t) => keyOf(t) === after);
    start = at >= 0 ? at + 1 : items.length;
  }
  const size = limit ?? 100;
  const slice = items.slice(start, start + size);
  const more = start + size < items.length;
  return { items: slice, nextToken: more ? Buffer.from(JSON.stringify({ after: keyOf(slice[slice.length - 1]!) })).toString("base64url") : undefined };
}

export const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
