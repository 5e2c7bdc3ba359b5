import { LOOKUP_ATTRIBUTE_KEYS, type LookupAttributeKey } from "../../event-log/event-history.js";
import type { LookupEventsRequest } from "../../generated/types/cloudtrail.js";

/**
 * The filter of the CloudTrail console's Event history (reference/console.md §5): one lookup attribute and its
 * value, and a time range, relative (the last 30 minutes, 1, 3 or 12 hours) or absolute; read-only events
 * hidden by default (attribute Read-only = false). It lives in the page's address, so a link, a reload, the
 * download and the live stream all mean the same filter.
 */

/** The eight attributes as the console names them, in its order. */
export const LOOKUP_ATTRIBUTE_LABELS: Record<LookupAttributeKey, string> = {
  AccessKeyId: "AWS access key",
  EventId: "Event ID",
  EventName: "Event name",
  EventSource: "Event source",
  ReadOnly: "Read-only",
  ResourceName: "Resource name",
  ResourceType: "Resource type",
  Username: "User name",
};

export const RELATIVE_RANGES: { minutes: number; label: string }[] = [
  { minutes: 30, label: "30 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 180, label: "3 hours" },
  { minutes: 720, label: "12 hours" },
];

export type TimeRange =
  | { kind: "any" }
  /** The last `minutes` before `anchor` (epoch ms): paging pins the anchor so every page asks the same window. */
  | { kind: "relative"; minutes: number; anchor?: number }
  | { kind: "absolute"; start: Date; end: Date };

export interface HistoryFilter {
  attribute?: { key: LookupAttributeKey; value: string };
  range: TimeRange;
}

/** The page's default: read-only events hidden, any time. */
export const DEFAULT_FILTER: HistoryFilter = { attribute: { key: "ReadOnly", value: "false" }, range: { kind: "any" } };

const isKey = (k: string | null): k is LookupAttributeKey => k !== null && (LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(k);

/**
 * The filter a page address holds: `attribute`+`value`, then `range` (minutes) with an optional `anchor`, or
 * `start`/`end` (ISO times). No `attribute` at all means the default; `attribute=` (empty) means none.
 */
export function filterFromQuery(query: URLSearchParams): HistoryFilter {
  const key = query.get("attribute");
  const value = query.get("value") ?? "";
  const attribute = key === null ? DEFAULT_FILTER.attribute : isKey(key) && value !== "" ? { key, value } : undefined;
  return { attribute, range: rangeFromQuery(query) };
}

function rangeFromQuery(query: URLSearchParams): TimeRange {
  const minutes = Number(query.get("range"));
  if (RELATIVE_RANGES.some((r) => r.minutes === minutes)) {
    const anchor = Number(query.get("anchor"));
    return { kind: "relative", minutes, anchor: Number.isFinite(anchor) && anchor > 0 ? anchor : undefined };
  }
  const start = utc(query.get("start"));
  const end = utc(query.get("end"));
  if (!Number.isNaN(start.getTime()) && !Number.isNaN(end.getTime())) return { kind: "absolute", start, end };
  return { kind: "any" };
}

/** A time from the address; a datetime-local value (no zone) is UTC, as the page labels it. */
function utc(value: string | null): Date {
  if (!value) return new Date(NaN);
  return new Date(/T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value) ? `${value}Z` : value);
}

/** The address query of a filter (the inverse of filterFromQuery). */
export function filterToQuery(filter: HistoryFilter): URLSearchParams {
  const query = new URLSearchParams();
  query.set("attribute", filter.attribute?.key ?? "");
  if (filter.attribute) query.set("value", filter.attribute.value);
  const range = filter.range;
  if (range.kind === "relative") {
    query.set("range", String(range.minutes));
    if (range.anchor !== undefined) query.set("anchor", String(range.anchor));
  } else if (range.kind === "absolute") {
    query.set("start", range.start.toISOString());
    query.set("end", range.end.toISOString());
  }
  return query;
}

/** The window a range covers at `now`: undefined bounds are LookupEvents' defaults (the oldest kept, now). */
export function windowOf(range: TimeRange, now: Date): { start?: Date; end?: Date } {
  if (range.kind === "absolute") return { start: range.start, end: range.end };
  if (range.kind === "relative") {
    const end = range.anchor ?? now.getTime();
    return { start: new Date(end - range.minutes * 60_000), end: new Date(end) };
  }
  return {};
}

/** The range pinned at `now`, so the next pages ask LookupEvents the same question (its NextToken is bound to it). */
export function pinned(filter: HistoryFilter, now: Date): HistoryFilter {
  const range = filter.range;
  return range.kind === "relative" && range.anchor === undefined ? { ...filter, range: { ...range, anchor: now.getTime() } } : filter;
}

/** The LookupEvents request of a filter. */
export function lookupRequest(filter: HistoryFilter, now: Date, maxResults: number, nextToken?: string): LookupEventsRequest {
  const { start, end } = windowOf(filter.range, now);
  return {
    LookupAttributes: filter.attribute ? [{ AttributeKey: filter.attribute.key, AttributeValue: filter.attribute.value }] : undefined,
    StartTime: start,
    EndTime: end,
    MaxResults: maxResults,
    NextToken: nextToken,
  };
}

/** How the filter reads in words (the download's and the page's summary). */
export function describeFilter(filter: HistoryFilter): string {
  const what = filter.attribute ? `${LOOKUP_ATTRIBUTE_LABELS[filter.attribute.key]} = ${filter.attribute.value}` : "all events";
  const range = filter.range;
  if (range.kind === "relative") return `${what}, last ${RELATIVE_RANGES.find((r) => r.minutes === range.minutes)!.label}`;
  if (range.kind === "absolute") return `${what}, ${range.start.toISOString()} to ${range.end.toISOString()}`;
  return what;
}
