import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { athenaProjection } from "./athena-table.js";
import type { SqlEngine } from "./sql-engine.js";
import { ImportError, type ImportResult } from "../control/import-log-files.js";
import { logFileKey } from "../delivery/log-file-key.js";

/** A CloudTrail log file is at most 50 MB compressed; leave room for plain JSON ones. */
const MAX_OBJECT_BYTES = 1024 * 1024 * 1024;

/**
 * Imported history as Parquet, for SQL at a scale the event log's in-memory indexes are not made for:
 * `<dataDir>/columnar/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<...>.parquet`, partitioned by
 * account, region and day as trails lay out their log files, each file holding Athena's columns plus the
 * record's own JSON (`eventjson`, so an export gives back every field). The server holds one log file at a
 * time, never the imported history: memory does not grow with the count. A log file imported twice adds
 * nothing (its content hash is kept); its records go to SQL only, not to LookupEvents.
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

  async importLogFile(body: Buffer): Promise<ImportResult> {
    const hash = createHash("sha256").update(body).digest("hex");
    const seen = this.imported();
    const already = seen.get(hash);
    if (already !== undefined) return { imported: 0, duplicates: already, rejected: 0 };

    mkdirSync(this.tmp, { recursive: true });
    const gz = body[0] === 0x1f && body[1] === 0x8b;
    const file = join(this.tmp, `import-${this.alnum(16)}.json${gz ? ".gz" : ""}`);
    writeFileSync(file, body);
    try {
      const result = await this.engine.withConnection((c) => this.write(c, file));
      appendFileSync(this.manifest, `${JSON.stringify({ sha256: hash, records: result.imported + result.duplicates })}\n`);
      seen.set(hash, result.imported + result.duplicates);
      return result;
    } finally {
      rmSync(file, { force: true });
    }
  }

  reset(): void {
    rmSync(this.dir, { recursive: true, force: true });
    this.seen = undefined;
  }

  private async write(c: DuckDBConnection, file: string): Promise<ImportResult> {
    // One parse of the file (yyjson), each record kept as its JSON text.
    try {
      await c.run(`CREATE TEMP TABLE doc AS SELECT json FROM read_json_objects('${file}', format = 'auto', maximum_object_size = ${MAX_OBJECT_BYTES})`);
    } catch (e) {
      throw new ImportError(`The body is not a CloudTrail log file (gzipped or plain JSON): ${e instanceof Error ? e.message.split("\n")[0] : e}`);
    }
    const shape = await c.runAndReadAll(`SELECT count(*), bool_and(json_type(json, '$.Records') = 'ARRAY') FROM doc`);
    const [docs, isLogFile] = shape.getRows()[0] ?? [];
    if (Number(docs) !== 1 || isLogFile !== true) throw new ImportError('Expected a CloudTrail log file: {"Records":[...]}.');
    await c.run(`CREATE TEMP TABLE raw AS SELECT unnest(json_extract(json, '$.Records[*]')) AS r FROM doc`);
    // AWS's required fields, a readable time, an identity; an account and a region that can name a folder
    // (nothing a record says can lead a path out of the store).
    await c.run(`CREATE TEMP TABLE batch AS SELECT *, strftime(CAST(eventtime AS TIMESTAMPTZ), '%Y/%m/%d') AS day
      FROM (${athenaProjection("r", "FROM raw WHERE json_type(r) = 'OBJECT'")})
      WHERE eventsource IS NOT NULL AND eventname IS NOT NULL AND eventid IS NOT NULL AND useridentity IS NOT NULL
        AND TRY_CAST(eventtime AS TIMESTAMPTZ) IS NOT NULL
        AND regexp_full_match(recipientaccountid, '[0-9]{12}')
        AND regexp_full_match(awsregion, '[a-z]{2}(-[a-z]+)+-[0-9]{1,2}')`);
    const counts = await c.runAndReadAll(`SELECT (SELECT count(*) FROM raw), count(*), count(DISTINCT eventid) FROM batch`);
    const [total, valid, unique] = (counts.getRows()[0] ?? [0, 0, 0]).map(Number) as [number, number, number];
    // A log file may repeat an event (AWS: duplicates are possible); it is stored once.
    if (unique < valid) await c.run(`CREATE OR REPLACE TEMP TABLE batch AS SELECT * FROM batch QUALIFY row_number() OVER (PARTITION BY eventid) = 1`);
    const partitions = await c.runAndReadAll(`SELECT DISTINCT recipientaccountid, awsregion, day FROM batch`);
    for (const [account, region, day] of partitions.getRows() as [string, string, string][]) {
      // The key a trail would give a file delivered now, in the folder of the events' day.
      const key = logFileKey({ accountId: account, region }, this.now(), this.alnum(16))
        .replace(/\/\d{4}\/\d{2}\/\d{2}\//, `/${day}/`)
        .replace(/\.json\.gz$/, ".parquet");
      const path = join(this.dir, key);
      mkdirSync(join(path, ".."), { recursive: true });
      await c.run(
        `COPY (SELECT * EXCLUDE (day) FROM batch WHERE recipientaccountid = '${account}' AND awsregion = '${region}' AND day = '${day}') TO '${path}.tmp' (FORMAT parquet, COMPRESSION zstd)`,
      );
      // Renamed once whole: a query running meanwhile never reads half a file.
      renameSync(`${path}.tmp`, path);
    }
    return { imported: unique, duplicates: valid - unique, rejected: total - valid };
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
