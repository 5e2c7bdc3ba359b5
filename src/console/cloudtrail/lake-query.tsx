import type { Hono } from "hono";
import { setTimeout as sleep } from "node:timers/promises";
import type { ConsoleContext, ConsoleEnv } from "../context.js";
import { Container, CsrfField, EmptyRow, PageHeader, href } from "../layout.js";
import { page } from "../render.js";
import { CloudTrailFrame, ctCall, errorText } from "./ct-call.js";

/** The CloudTrail User Guide's example queries (query-lake-examples.md), as the console's sample tab lists them. */
export const SAMPLE_QUERIES: { title: string; sql: string }[] = [
  {
    title: "Number of API calls grouped by eventName and eventSource",
    sql: "SELECT eventSource, eventName, COUNT(*) AS apiCount\nFROM $EDS_ID\nWHERE eventTime > '2023-01-01 00:00:00'\nGROUP BY eventSource, eventName\nORDER BY apiCount DESC",
  },
  {
    title: "Principals who called CreateBucket",
    sql: "SELECT userIdentity.principalid, eventName\nFROM $EDS_ID\nWHERE userIdentity.principalid IS NOT NULL\nAND eventTime > '2023-01-22 00:00:00'\nAND eventTime < '2023-01-23 00:00:00'\nAND eventName='CreateBucket'",
  },
  {
    title: "All APIs that a user called",
    sql: "SELECT eventID, eventName, eventSource, eventTime\nFROM $EDS_ID\nWHERE userIdentity.username = 'bob'\nAND eventTime > '2023-01-22 00:00:00'\nAND eventTime < '2023-01-23 00:00:00'",
  },
  {
    title: "Users who signed in to the console in a set of Regions",
    sql: "SELECT eventTime, useridentity.arn, awsRegion\nFROM $EDS_ID\nWHERE awsRegion in ('us-east-1', 'us-west-2')\nAND eventName = 'ConsoleLogin'",
  },
  {
    title: "CloudTrail Lake queries that were run",
    sql: "SELECT element_at(responseElements, 'queryId'), element_at(requestParameters, 'queryStatement')\nFROM $EDS_ID\nWHERE eventName='StartQuery'\nAND eventSource = 'cloudtrail.amazonaws.com'\nAND responseElements IS NOT NULL\nAND eventTime > '2023-01-01 00:00:00'",
  },
];

const PAGE_ROWS = 50;
const queryHref = (params: Record<string, string | undefined> = {}) => {
  const q = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return `${href("cloudtrail/query")}${q ? `?${q}` : ""}`;
};

/**
 * Lake's query editor: SQL over an event data store, run as the session's principal with StartQuery, then
 * DescribeQuery until it ends and GetQueryResults page by page, every one an AWS call that is recorded.
 * `$EDS_ID` in a query (the console's placeholder) names the chosen store.
 */
export function addLakeQueryRoutes(app: Hono<ConsoleEnv>): void {
  app.get(href("cloudtrail/query"), showEditor);
  app.post(href("cloudtrail/query"), runQuery);
  app.post(href("cloudtrail/query/event-data-store"), createStore);
  app.get(href("cloudtrail/query/results.csv"), downloadCsv);
}

