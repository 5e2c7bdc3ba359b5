import { raw } from "hono/html";
import { Container, EmptyRow, KeyValues, PageHeader, consoleTime, href } from "../layout.js";
import type { HistoryRow } from "./history-query.js";
import { highlightedJson } from "./highlight.js";

export interface EventDetailView {
  row: HistoryRow;
  recordJson: string;
  record: Record<string, unknown>;
}

const text = (v: unknown) => (typeof v === "string" ? v : typeof v === "boolean" ? String(v) : undefined);

/** An event's page, as the AWS console shows it: details, the resources it referenced, the event record. */
export function EventDetailBody({ view }: { view: EventDetailView }) {
  const { row, record } = view;
  const identity = (record["userIdentity"] ?? {}) as Record<string, unknown>;
  return (
    <>
      <PageHeader title={row.eventName} />
      <Container title="Details">
        <KeyValues
          items={[
            ["Event time", consoleTime(row.eventTime)],
            ["User name", row.username],
            ["Event name", row.eventName],
            ["Event source", row.eventSource],
            ["AWS access key", row.accessKeyId],
            ["Source IP address", text(record["sourceIPAddress"])],
            ["Event ID", row.eventId],
            ["Request ID", text(record["requestID"])],
            ["AWS region", text(record["awsRegion"])],
            ["Error code", text(record["errorCode"])],
            ["Read-only", row.readOnly],
            ["Identity type", text(identity["type"])],
          ]}
        />
      </Container>
      <Container title="Resources referenced" counter={row.resources.length}>
        <table class="table" aria-label="Resources referenced">
          <thead>
            <tr>
              <th scope="col">Resource type</th>
              <th scope="col">Resource name</th>
              <th scope="col">AWS Config resource timeline</th>
            </tr>
          </thead>
          <tbody>
            {row.resources.length === 0 && <EmptyRow columns={3} title="No resources referenced" />}
            {row.resources.map((r) => (
              <tr>
                <td>{r.type ?? "-"}</td>
                <td>
                  <a href={`${href("cloudtrail/events")}?${new URLSearchParams({ attribute: "ResourceName", value: r.name }).toString()}`}>{r.name}</a>
                </td>
                <td class="muted">Link not available</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Container>
      <Container title="Event record">
        {/* highlight.js escapes the record's text before marking it up. */}
        <pre class="ct-json">
          <code class="hljs language-json">{raw(highlightedJson(view.recordJson))}</code>
        </pre>
      </Container>
    </>
  );
}
