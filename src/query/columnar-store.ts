import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import type { DuckDBConnection } from "@duckdb/node-api";
import { athenaProjection, ATHENA_COLUMN_NAMES } from "./athena-table.js";
import type { SqlEngine } from "./sql-engine.js";
import { ImportError, type ImportResult } from "../control/import-log-files.js";
import { logFileKey } from "../delivery/log-file-key.js";

/** Uncompressed, one CloudTrail log file is at most this big (AWS splits at 50 MB compressed). */
const MAX_UNCOMPRESSED = 1024 * 1024 * 1024;
const gunzipAsync = promisify(gunzip);
/**
 * Columns with fewer distinct values (event names, sources, regions) are dictionary-encoded; DuckDB gives
 * up sooner on the unique ones (event ids, each record's JSON): about a third less CPU per write.
 */
const DICTIONARY_ENTRIES = 1000;

/** A log file given to the store: its name (for messages only) and its bytes, gzipped or plain. */
export interface LogFileBody {
  name: string;
  body: Buffer;
}

export interface BatchImportResult extends ImportResult {
  /** Files that could not be imported (not a CloudTrail log file), with the reason; the others are. */
  failed: { name: string; error: string }[];
}

/** AWS's required fields, a readable time, an identity; an account and a region that can name a folder. */
const VALID = `eventsource IS NOT NULL AND eventname IS NOT NULL AND eventid IS NOT NULL AND useridentity IS NOT NULL
  AND TRY_CAST(eventtime AS TIMESTAMPTZ) IS NOT NULL
  AND coalesce(regexp_full_match(recipientaccountid, '[0-9]{12}'), false)
  AND coalesce(regexp_full_match(awsregion, '[a-z]{2}(-[a-z]+)+-[0-9]{1,2}'), false)`;

/**
 * Imported history as Parquet, for SQL at a scale the event log's in-memory indexes are not made for:
 * `<dataDir>/columnar/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<...>.parquet`, partitioned by
 * account, region and day as trails lay out their log files, each file holding Athena's columns plus the
 * record's own JSON (`eventjson`, so an export gives back every field). Records go from the log files to
 * Parquet inside DuckDB, a batch of files per statement, never through JavaScript objects: the server holds
 * one batch at a time, never the imported history, so memory does not grow with the count. A log file
 * imported twice adds nothing (its content hash is kept); its records go to SQL only, not to LookupEvents.
 */
export class ColumnarStore {
  readonly dir: string;
  private readonly manifest: string;
  private readonly tmp: string;
  private seen?: Map<string, number>;

  constructor(
    dataDir: string,
    private readonly engine: SqlEngine,
    private readonly now: () => Date,
    private readonly alnum: (n: number) => string,
  ) {
    this.dir = join(dataDir, "columnar");
    this.manifest = join(this.dir, "imported.ndjson");
    this.tmp = join(dataDir, "tmp");
  }

  /** The Parquet files, as a glob SQL reads. */
  get glob(): string {
    return join(this.dir, "AWSLogs", "**", "*.parquet");
  }

  /** One log file; one that is not a CloudTrail log file is an ImportError. */
  async importLogFile(body: Buffer): Promise<ImportResult> {
    const { failed, ...result } = await this.importLogFiles([{ name: "body", body }]);
    if (failed.length > 0) throw new ImportError(failed[0]!.error);
    return result;
  }

  /** Many log files as one batch: one read, one write of each day's Parquet file. */
  async importLogFiles(files: LogFileBody[]): Promise<BatchImportResult> {
    const result: BatchImportResult = { imported: 0, duplicates: 0, rejected: 0, failed: [] };
    const seen = this.imported();
    const work = join(this.tmp, `import-${this.alnum(16)}`);
    mkdirSync(work, { recursive: true });
    try {
      const fresh: { name: string; hash: string; body: Buffer; path: string }[] = [];
      const hashes = new Set<string>();
      for (const file of files) {
        const hash = createHash("sha256").update(file.body).digest("hex");
        const already = seen.get(hash);
        if (already !== undefined || hashes.has(hash)) {
          result.duplicates += already ?? 0;
          continue;
        }
        hashes.add(hash);
        fresh.push({ ...file, hash, path: join(work, `${fresh.length}.json`) });
      }
      // Each file's records as a JSON array on disk, which DuckDB reads record by record.
      const ready: typeof fresh = [];
      for (const file of fresh) {
        try {
          await writeFile(file.path, await recordsArray(file.body, false));
          ready.push(file);
        } catch (e) {
          result.failed.push({ name: file.name, error: (e as Error).message });
        }
      }
      if (ready.length === 0) return result;
      await this.engine.withConnection(async (c) => {
        let loaded = ready;
        let counts: Map<string, { valid: number; total: number }>;
        try {
          counts = await this.load(c, ready.map((f) => f.path));
        } catch {
          // One file DuckDB cannot read fails the batch: find it by reading each on its own, the careful way.
          loaded = [];
          for (const file of ready) {
            try {
              await writeFile(file.path, await recordsArray(file.body, true));
              await this.load(c, [file.path]);
              loaded.push(file);
            } catch (e) {
              result.failed.push({ name: file.name, error: e instanceof ImportError ? e.message : `The body is not a CloudTrail log file: ${firstLine(e)}` });
            }
          }
          if (loaded.length === 0) return;
          counts = await this.load(c, loaded.map((f) => f.path));
        }
        const unique = await this.write(c);
        const countOf = (f: { path: string }) => counts.get(f.path) ?? { valid: 0, total: 0 };
        const valid = loaded.reduce((n, f) => n + countOf(f).valid, 0);
        result.imported += unique;
        result.duplicates += valid - unique;
        result.rejected += loaded.reduce((n, f) => n + countOf(f).total - countOf(f).valid, 0);
        // Written whole before they are remembered: a crash in between imports those files again.
        for (const f of loaded) seen.set(f.hash, countOf(f).valid);
        appendFileSync(this.manifest, loaded.map((f) => `${JSON.stringify({ sha256: f.hash, records: countOf(f).valid })}\n`).join(""));
      });
      return result;
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  reset(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.seen = undefined;
  }

  /** Reads the files' records into the connection's `batch` table; answers each file's record counts. */
  private async load(c: DuckDBConnection, paths: string[]): Promise<Map<string, { valid: number; total: number }>> {
    const list = `[${paths.map((p) => `'${p.replace(/'/g, "''")}'`).join(", ")}]`;
    // An element that is not an object becomes a row of NULLs, which VALID rejects.
    const from = `FROM (SELECT CASE WHEN json_type(json) = 'OBJECT' THEN json END AS r, filename FROM read_json_objects(${list}, format = 'array', filename = true))`;
    await c.run(`CREATE OR REPLACE TEMP TABLE batch AS SELECT *, coalesce(${VALID}, false) AS valid, strftime(TRY_CAST(eventtime AS TIMESTAMPTZ), '%Y-%m-%d') AS day
      FROM (${athenaProjection("r", from, ["filename"])})`);
    const rows = (await c.runAndReadAll(`SELECT filename, count(*) FILTER (WHERE valid), count(*) FROM batch GROUP BY filename`)).getRows();
    return new Map(rows.map(([name, valid, total]) => [String(name), { valid: Number(valid), total: Number(total) }]));
  }

