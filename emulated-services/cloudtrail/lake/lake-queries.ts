import type { ServiceEnv, CallContext } from "../../../src/types/service.js";
import { SqlError } from "../../../src/query/sql-engine.js";
import { cloudTrailError } from "../errors.js";
import type { Op } from "../op.js";
import { offsetOf } from "./event-data-stores.js";
import { eventDataStoreView, lakeStatement } from "./lake-sql.js";
import { activeEventDataStore, findEventDataStore } from "./lake-state.js";

type QueryStatus = "QUEUED" | "RUNNING" | "FINISHED" | "FAILED" | "CANCELLED" | "TIMED_OUT";

/** A Lake query: its statement, where it stands, and once finished its rows as Lake returns them (text). */
interface LakeQuery {
  id: string;
  accountId: string;
  region: string;
  eventDataStores: string[];
  statement: string;
  status: QueryStatus;
  createdAt: Date;
  startedMs: number;
  finishedMs?: number;
  error?: string;
  rows?: Record<string, string>[][];
  eventsScanned: number;
  interrupt?: () => void;
}

/** At most this many queries of an account run at once (MaxConcurrentQueriesException). */
const MAX_RUNNING = 10;

/**
 * Queries live beside the emulator that runs them, not in the control-plane documents: they finish after
 * their StartQuery call has answered, and CloudTrail keeps their results only for a while (7 days).
 */
const registries = new WeakMap<ServiceEnv, Map<string, LakeQuery>>();
const queriesOf = (env: ServiceEnv) => {
  let map = registries.get(env);
  if (!map) registries.set(env, (map = new Map()));
  return map;
};

function findQuery(ctx: CallContext, id: string | undefined): LakeQuery {
  const query = id === undefined ? undefined : queriesOf(ctx.env).get(id);
  if (!query || query.accountId !== ctx.accountId || query.region !== ctx.region) {
    throw cloudTrailError("QueryIdNotFoundException", `The query ID ${id ?? ""} does not exist or does not map to a query.`);
  }
  return query;
}

const invalidStatement = (message: string) => cloudTrailError("InvalidQueryStatementException", message);

/**
 * StartQuery: Trino SQL whose tables are event data store ids (or ARNs), checked now (a statement that
 * cannot run is InvalidQueryStatementException), run in the background on the same engine as
 * /_localtrail/query, each store a view in Lake's schema.
 */
export const startQuery: Op<"StartQuery"> = async (input, ctx) => {
  const statement = input.QueryStatement;
  if (statement === undefined || statement.trim() === "") throw cloudTrailError("InvalidParameterException", "QueryStatement is required.");
  if (!/^\s*(SELECT|WITH)\b/i.test(statement)) throw invalidStatement("Only SELECT statements are allowed in a query.");
  const { sql, ids } = lakeStatement(statement);
  if (ids.length === 0) throw invalidStatement("The query must name an event data store by its ID, in FROM.");
  const views = Object.fromEntries(ids.map((id) => [id, eventDataStoreView(activeEventDataStore(ctx, id))]));
  const queries = queriesOf(ctx.env);
  const running = [...queries.values()].filter((q) => q.accountId === ctx.accountId && (q.status === "QUEUED" || q.status === "RUNNING"));
  if (running.length >= MAX_RUNNING) {
    throw cloudTrailError("MaxConcurrentQueriesException", "You are already running the maximum number of concurrent queries. Wait a minute for some queries to finish, and then run the query again.");
  }
  try {
    await ctx.env.sql.validate(sql, views);
  } catch (e) {
    if (e instanceof SqlError) throw invalidStatement(e.message);
    throw e;
  }
  const query: LakeQuery = {
    id: ctx.env.ids.uuid(),
    accountId: ctx.accountId,
    region: ctx.region,
    eventDataStores: ids,
    statement,
    status: "RUNNING",
    createdAt: ctx.now,
    startedMs: Date.now(),
    eventsScanned: 0,
  };
  queries.set(query.id, query);
  void run(ctx.env, query, sql, views);
  return { QueryId: query.id };
};

