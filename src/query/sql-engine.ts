import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { DuckDBConnection, DuckDBInstance, DuckDBResult, DuckDBValueConverter, JS } from "@duckdb/node-api";
import { athenaProjection, ATHENA_COLUMN_NAMES } from "./athena-table.js";
import { rewriteTrino, TRINO_MACROS } from "./trino-dialect.js";

type DuckDB = typeof import("@duckdb/node-api");

/** Where the history lives, as the engine reads it. */
export interface HistorySources {
  /** The event log's segment files (NDJSON lines holding each record under "r"), or its lines when in memory. */
  live(): { files: string[] } | { lines: string[] };
  /** Parquet files of imported history (the columnar store), when there is a data dir. */
  columnarGlob?: string;
  /** Directories DuckDB may read; nothing else on the machine is reachable from a query. */
  readableDirs: string[];
  /** A directory DuckDB may spill to when a query outgrows memory. */
  spillDir?: string;
}

export interface Column {
  name: string;
  type: string;
}

export interface QueryPage {
  columns: Column[];
  rows: unknown[][];
  nextToken?: string;
}

/** The engine's own message for a query it cannot run: answered as a 400, never a crash. */
export class SqlError extends Error {}

const PAGE_ROWS = 1000;
const MEMORY_LIMIT = "512MB";
/** A page token left unread this long is forgotten, and its query's resources freed. */
const CURSOR_TTL_MS = 10 * 60_000;
const MAX_CURSORS = 32;

interface Cursor {
  connection: DuckDBConnection;
  result: DuckDBResult;
  columns: Column[];
  pending: unknown[][];
  timer: NodeJS.Timeout;
}

/**
 * SQL over the whole history with DuckDB, loaded on the first query only (design.md: "SQL engines are
 * optional readers loaded on first use"). Nothing is downloaded: DuckDB's extension auto-install and
 * auto-load are off, and the node bindings carry json, parquet and icu built in. Each query sees
 * `cloudtrail_logs` (Athena's table) over the live event log and the columnar store, and only SELECTs run.
 */