  /** Writes the batch's valid records, each event id once, to one Parquet file per account, region and day. */
  private async write(c: DuckDBConnection): Promise<number> {
    const [[valid, unique]] = (await c.runAndReadAll(`SELECT count(*), count(DISTINCT eventid) FROM batch WHERE valid`)).getRows() as [[bigint, bigint]];
    if (Number(valid) === 0) return 0;
    // A log file may repeat an event (AWS: duplicates are possible); it is stored once.
    const once = Number(unique) < Number(valid) ? "QUALIFY row_number() OVER (PARTITION BY eventid) = 1" : "";
    // One COPY per account, region and day (DuckDB's PARTITION_BY costs twice the CPU), each a file in the
    // folder of the events' day, under the key a trail would give a file delivered now.
    const partitions = (await c.runAndReadAll(`SELECT DISTINCT recipientaccountid, awsregion, day FROM batch WHERE valid`)).getRows() as [string, string, string][];
    for (const [account, region, day] of partitions) {
      const key = logFileKey({ accountId: account, region }, this.now(), this.alnum(16))
        .replace(/\/\d{4}\/\d{2}\/\d{2}\//, `/${day.replace(/-/g, "/")}/`)
        .replace(/\.json\.gz$/, ".parquet");
      const path = join(this.dir, key);
      mkdirSync(join(path, ".."), { recursive: true });
      await c.run(`COPY (SELECT ${ATHENA_COLUMN_NAMES.join(", ")}, eventjson FROM batch
          WHERE valid AND recipientaccountid = '${account}' AND awsregion = '${region}' AND day = '${day}' ${once})
        TO '${path}.tmp' (FORMAT parquet, COMPRESSION zstd, DICTIONARY_SIZE_LIMIT ${DICTIONARY_ENTRIES})`);
      // Renamed once whole: a query running meanwhile never reads half a file.
      renameSync(`${path}.tmp`, path);
    }
    return Number(unique);
  }

  private imported(): Map<string, number> {
    if (this.seen) return this.seen;
    this.seen = new Map();
    mkdirSync(this.dir, { recursive: true });
    if (existsSync(this.manifest)) {
      for (const line of readFileSync(this.manifest, "utf8").split("\n")) {
        if (!line) continue;
        try {
          const { sha256, records } = JSON.parse(line) as { sha256: string; records: number };
          this.seen.set(sha256, records);
        } catch {
          // A torn last line: that file's import did not finish, so it may be imported again.
        }
      }
    }
    return this.seen;
  }
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split("\n")[0];

/**
 * The `Records` array of a log file, as JSON text. A CloudTrail log file is `{"Records":[...]}`: its array is
 * cut out of the text without parsing it (DuckDB parses each record once, later). `careful` parses the file
 * instead, for one whose layout differs (other keys) or that DuckDB could not read.
 */
async function recordsArray(body: Buffer, careful: boolean): Promise<Buffer> {
  let text: Buffer;
  try {
    text = body[0] === 0x1f && body[1] === 0x8b ? await gunzipAsync(body, { maxOutputLength: MAX_UNCOMPRESSED }) : body;
  } catch {
    throw new ImportError("The body is not a readable gzip file.");
  }
  if (!careful) {
    const head = /^\s*\{\s*"Records"\s*:\s*\[/.exec(text.subarray(0, 64).toString("latin1"));
    let end = text.length - 1;
    while (end >= 0 && isSpace(text[end]!)) end--;
    if (head && text[end] === 0x7d /* } */) {
      end--;
      while (end >= 0 && isSpace(text[end]!)) end--;
      if (text[end] === 0x5d /* ] */) return text.subarray(head[0].length - 1, end + 1);
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString("utf8"));
  } catch {
    throw new ImportError('The body is not JSON: expected a CloudTrail log file, {"Records":[...]}.');
  }
  const records = (parsed as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) throw new ImportError('Expected a CloudTrail log file: {"Records":[...]}.');
  return Buffer.from(JSON.stringify(records));
}

const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
