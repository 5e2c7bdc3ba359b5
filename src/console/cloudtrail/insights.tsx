import type { Hono } from "hono";
import type { ConsoleContext, ConsoleEnv } from "../context.js";
import { Container, EmptyRow, PageHeader, consoleTime, href } from "../layout.js";
import { page } from "../render.js";
import { CloudTrailFrame, consoleRegion, ctCall, errorText } from "./ct-call.js";
import { WINDOWS, insightMarks, writeCallRate } from "./insights-data.js";
import { eventHref } from "./nav.js";

/** Insights: the write management API call rate against its baseline, with the Insights events drawn over it. */
export function addInsightsRoutes(app: Hono<ConsoleEnv>): void {
  app.get(href("cloudtrail/insights"), showInsights);
}

async function showInsights(c: ConsoleContext) {
  const hours = WINDOWS.find((w) => String(w.hours) === c.req.query("hours"))?.hours ?? 3;
  const eventName = (c.req.query("eventName") ?? "").trim() || undefined;
  const { env } = c.var.deps;
  const now = env.now();
  const series = writeCallRate(env.events, { accountId: c.var.session.principal.accountId, region: consoleRegion(c), eventName }, now, hours);
  // Insights events, asked of LookupEvents as the console does (EventCategory insight), over the same window.
  const start = new Date(series.times[0]! * 1000);
  const insights = await ctCall(c, "LookupEvents", { EventCategory: "insight", StartTime: start, EndTime: now, MaxResults: 50, ...(eventName && { LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: eventName }] }) });
  const marks = insightMarks((insights.output?.Events ?? []).map((e) => e.CloudTrailEvent ?? ""));
  const data = JSON.stringify({ ...series, marks: marks.map((m) => ({ time: Date.parse(m.eventTime) / 1000, state: m.state, shared: m.sharedEventId, name: m.eventName, type: m.insightType })) });
  const unit = series.bucketMinutes === 1 ? "minute" : "hour";
  const total = series.counts.reduce((a, b) => a + b, 0);
  return page(
    c,
    <CloudTrailFrame c={c} title="Insights" current="insights" crumbs={[{ label: "Insights" }]} notice={insights.error && { kind: "error", message: errorText(insights.error) }}>
      <PageHeader title="Insights" description="Unusual write management API call rates, against the baseline of the week before. Insights events appear as shaded spans." />
      <Container
        title={`API call rate per ${unit}`}
        description={`${total} write management calls in the last ${WINDOWS.find((w) => w.hours === hours)!.label}${eventName ? ` to ${eventName}` : ""}; baseline ${series.baseline.toFixed(2)} per ${unit}.`}
        actions={
          <form method="get" action={href("cloudtrail/insights")} class="ct-row">
            <div class="field">
              <label for="i-name">Event name</label>
              <input id="i-name" type="text" name="eventName" value={eventName ?? ""} placeholder="All write APIs" />
            </div>
            <div class="field">
              <label for="i-hours">Time range</label>
              <select id="i-hours" name="hours">
                {WINDOWS.map((w) => (
                  <option value={String(w.hours)} selected={w.hours === hours}>
                    Last {w.label}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" class="btn">
              Apply
            </button>
          </form>
        }
      >
        <div class="ct-chart" id="ct-rate-chart" role="img" aria-label={`Write management API calls per ${unit} and their baseline`} data-series={data} />
        <p class="ct-chart-note">
          {series.capped ? "Counted the most recent 200,000 events only. " : ""}Times in UTC. The baseline is the average rate over the 7 days before the window.
        </p>
      </Container>
      <Container title="Insights events" counter={marks.length}>
        <table class="table" aria-label="Insights events">
          <thead>
            <tr>
              <th scope="col">Event name</th>
              <th scope="col">Event source</th>
              <th scope="col">Insight type</th>
              <th scope="col">State</th>
              <th scope="col">Event time</th>
              <th scope="col">Baseline average</th>
              <th scope="col">Insight average</th>
            </tr>
          </thead>
          <tbody>
            {marks.length === 0 && (
              <EmptyRow columns={7} title="No Insights events">
                A trail with Insights selectors records them when a rate departs from its baseline.
              </EmptyRow>
            )}
            {marks.map((m) => (
              <tr>
                <td>
                  <a href={eventHref(m.eventId)}>{m.eventName}</a>
                </td>
                <td>{m.eventSource}</td>
                <td>{m.insightType}</td>
                <td>{m.state}</td>
                <td>{consoleTime(m.eventTime)}</td>
                <td>{m.baselineAverage?.toFixed(2) ?? "-"}</td>
                <td>{m.insightAverage?.toFixed(2) ?? "-"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Container>
    </CloudTrailFrame>,
  );
}