async function showEditor(c: ConsoleContext) {
  const stores = await ctCall(c, "ListEventDataStores", {});
  const list = (stores.output?.EventDataStores ?? []).filter((e) => e.Status === "ENABLED");
  const queryId = c.req.query("queryId");
  const sample = SAMPLE_QUERIES[Number(c.req.query("sample") ?? -1)];
  let sql = sample?.sql ?? c.req.query("sql") ?? SAMPLE_QUERIES[0]!.sql;
  let error = stores.error && errorText(stores.error);
  let results: { columns: string[]; rows: string[][]; next?: string; total?: number; status?: string } | undefined;
  if (queryId) {
    const described = await ctCall(c, "DescribeQuery", { QueryId: queryId });
    if (described.error) error = errorText(described.error);
    else if (described.output?.QueryStatus !== "FINISHED") error = `Query ${described.output?.QueryStatus}: ${described.output?.ErrorMessage ?? ""}`;
    else {
      sql = c.req.query("sql") ?? described.output.QueryString ?? sql;
      const got = await ctCall(c, "GetQueryResults", { QueryId: queryId, MaxQueryResults: PAGE_ROWS, NextToken: c.req.query("next") || undefined });
      if (got.error) error = errorText(got.error);
      else results = { ...tableOf(got.output?.QueryResultRows ?? []), next: got.output?.NextToken, total: got.output?.QueryStatistics?.TotalResultsCount };
    }
  }
  const store = c.req.query("store") ?? list[0]?.EventDataStoreArn?.split("/")[1];
  return page(
    c,
    <CloudTrailFrame c={c} title="Query" current="query" crumbs={[{ label: "Lake" }, { label: "Query" }]} notice={error ? { kind: "error", message: error } : undefined}>
      <PageHeader title="Query" description="SQL over an event data store (Trino's dialect, the store's ID as the table). $EDS_ID stands for the store chosen below." />
      {list.length === 0 && (
        <Container title="No event data store">
          <form method="post" action={href("cloudtrail/query/event-data-store")} class="ct-row">
            <CsrfField session={c.var.session} />
            <p>Queries run over an event data store. Create one that collects this account's management events.</p>
            <button type="submit" class="btn btn-primary">
              Create event data store
            </button>
          </form>
        </Container>
      )}
      <Container title="Sample queries">
        <ul class="ct-samples">
          {SAMPLE_QUERIES.map((s, i) => (
            <li>
              <a href={queryHref({ sample: String(i), store })}>{s.title}</a>
            </li>
          ))}
        </ul>
      </Container>
      <Container title="Editor">
        <form method="post" action={href("cloudtrail/query")} class="form">
          <CsrfField session={c.var.session} />
          <div class="field">
            <label for="q-store">Event data store</label>
            <select id="q-store" name="store">
              {list.map((e) => {
                const id = e.EventDataStoreArn?.split("/")[1] ?? "";
                return (
                  <option value={id} selected={id === store}>
                    {e.Name} ({id})
                  </option>
                );
              })}
            </select>
          </div>
          <div class="field">
            <label for="q-sql">Query</label>
            <textarea id="q-sql" name="sql" rows={8} class="ct-sql" spellcheck={false}>
              {sql}
            </textarea>
          </div>
          <div class="form-actions">
            <button type="submit" class="btn btn-primary" disabled={list.length === 0}>
              Run
            </button>
          </div>
        </form>
      </Container>
      {results && (
        <Container
          title="Query results"
          counter={results.total}
          actions={
            <span class="ct-row">
              {c.req.query("next") && (
                <a class="btn" href={queryHref({ queryId, store })}>
                  First page
                </a>
              )}
              {results.next && (
                <a class="btn" href={queryHref({ queryId, store, next: results.next })}>
                  Next page
                </a>
              )}
              <a class="btn" href={`${href("cloudtrail/query/results.csv")}?queryId=${encodeURIComponent(queryId!)}`} download="query-results.csv">
                Download CSV
              </a>
            </span>
          }
        >
          <table class="table" aria-label="Query results">
            <thead>
              <tr>
                {results.columns.map((name) => (
                  <th scope="col">{name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {results.rows.length === 0 && (
                <EmptyRow columns={Math.max(1, results.columns.length)} title="No results">
                  The query matched no events.
                </EmptyRow>
              )}
              {results.rows.map((row) => (
                <tr>
                  {row.map((v) => (
                    <td>{v}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </Container>
      )}
    </CloudTrailFrame>,
  );
}

/** StartQuery, then DescribeQuery until the query ends (as the console polls), then its first page. */
async function runQuery(c: ConsoleContext) {
  const body = await c.req.parseBody();
  const store = typeof body.store === "string" ? body.store : "";
  const sql = typeof body.sql === "string" ? body.sql : "";
  const started = await ctCall(c, "StartQuery", { QueryStatement: sql.replace(/\$EDS_ID\b/g, store) });
  if (started.error || !started.output?.QueryId) {
    c.var.session.notice = { kind: "error", message: errorText(started.error ?? { code: "InternalFailure", message: "No query id." }) };
    return c.redirect(queryHref({ store, sql }), 303);
  }
  const queryId = started.output.QueryId;
  for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
    const d = await ctCall(c, "DescribeQuery", { QueryId: queryId });
    if (d.error || !["QUEUED", "RUNNING"].includes(d.output?.QueryStatus ?? "")) break;
    await sleep(wait);
  }
  return c.redirect(queryHref({ queryId, store, sql }), 303);
}

async function createStore(c: ConsoleContext) {
  const out = await ctCall(c, "CreateEventDataStore", { Name: "console-queries", TerminationProtectionEnabled: false });
  c.var.session.notice = out.error ? { kind: "error", message: errorText(out.error) } : { kind: "success", message: `Event data store ${out.output?.Name} created.` };
  return c.redirect(queryHref(), 303);
}

/** Every page of a finished query's results as CSV (RFC 4180), the console's download. */
async function downloadCsv(c: ConsoleContext) {
  const queryId = c.req.query("queryId") ?? "";
  const rows: Record<string, string>[][] = [];
  let next: string | undefined;
  do {
    const got = await ctCall(c, "GetQueryResults", { QueryId: queryId, NextToken: next });
    if (got.error) return c.text(errorText(got.error), 400);
    rows.push(...(got.output?.QueryResultRows ?? []));
    next = got.output?.NextToken;
  } while (next);
  const table = tableOf(rows);
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const csv = [table.columns, ...table.rows].map((r) => r.map(field).join(",")).join("\r\n");
  c.header("content-disposition", 'attachment; filename="query-results.csv"');
  return c.body(`${csv}\r\n`, 200, { "content-type": "text/csv; charset=utf-8" });
}

/** Lake's rows (each a list of one-key maps, NULLs left out) as a table: the columns in first-seen order. */
function tableOf(rows: Record<string, string>[][]): { columns: string[]; rows: string[][] } {
  const columns: string[] = [];
  for (const row of rows) for (const cell of row) for (const k of Object.keys(cell)) if (!columns.includes(k)) columns.push(k);
  return { columns, rows: rows.map((row) => columns.map((k) => row.find((cell) => k in cell)?.[k] ?? "")) };
}
