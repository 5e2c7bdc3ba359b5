import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import type { DuckDBConnection } from "@duckdb/node-api";
import { ATHENA_COLUMN_NAMES } from "./athena-table.js";
import type { SqlEngine } from "./sql-engine.js";
import { logFileKey } from "../delivery/log-file-key.js";

export type ExportFormat = "json.gz" | "parquet";

/** Records per exported log file: a few MB compressed, well under CloudTrail's 50 MB. */
const RECORDS_PER_FILE = 10_000;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export interface ExportResult {
  files: number;
  records: number;
}

/**
 * Writes the whole history (live and imported) under `out` in the key layout trails deliver
 * (`AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDD>T<HHmm>Z_<unique>`),
 * so Athena, Trino or Spark over that folder, or its copy in S3, run the same queries. json.gz files are
 * `{"Records":[...]}` of the records exactly as recorded; Parquet files hold Athena's columns plus each
 * record's JSON. One event id is exported once. Each day of each account and region is read on its own:
 * the export never holds more than a day of one region.
 */
export async function exportHistory(engine: SqlEngine, format: ExportFormat, out: string, unique: () => string): Promise<ExportResult> {
  return engine.withConnection(async (c) => {
    const partitions = (await c.runAndReadAll(`SELECT recipientaccountid, awsregion, left(eventtime, 10) AS day FROM localtrail_events GROUP BY ALL ORDER BY ALL`)).getRows() as [string, string, string][];
    const result: ExportResult = { files: 0, records: 0 };
    for (const [account, region, day] of partitions) {
      // Only what can name a folder: records a trail would deliver always can.
      if (!ACCOUNT.test(String(account)) || !REGION.test(String(region)) || !/^\d{4}-\d{2}-\d{2}$/.test(String(day))) continue;
      const rows = `FROM localtrail_events WHERE recipientaccountid = '${account}' AND awsregion = '${region}' AND eventtime >= '${day}' AND eventtime < '${day}~'
        QUALIFY row_number() OVER (PARTITION BY eventid ORDER BY eventtime) = 1`;
      if (format === "parquet") await exportParquet(c, rows, out, account, region, unique, result);
      else await exportJson(c, rows, out, account, region, unique, result);
    }
    return result;
  }, true);
}

async function exportJson(c: DuckDBConnection, rows: string, out: string, account: string, region: string, unique: () => string, result: ExportResult): Promise<void> {
  const stream = await c.stream(`SELECT eventjson, eventtime ${rows} ORDER BY eventtime`);
  let batch: string[] = [];
  let last = "";
  const flush = () => {
    if (batch.length === 0) return;
    // A file is named for when a trail would have delivered it: after its last event.
    const key = logFileKey({ accountId: account, region }, new Date(last), unique());
    write(join(out, key), gzipSync(`{"Records":[${batch.join(",")}]}`));
    result.files++;
    result.records += batch.length;
    batch = [];
  };
  for (;;) {
    const chunk = await stream.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const [json, time] of chunk.getRows() as [string, string][]) {
      batch.push(json);
      last = time;
      if (batch.length >= RECORDS_PER_FILE) flush();
    }
  }
  flush();
}

async function exportParquet(c: DuckDBConnection, rows: string, out: string, account: string, region: string, unique: () => string, result: ExportResult): Promise<void> {
  const [[count, last]] = (await c.runAndReadAll(`SELECT count(*), max(eventtime) FROM (SELECT eventid, eventtime ${rows})`)).getRows() as [[bigint, string]];
  const key = logFileKey({ accountId: account, region }, new Date(last), unique()).replace(/\.json\.gz$/, ".parquet");
  const path = join(out, key);
  mkdirSync(dirname(path), { recursive: true });
  await c.run(`COPY (SELECT ${ATHENA_COLUMN_NAMES.join(", ")}, eventjson ${rows} ORDER BY eventtime) TO '${path}.tmp' (FORMAT parquet, COMPRESSION zstd)`);
  renameSync(`${path}.tmp`, path);
  result.files++;
  result.records += Number(count);
}

function write(path: string, data: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}
