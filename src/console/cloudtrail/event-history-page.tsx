import type { LookupAttributeKey } from "../../event-log/event-history.js";
import { Container, EmptyRow, PageHeader, href } from "../layout.js";
import type { HistoryRow } from "./history-query.js";
import { LOOKUP_ATTRIBUTE_LABELS, RELATIVE_RANGES, filterToQuery, type HistoryFilter } from "./history-filter.js";
import { COLUMNS, cellText, type Column } from "./columns.js";
import { eventHref } from "./nav.js";

export interface EventHistoryView {
  filter: HistoryFilter;
  rows: HistoryRow[];
  columns: Column[];
  /** `cols` as the address carries it, when columns were chosen. */
  cols?: string;
  /** Links to the neighbouring pages, when they exist. */
  previous?: string;
  next?: string;
  pageNumber: number;
  /** The live stream of new rows (first page of an open window only). */
  liveUrl?: string;
}

/** The attributes in the order of the AWS console's list. */
const ATTRIBUTE_ORDER: LookupAttributeKey[] = ["ReadOnly", "Username", "EventName", "ResourceType", "ResourceName", "EventSource", "EventId", "AccessKeyId"];

/** `2020-01-01T09:00` for a datetime-local input, in UTC. */
const localInput = (d: Date) => d.toISOString().slice(0, 16);

const eventsHref = (query?: URLSearchParams) => `${href("cloudtrail/events")}${query && [...query.keys()].length > 0 ? `?${query.toString()}` : ""}`;

/** Event history as the AWS console lays it out: title with downloads and preferences, filter bar, table, paging. */
export function EventHistoryBody({ view }: { view: EventHistoryView }) {
  const { filter, rows, columns } = view;
  const query = filterToQuery(filter);
  if (view.cols) query.set("cols", view.cols);
  const download = (format: string) => `${href("cloudtrail/events/download")}?${new URLSearchParams([...query.entries(), ["format", format]]).toString()}`;
  const range = filter.range;
  const rangeValue = range.kind === "relative" ? String(range.minutes) : range.kind === "absolute" ? "custom" : "";
  const cleared = new URLSearchParams({ attribute: "" });
  if (view.cols) cleared.set("cols", view.cols);
  return (
    <>
      <PageHeader
        title="Event history"
        counter={`${rows.length}${view.next ? "+" : ""}`}
        description="Event history shows you the last 90 days of management events in this Region, newest first."
        actions={
          <>
            {view.liveUrl && (
              <span class="ct-live" id="ct-live" data-state="connecting" title="New events appear as they happen">
                Live
              </span>
            )}
            <details class="ct-popover">
              <summary class="btn">Download events</summary>
              <div class="ct-popover-box narrow">
                <p>The events of the current filter and time range.</p>
                <a class="btn" href={download("csv")}>
                  Download as CSV
                </a>
                <a class="btn" href={download("json")}>
                  Download as JSON
                </a>
              </div>
            </details>
            <details class="ct-popover">
              <summary class="btn" aria-label="Preferences" title="Preferences">
                ⚙
              </summary>
              <form class="ct-popover-box" method="get" action={href("cloudtrail/events")}>
                {[...filterToQuery(filter).entries()].map(([k, v]) => (
                  <input type="hidden" name={k} value={v} />
                ))}
                <h3>Select visible columns</h3>
                <p>Column order is fixed.</p>
                {COLUMNS.map((c) => (
                  <label class="checkbox">
                    <input type="checkbox" name="col" value={c.id} checked={columns.some((x) => x.id === c.id)} />
                    {c.label}
                  </label>
                ))}
                <div class="form-actions">
                  <button class="btn btn-primary" type="submit">
                    Confirm
                  </button>
                </div>
              </form>
            </details>
          </>
        }
      />
      <Container>
        <form class="ct-filter" method="get" action={href("cloudtrail/events")} role="search" aria-label="Filter events">
          {view.cols && <input type="hidden" name="cols" value={view.cols} />}
          <div class="field">
            <label for="ct-attribute">Lookup attribute</label>
            <select id="ct-attribute" name="attribute">
              <option value="" selected={!filter.attribute}>
                (none)
              </option>
              {ATTRIBUTE_ORDER.map((key) => (
                <option value={key} selected={filter.attribute?.key === key}>
                  {LOOKUP_ATTRIBUTE_LABELS[key]}
                </option>
              ))}
            </select>
          </div>
          <div class="field wide">
            <label for="ct-value">Attribute value</label>
            <input id="ct-value" type="text" name="value" value={filter.attribute?.value ?? ""} placeholder="Enter a value" autocomplete="off" />
          </div>
          <div class="field">
            <label for="ct-range">Time range</label>
            <select id="ct-range" name="range">
              <option value="" selected={rangeValue === ""}>
                Any time (90 days)
              </option>
              {RELATIVE_RANGES.map((r) => (
                <option value={String(r.minutes)} selected={rangeValue === String(r.minutes)}>
                  Last {r.label}
                </option>
              ))}
              <option value="custom" selected={rangeValue === "custom"}>
                Custom (absolute)
              </option>
            </select>
          </div>
          <div class="field ct-custom-only">
            <label for="ct-start">Start (UTC)</label>
            <input id="ct-start" type="datetime-local" name="start" value={range.kind === "absolute" ? localInput(range.start) : ""} />
          </div>
          <div class="field ct-custom-only">
            <label for="ct-end">End (UTC)</label>
            <input id="ct-end" type="datetime-local" name="end" value={range.kind === "absolute" ? localInput(range.end) : ""} />
          </div>
          <div class="form-actions">
            <button class="btn btn-primary" type="submit">
              Apply
            </button>
            <a class="btn" href={eventsHref(cleared)}>
              Clear filter
            </a>
          </div>
        </form>
        <table class="table" id="ct-events" aria-label="Events" data-live-url={view.liveUrl} data-detail-base={`${href("cloudtrail/events")}/`}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th scope="col">{c.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <EmptyRow columns={columns.length} title="No matches">
                No events match the filter and time range.
              </EmptyRow>
            )}
            {rows.map((row) => (
              <tr>
                {columns.map((c) => (
                  <td>{c.id === "eventName" ? <a href={eventHref(row.eventId)}>{row.eventName}</a> : cellText(row, c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        <nav class="ct-pager" aria-label="Pages">
          <a class="btn" href={view.previous ?? "#"} aria-disabled={view.previous ? undefined : "true"}>
            Previous page
          </a>
          <span>Page {view.pageNumber}</span>
          <a class="btn" href={view.next ?? "#"} aria-disabled={view.next ? undefined : "true"}>
            Next page
          </a>
        </nav>
      </Container>
    </>
  );
}
