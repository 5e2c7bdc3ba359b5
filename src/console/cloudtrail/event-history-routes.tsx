import { randomBytes } from "node:crypto";
import type { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { LookupEventsRequest, LookupEventsResponse } from "../../generated/types/cloudtrail.js";
import type { ConsoleContext, ConsoleEnv } from "../context.js";
import { href } from "../layout.js";
import { page } from "../render.js";
import { cellText, chosenColumns, type Column } from "./columns.js";
import { CloudTrailFrame, consoleRegion, ctCall, errorText } from "./ct-call.js";
import { EventDetailBody } from "./event-detail-page.js";
import { EventHistoryBody, type EventHistoryView } from "./event-history-page.js";
import { filterFromQuery, filterToQuery, type HistoryFilter } from "./history-filter.js";
import { downloadStream, historyPage, rowOf, subscribeLive, type LookupEvents } from "./history-query.js";

/** A page's permission to stream new rows: made when the page's own LookupEvents call succeeded. */
interface LiveTicket {
  sessionId: string;
  accountId: string;
  region: string;
  filter: HistoryFilter;
  columns: Column[];
}

/** Tickets kept at most: the oldest are forgotten first (a page left open long ago streams again after a reload). */
const MAX_TICKETS = 1000;
/** A comment line keeps an idle stream (and any proxy on the way) open. */
const HEARTBEAT_MS = 15_000;

/** LookupEvents as the session's principal: rejects with the AWS error, as an SDK would. */
const lookupOf =
  (c: ConsoleContext): LookupEvents =>
  async (request: LookupEventsRequest): Promise<LookupEventsResponse> => {
    const out = await ctCall(c, "LookupEvents", request);
    if (out.error) throw out.error;
    return out.output ?? {};
  };

/** Event history: the page, an event's page, the downloads and the live stream. */
export function addEventHistoryRoutes(app: Hono<ConsoleEnv>): void {
  const tickets = new Map<string, LiveTicket>();

  app.get(href("cloudtrail/events"), async (c) => {
    const query = new URL(c.req.url).searchParams;
    const chosen = query.getAll("col");
    const cols = chosen.length > 0 ? chosen.join(",") : (query.get("cols") ?? undefined);
    const columns = chosenColumns(cols);
    const filter = filterFromQuery(query);
    const pageToken = query.get("token") || undefined;
    const previousTokens = query.getAll("prev");
    const view: EventHistoryView = { filter, rows: [], columns, cols, pageNumber: previousTokens.length + 1 };
    let error: string | undefined;
    try {
      const found = await historyPage(lookupOf(c), filter, c.var.deps.env.now(), pageToken);
      view.rows = found.rows;
      const here = filterToQuery(found.filter);
      if (cols) here.set("cols", cols);
      const link = (tokenValue: string | undefined, prev: string[]) => {
        const q = new URLSearchParams(here);
        if (tokenValue) q.set("token", tokenValue);
        for (const p of prev) q.append("prev", p);
        return `${href("cloudtrail/events")}?${q.toString()}`;
      };
      if (found.nextToken) view.next = link(found.nextToken, [...previousTokens, pageToken ?? ""]);
      if (previousTokens.length > 0) view.previous = link(previousTokens[previousTokens.length - 1] || undefined, previousTokens.slice(0, -1));
      // New events can only appear on the first page, and only while its window is open.
      if (!pageToken && filter.range.kind !== "absolute") {
        const ticket = randomBytes(24).toString("base64url");
        tickets.set(ticket, { sessionId: c.var.session.id, accountId: c.var.session.principal.accountId, region: consoleRegion(c), filter, columns });
        if (tickets.size > MAX_TICKETS) tickets.delete(tickets.keys().next().value!);
        view.liveUrl = `${href("cloudtrail/events/live")}?ticket=${ticket}`;
      }
    } catch (e) {
      error = errorText(e as { code: string; message: string });
    }
    return page(
      c,
      <CloudTrailFrame c={c} title="Event history" current="events" crumbs={[{ label: "Event history" }]} notice={error ? { kind: "error", message: error } : undefined}>
        <EventHistoryBody view={view} />
      </CloudTrailFrame>,
    );
  });

  app.get(href("cloudtrail/events/download"), (c) => {
    const query = new URL(c.req.url).searchParams;
    const format = query.get("format") === "json" ? "json" : "csv";
    const now = c.var.deps.env.now();
    const stream = downloadStream(lookupOf(c), filterFromQuery(query), now, format);
    const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
    return new Response(stream, {
      headers: {
        "content-type": format === "json" ? "application/json; charset=utf-8" : "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="event_history_${stamp}.${format}"`,
        "cache-control": "no-store",
        "x-content-type-options": "nosniff",
      },
    });
  });

  app.get(href("cloudtrail/events/live"), (c) => {
    const ticket = tickets.get(c.req.query("ticket") ?? "");
    if (!ticket || ticket.sessionId !== c.var.session.id) return c.text("Forbidden", 403);
    const { sessions } = c.var.deps;
    return streamSSE(c, async (stream) => {
      const rows: string[] = [];
      let wake: (() => void) | undefined;
      const { env } = c.var.deps;
      const stop = subscribeLive(env.events, { accountId: ticket.accountId, region: ticket.region, filter: ticket.filter }, env.now, (row) => {
        rows.push(JSON.stringify({ eventId: row.eventId, cells: ticket.columns.map((col) => [col.id, cellText(row, col)]) }));
        wake?.();
      });
      const heartbeat = setInterval(() => wake?.(), HEARTBEAT_MS);
      stream.onAbort(() => wake?.());
      try {
        await stream.writeSSE({ event: "ready", data: "{}" });
        for (;;) {
          if (rows.length === 0) {
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
          // A stream ends with its page, and with its session (signed out, expired).
          if (stream.aborted || stream.closed || !sessions.find(ticket.sessionId)) break;
          if (rows.length === 0) await stream.write(": keep-alive\n\n");
          for (const data of rows.splice(0)) await stream.writeSSE({ event: "row", data });
        }
      } finally {
        clearInterval(heartbeat);
        stop();
      }
    });
  });

  app.get(href("cloudtrail/events/:eventId"), async (c) => {
    const eventId = c.req.param("eventId") ?? "";
    const out = await ctCall(c, "LookupEvents", { LookupAttributes: [{ AttributeKey: "EventId", AttributeValue: eventId }], MaxResults: 1 });
    const event = out.output?.Events?.[0];
    if (!event) {
      const message = out.error ? errorText(out.error) : `No event with ID ${eventId} in this Region's event history.`;
      return page(c, <CloudTrailFrame c={c} title="Event not found" current="events" crumbs={[{ label: "Event history", href: href("cloudtrail/events") }, { label: eventId }]} notice={{ kind: "error", message }} />, out.error ? 400 : 404);
    }
    const recordJson = event.CloudTrailEvent ?? "{}";
    let record: Record<string, unknown> = {};
    try {
      record = JSON.parse(recordJson) as Record<string, unknown>;
    } catch {
      // Shown as stored.
    }
    return page(
      c,
      <CloudTrailFrame c={c} title={event.EventName ?? "Event"} current="events" crumbs={[{ label: "Event history", href: href("cloudtrail/events") }, { label: event.EventName ?? eventId }]}>
        <EventDetailBody view={{ row: rowOf(event), recordJson, record }} />
      </CloudTrailFrame>,
    );
  });
}
