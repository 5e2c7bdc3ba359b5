import type { Event, LookupEventsRequest, LookupEventsResponse } from "../../generated/types/cloudtrail.js";
import type { EventHistory, StoredEvent } from "../../event-log/event-history.js";
import { lookupAttributes, summarize } from "../../event-log/lookup-attributes.js";
import type { CloudTrailRecord } from "../../types/cloudtrail-record.js";
import { lookupRequest, pinned, windowOf, type HistoryFilter } from "./history-filter.js";

/**
 * Event history's data: pages, downloads and live rows of a filter. Pages and downloads ask LookupEvents, as
 * the console's signed-in principal (the caller passes `lookup`, a call through the pipeline with the
 * session's credentials), so they are authorized and recorded like the call the AWS console makes. Live rows
 * come from the history's append notifications, filtered as LookupEvents would.
 */

/** LookupEvents as the session calls it; rejects with the AWS error when the call fails. */
export type LookupEvents = (request: LookupEventsRequest) => Promise<LookupEventsResponse>;

/** One row of the table: every column the page can show. */
export interface HistoryRow {
  eventId: string;
  eventName: string;
  /** ISO 8601, seconds. */
  eventTime: string;
  username?: string;
  eventSource: string;
  resourceType?: string;
  resourceName?: string;
  resources: { type?: string; name: string }[];
  accessKeyId?: string;
  awsRegion?: string;
  errorCode?: string;
  sourceIPAddress?: string;
  readOnly: string;
}

export const PAGE_SIZE = 50;

export interface HistoryPage {
  rows: HistoryRow[];
  /** The filter with its relative range pinned: the one the next page must ask. */
  filter: HistoryFilter;
  nextToken?: string;
}

const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The columns of a LookupEvents event, with the few the record alone knows (region, error, address). */
export function rowOf(event: Event): HistoryRow {
  let record: Partial<CloudTrailRecord> = {};
  try {
    record = JSON.parse(event.CloudTrailEvent ?? "{}") as Partial<CloudTrailRecord>;
  } catch {
    // An event whose record is not JSON still shows its LookupEvents columns.
  }
  const resources = (event.Resources ?? []).map((r) => ({ type: r.ResourceType, name: r.ResourceName ?? "" }));
  return {
    eventId: event.EventId ?? "",
    eventName: event.EventName ?? "",
    eventTime: event.EventTime ? isoSeconds(event.EventTime) : "",
    username: event.Username,
    eventSource: event.EventSource ?? "",
    resourceType: resources[0]?.type,
    resourceName: resources[0]?.name,
    resources,
    accessKeyId: event.AccessKeyId,
    awsRegion: record.awsRegion,
    errorCode: record.errorCode,
    sourceIPAddress: record.sourceIPAddress,
    readOnly: event.ReadOnly ?? "",
  };
}

/** One page of the filter, newest first; `nextToken` continues a previous page of the same (pinned) filter. */
export async function historyPage(lookup: LookupEvents, filter: HistoryFilter, now: Date, nextToken?: string): Promise<HistoryPage> {
  const fixed = pinned(filter, now);
  const out = await lookup(lookupRequest(fixed, now, PAGE_SIZE, nextToken));
  return { rows: (out.Events ?? []).map(rowOf), filter: fixed, nextToken: out.NextToken };
}

/** Every event of the filter, newest first, a LookupEvents page at a time. */
export async function* everyEvent(lookup: LookupEvents, filter: HistoryFilter, now: Date, signal?: AbortSignal): AsyncGenerator<Event> {
  const fixed = pinned(filter, now);
  let token: string | undefined;
  do {
    if (signal?.aborted) return;
    const out = await lookup(lookupRequest(fixed, now, PAGE_SIZE, token));
    for (const event of out.Events ?? []) yield event;
    token = out.NextToken;
  } while (token);
}

/**
 * The CSV download's columns [uncertain: the AWS console's export header, as remembered; no published source
 * gives it]. Resources holds every referenced resource as JSON.
 */
