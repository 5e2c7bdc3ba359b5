import { invalidPaginationToken, invalidParameterValue } from "./errors.js";

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

export interface PageLimits {
  /** EC2's Describe* calls take MaxResults from 5 to 1000 (DescribeInstances); some from 1. */
  min: number;
  max: number;
}

export const DESCRIBE_LIMITS: PageLimits = { min: 5, max: 1000 };

/**
 * MaxResults/NextToken paging. Without MaxResults the whole list is one page, as EC2 answers. The token is
 * opaque to clients: the offset of the next item, bound to the operation it came from.
 */
export function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined, scope: string, limits: PageLimits = DESCRIBE_LIMITS): Page<T> {
  if (maxResults !== undefined && (maxResults < limits.min || maxResults > limits.max)) {
    const expectation = maxResults < limits.min ? `greater than ${limits.min}` : `less than ${limits.max}`;
    throw invalidParameterValue(`Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value ${expectation}.`);
  }
  const start = nextToken === undefined ? 0 : readToken(nextToken, scope, items.length);
  if (maxResults === undefined && nextToken === undefined) return { items };
  const end = maxResults === undefined ? items.length : start + maxResults;
  return { items: items.slice(start, end), nextToken: end < items.length ? writeToken(end, scope) : undefined };
}

function writeToken(offset: number, scope: string): string {
  return Buffer.from(JSON.stringify({ o: offset, s: scope })).toString("base64url");
}

function readToken(token: string, scope: string, length: number): number {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown; s?: unknown };
    if (typeof parsed.o === "number" && Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.o <= length && parsed.s === scope) return parsed.o;
  } catch {
    // not a token of ours: answered below
  }
  throw invalidPaginationToken();
}