async function run(env: ServiceEnv, query: LakeQuery, sql: string, views: Record<string, string>): Promise<void> {
  try {
    const scanned = await env.sql.all(`SELECT ${query.eventDataStores.map((id) => `(SELECT count(*) FROM "${id}")`).join(" + ")} AS n`, { views });
    query.eventsScanned = Number(scanned.rows[0]?.[0] ?? 0);
    const result = await env.sql.all(sql, { views, onStart: (interrupt) => (query.interrupt = interrupt) });
    if (query.status !== "RUNNING") return;
    // Trino names an unnamed expression _col0, _col1, ... by its position; DuckDB by its text.
    const names = result.columns.map((c, i) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(c.name) ? c.name : `_col${i}`));
    query.rows = result.rows.map((row) => names.flatMap((name, i) => (row[i] === null || row[i] === undefined ? [] : [{ [name]: lakeText(row[i]) }])));
    query.status = "FINISHED";
  } catch (e) {
    if (query.status !== "RUNNING") return;
    query.status = "FAILED";
    query.error = e instanceof Error ? e.message : String(e);
  } finally {
    query.finishedMs ??= Date.now();
    query.interrupt = undefined;
  }
}

/** Lake returns every value as text: timestamps as Trino prints them, rows and arrays as JSON. */
function lakeText(value: unknown): string {
  if (typeof value === "string") {
    const time = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2}\.\d{3})Z$/.exec(value);
    return time ? `${time[1]} ${time[2]}` : value;
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export const describeQuery: Op<"DescribeQuery"> = (input, ctx) => {
  if (input.EventDataStore !== undefined) findEventDataStore(ctx, input.EventDataStore);
  const q = findQuery(ctx, input.QueryId);
  return {
    QueryId: q.id,
    QueryString: q.statement,
    QueryStatus: q.status,
    QueryStatistics: {
      EventsMatched: q.rows?.length ?? 0,
      EventsScanned: q.eventsScanned,
      BytesScanned: 0,
      ExecutionTimeInMillis: (q.finishedMs ?? Date.now()) - q.startedMs,
      CreationTime: q.createdAt,
    },
    ErrorMessage: q.error,
  };
};

export const getQueryResults: Op<"GetQueryResults"> = (input, ctx) => {
  if (input.EventDataStore !== undefined) findEventDataStore(ctx, input.EventDataStore);
  if (input.MaxQueryResults !== undefined && (input.MaxQueryResults < 1 || input.MaxQueryResults > 1000)) {
    throw cloudTrailError("InvalidMaxResultsException", "MaxQueryResults must be between 1 and 1000.");
  }
  const q = findQuery(ctx, input.QueryId);
  if (q.status !== "FINISHED" || !q.rows) return { QueryStatus: q.status, ErrorMessage: q.error };
  const start = input.NextToken === undefined ? 0 : offsetOf(input.NextToken, q.rows.length);
  const size = input.MaxQueryResults ?? 1000;
  const page = q.rows.slice(start, start + size);
  return {
    QueryStatus: q.status,
    QueryStatistics: { ResultsCount: page.length, TotalResultsCount: q.rows.length, BytesScanned: 0 },
    QueryResultRows: page,
    NextToken: start + size < q.rows.length ? Buffer.from(String(start + size)).toString("base64") : undefined,
  };
};

export const listQueries: Op<"ListQueries"> = (input, ctx) => {
  const eds = findEventDataStore(ctx, input.EventDataStore);
  if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 1000)) throw cloudTrailError("InvalidMaxResultsException", "MaxResults must be between 1 and 1000.");
  if (input.StartTime && input.EndTime && input.StartTime > input.EndTime) throw cloudTrailError("InvalidDateRangeException", "The StartTime must be before the EndTime.");
  const all = [...queriesOf(ctx.env).values()]
    .filter((q) => q.accountId === ctx.accountId && q.region === ctx.region && q.eventDataStores.includes(eds.id))
    .filter((q) => (!input.QueryStatus || q.status === input.QueryStatus) && (!input.StartTime || q.createdAt >= input.StartTime) && (!input.EndTime || q.createdAt <= input.EndTime))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const start = input.NextToken === undefined ? 0 : offsetOf(input.NextToken, all.length);
  const size = input.MaxResults ?? 1000;
  return {
    Queries: all.slice(start, start + size).map((q) => ({ QueryId: q.id, QueryStatus: q.status, CreationTime: q.createdAt })),
    NextToken: start + size < all.length ? Buffer.from(String(start + size)).toString("base64") : undefined,
  };
};

export const cancelQuery: Op<"CancelQuery"> = (input, ctx) => {
  if (input.EventDataStore !== undefined) findEventDataStore(ctx, input.EventDataStore);
  const q = findQuery(ctx, input.QueryId);
  if (q.status !== "QUEUED" && q.status !== "RUNNING") {
    throw cloudTrailError("InactiveQueryException", `The query ${q.id} cannot be canceled because it is in the ${q.status} state.`);
  }
  q.status = "CANCELLED";
  q.finishedMs = Date.now();
  q.interrupt?.();
  return { QueryId: q.id, QueryStatus: q.status };
};