export const CSV_COLUMNS: [string, (row: HistoryRow) => string | undefined][] = [
  ["Event ID", (r) => r.eventId],
  ["Event time", (r) => r.eventTime],
  ["User name", (r) => r.username],
  ["Event name", (r) => r.eventName],
  ["Resource type", (r) => r.resourceType],
  ["Resource name", (r) => r.resourceName],
  ["AWS access key", (r) => r.accessKeyId],
  ["AWS region", (r) => r.awsRegion],
  ["Error code", (r) => r.errorCode],
  ["Source IP address", (r) => r.sourceIPAddress],
  ["Resources", (r) => (r.resources.length > 0 ? JSON.stringify(r.resources.map((x) => ({ resourceType: x.type ?? null, resourceName: x.name }))) : undefined)],
];

/**
 * One CSV field. A value a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at its start) is
 * prefixed with `'`: AWS warns its export can carry CSV injection; this one does not.
 */
export function csvField(value: string | undefined): string {
  if (value === undefined) return "";
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const encoder = new TextEncoder();

/** The download of a filter as a stream: CSV rows or `{"Records":[...]}`, written as LookupEvents pages arrive. */
export function downloadStream(lookup: LookupEvents, filter: HistoryFilter, now: Date, format: "csv" | "json"): ReadableStream<Uint8Array> {
  const abort = new AbortController();
  const events = everyEvent(lookup, filter, now, abort.signal);
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (first) controller.enqueue(encoder.encode(format === "csv" ? `${CSV_COLUMNS.map(([name]) => name).join(",")}\r\n` : '{"Records":['));
      const next = await events.next();
      if (next.done) {
        if (format === "json") controller.enqueue(encoder.encode("]}"));
        controller.close();
        return;
      }
      if (format === "csv") {
        const row = rowOf(next.value);
        controller.enqueue(encoder.encode(`${CSV_COLUMNS.map(([, get]) => csvField(get(row))).join(",")}\r\n`));
      } else {
        controller.enqueue(encoder.encode(`${first ? "" : ","}${next.value.CloudTrailEvent ?? "null"}`));
      }
      first = false;
    },
    cancel() {
      abort.abort();
    },
  });
}

/** What a live stream shows: the events LookupEvents would return for the filter, in the session's account and region. */
export interface LiveScope {
  accountId: string;
  region: string;
  filter: HistoryFilter;
}

/** Whether a new event belongs on the page: LookupEvents' partition, the filter's attribute, the range's end. */
export function matchesLive(event: StoredEvent, scope: LiveScope, now: Date): boolean {
  const summary = summarize(event);
  if (summary.partition !== `${scope.accountId}/${scope.region}/Management`) return false;
  const attribute = scope.filter.attribute;
  if (attribute && !lookupAttributes(summary, event.lookupResources).some(([k, v]) => k === attribute.key && v === attribute.value)) return false;
  // A window that ended in the past (absolute, or a pinned relative one) takes no new rows.
  const { end } = windowOf(scope.filter.range.kind === "relative" ? { ...scope.filter.range, anchor: undefined } : scope.filter.range, now);
  return !end || Date.parse(summary.time) <= end.getTime();
}

/** A LookupEvents event of a stored one, as the live row needs it. */
function eventOf(event: StoredEvent): Event {
  const s = summarize(event);
  return {
    EventId: s.id,
    EventName: s.name,
    ReadOnly: String(s.readOnly),
    AccessKeyId: s.key,
    EventTime: new Date(s.time),
    EventSource: s.source,
    Username: s.user,
    Resources: event.lookupResources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: JSON.stringify(event.record),
  };
}

/** Calls `send` with each new row of the scope until the returned function is called. */
export function subscribeLive(history: EventHistory, scope: LiveScope, now: () => Date, send: (row: HistoryRow) => void): () => void {
  return history.onAppend((events) => {
    for (const { event } of events) if (matchesLive(event, scope, now())) send(rowOf(eventOf(event)));
  });
}