export class SqlEngine {
  private db?: Promise<{ duck: DuckDB; instance: DuckDBInstance }>;
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly sources: HistorySources,
    private readonly now: () => Date,
  ) {}

  /** One page of a query's rows; `nextToken` continues a query whose rows did not fit. */
  async query(sql: string, options: { nextToken?: string; pageRows?: number; views?: Record<string, string> } = {}): Promise<QueryPage> {
    const pageRows = options.pageRows ?? PAGE_ROWS;
    if (options.nextToken !== undefined) {
      const cursor = this.cursors.get(options.nextToken);
      if (!cursor) throw new SqlError("The nextToken is not valid or has expired: run the query again.");
      this.cursors.delete(options.nextToken);
      clearTimeout(cursor.timer);
      return this.page(cursor, pageRows);
    }
    const { connection, result } = await this.start(sql, options.views);
    const columns = result.columnNames().map((name, i) => ({ name, type: result.columnTypes()[i]!.toString() }));
    return this.page({ connection, result, columns, pending: [], timer: undefined as unknown as NodeJS.Timeout }, pageRows);
  }

  /** Every row of a query (CloudTrail Lake keeps a finished query's results). `cancel` interrupts it. */
  async all(sql: string, options: { views?: Record<string, string>; onStart?: (interrupt: () => void) => void } = {}): Promise<{ columns: Column[]; rows: unknown[][] }> {
    const { connection, result } = await this.start(sql, options.views, options.onStart);
    try {
      const columns = result.columnNames().map((name, i) => ({ name, type: result.columnTypes()[i]!.toString() }));
      const rows: unknown[][] = [];
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        rows.push(...chunk.convertRows(duckJs).map((row) => row.map(toPlain)));
      }
      return { columns, rows };
    } catch (e) {
      throw asSqlError(e);
    } finally {
      connection.disconnectSync();
    }
  }

  /**
   * Runs engine-made statements (imports, exports) on a connection of its own, never a user's SQL; with
   * `history`, the connection sees `localtrail_events` (Athena's columns and each record's JSON).
   */
  async withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>, history = false): Promise<T> {
    const { instance } = await this.open();
    const connection = await instance.connect();
    try {
      if (history) await this.createViews(connection, {});
      return await work(connection);
    } finally {
      connection.disconnectSync();
    }
  }

  async close(): Promise<void> {
    for (const [token, cursor] of this.cursors) {
      clearTimeout(cursor.timer);
      cursor.connection.disconnectSync();
      this.cursors.delete(token);
    }
    const db = await this.db;
    db?.instance.closeSync();
    this.db = undefined;
  }

  /** Checks a query as the engine would run it (syntax, names, SELECT only), without running it. */
  async validate(sql: string, views: Record<string, string> = {}): Promise<void> {
    const { connection } = await this.start(sql, views, undefined, false);
    connection.disconnectSync();
  }

  private async start(sql: string, views: Record<string, string> = {}, onStart?: (interrupt: () => void) => void, execute = true): Promise<{ connection: DuckDBConnection; result: DuckDBResult }> {
    const { duck, instance } = await this.open();
    const connection = await instance.connect();
    try {
      onStart?.(() => connection.interrupt());
      await connection.run(`SET VARIABLE localtrail_now = CAST('${this.now().toISOString()}' AS TIMESTAMPTZ)`);
      await this.createViews(connection, views);
      const statements = await connection.extractStatements(rewriteTrino(sql));
      if (statements.count !== 1) throw new SqlError(statements.count === 0 ? "The query is empty." : "Give one statement at a time.");
      const prepared = await statements.prepare(0);
      if (prepared.statementType !== duck.StatementType.SELECT) throw new SqlError("Only SELECT statements can be run over the history.");
      return { connection, result: execute ? await prepared.stream() : (undefined as unknown as DuckDBResult) };
    } catch (e) {
      connection.disconnectSync();
      throw asSqlError(e);
    }
  }

  private async page(cursor: Cursor, pageRows: number): Promise<QueryPage> {
    try {
      while (cursor.pending.length <= pageRows) {
        const chunk = await cursor.result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) break;
        for (const row of chunk.convertRows(duckJs)) cursor.pending.push(row.map(toPlain));
      }
    } catch (e) {
      cursor.connection.disconnectSync();
      throw asSqlError(e);
    }
    const rows = cursor.pending.splice(0, pageRows);
    if (cursor.pending.length === 0) {
      cursor.connection.disconnectSync();
      return { columns: cursor.columns, rows };
    }
    const token = randomUUID();
    if (this.cursors.size >= MAX_CURSORS) this.expire(this.cursors.keys().next().value!);
    cursor.timer = setTimeout(() => this.expire(token), CURSOR_TTL_MS);
    cursor.timer.unref();
    this.cursors.set(token, cursor);
    return { columns: cursor.columns, rows, nextToken: token };
  }

  private expire(token: string): void {
    const cursor = this.cursors.get(token);
    if (!cursor) return;
    clearTimeout(cursor.timer);
    cursor.connection.disconnectSync();
    this.cursors.delete(token);
  }

  /** The history as this query sees it: the log as it is now, plus every Parquet file imported so far. */
  private async createViews(connection: DuckDBConnection, extra: Record<string, string>): Promise<void> {
    const parts: string[] = [];
    const live = this.sources.live();
    if ("files" in live) {
      if (live.files.length > 0) {
        // A torn last line (an append in progress) is skipped, not an error. A line is one record: 16 MB is
        // far above any (DuckDB allocates twice this per read buffer, within the memory limit).
        parts.push(
          athenaProjection("r", `FROM read_json([${live.files.map(quote).join(", ")}], format = 'newline_delimited', columns = {r: 'JSON'}, ignore_errors = true, maximum_object_size = 16777216) WHERE r IS NOT NULL`),
        );
      }
    } else if (live.lines.length > 0) {
      await connection.run("CREATE TEMP TABLE live_lines (line VARCHAR)");
      const appender = await connection.createAppender("live_lines", "main", "temp");
      for (const line of live.lines) {
        appender.appendVarchar(line);
        appender.endRow();
      }
      appender.closeSync();
      parts.push(athenaProjection("r", "FROM (SELECT json_extract(line, '$.r') AS r FROM live_lines)"));
    }
    if (this.sources.columnarGlob) {
      const found = await connection.runAndReadAll(`SELECT count(*) FROM glob(${quote(this.sources.columnarGlob)})`);
      if (Number(found.getRows()[0]?.[0] ?? 0) > 0) parts.push(`SELECT * FROM read_parquet(${quote(this.sources.columnarGlob)}, union_by_name = true)`);
    }
    const union = parts.length === 0 ? athenaProjection("r", "FROM (SELECT NULL::JSON AS r) WHERE false") : parts.join(" UNION ALL BY NAME ");
    await connection.run(`CREATE TEMP VIEW localtrail_events AS SELECT ${ATHENA_COLUMN_NAMES.join(", ")}, eventjson FROM (${union})`);
    await connection.run(`CREATE TEMP VIEW cloudtrail_logs AS SELECT ${ATHENA_COLUMN_NAMES.join(", ")} FROM localtrail_events`);
    for (const [name, sql] of Object.entries(extra)) await connection.run(`CREATE TEMP VIEW "${name.replace(/"/g, '""')}" AS ${sql}`);
  }

  private open(): Promise<{ duck: DuckDB; instance: DuckDBInstance }> {
    this.db ??= (async () => {
      const duck = await import("@duckdb/node-api");
      duckJs = duck.JSDuckDBValueConverter;
      const settings: Record<string, string> = {
        // Nothing is fetched from the network: json, parquet and icu are built into the bindings.
        autoinstall_known_extensions: "false",
        autoload_known_extensions: "false",
        allow_community_extensions: "false",
        // The server's memory stays bounded whatever the history's size: beyond this, DuckDB spills to the data dir.
        memory_limit: MEMORY_LIMIT,
        // Memory freed after an import's batch goes back to the system instead of staying with DuckDB's allocator.
        allocator_flush_threshold: "16MB",
      };
      if (this.sources.spillDir) {
        mkdirSync(this.sources.spillDir, { recursive: true });
        settings.temp_directory = this.sources.spillDir;
      }
      const instance = await duck.DuckDBInstance.create(":memory:", settings);
      const connection = await instance.connect();
      try {
        // Record times are UTC; so are the times a query computes.
        await connection.run("SET TimeZone = 'UTC'");
        for (const macro of TRINO_MACROS) await connection.run(macro);
        // Queries read the history and nothing else, and cannot change these settings.
        await connection.run(`SET allowed_directories = [${this.sources.readableDirs.map(quote).join(", ")}]`);
        await connection.run("SET enable_external_access = false");
        await connection.run("SET lock_configuration = true");
      } finally {
        connection.disconnectSync();
      }
      return { duck, instance };
    })();
    this.db.catch(() => (this.db = undefined));
    return this.db;
  }
}

/** DuckDB values to JavaScript ones, set when the module loads. */
let duckJs: DuckDBValueConverter<JS>;

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

function asSqlError(e: unknown): Error {
  if (e instanceof SqlError) return e;
  return new SqlError(e instanceof Error ? e.message : String(e));
}

/** DuckDB's JS values as JSON can carry them: bigints as numbers when exact, dates as ISO text. */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}
