import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CommandError } from "./http.js";
import { SqlEngine } from "../query/sql-engine.js";
import { exportHistory } from "../query/export-history.js";
import { FileSegments } from "../event-log/segment-files.js";
import { randomIds } from "../ids.js";

export const EXPORT_HELP = `Usage: localtrail export --format parquet|json.gz --out <dir> [--data-dir <dir>]

Writes the whole history of a data dir (live and imported) under <dir> in the key layout trails deliver,
AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<time>_<id>.json.gz (or
.parquet), for Athena, Trino or Spark. It reads the data dir only; the server may keep running.

  --format <f>       json.gz (CloudTrail log files) or parquet (Athena's columns)
  --out <dir>        where to write (created if missing)
  --data-dir <dir>   the history to export       LOCALTRAIL_DATA_DIR (default ./.localtrail)`;

/** `localtrail export`: reads the data dir's event log and columnar store with DuckDB, writes <out>. */
export async function exportCommand(argv: string[], env: NodeJS.ProcessEnv, out: (text: string) => void): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { format: { type: "string" }, out: { type: "string" }, "data-dir": { type: "string" }, help: { type: "boolean", short: "h" } } });
  if (values.help) return out(EXPORT_HELP);
  const format = values.format;
  if (format !== "parquet" && format !== "json.gz") throw new CommandError(`--format: expected parquet or json.gz\n\n${EXPORT_HELP}`);
  if (!values.out) throw new CommandError(`--out: give the folder to write\n\n${EXPORT_HELP}`);
  const dataDir = resolve(values["data-dir"] ?? env.LOCALTRAIL_DATA_DIR ?? "./.localtrail");
  if (!existsSync(join(dataDir, "events"))) throw new CommandError(`${dataDir}: no localtrail history there (give --data-dir)`);
  const target = resolve(values.out);
  const spill = join(target, ".localtrail-export-tmp");
  mkdirSync(target, { recursive: true });
  const segments = new FileSegments(join(dataDir, "events"));
  const engine = new SqlEngine(
    {
      // The server may be appending: the segments are read as files, never opened for writing.
      live: () => segments.sqlSource(),
      columnarGlob: join(dataDir, "columnar", "AWSLogs", "**", "*.parquet"),
      readableDirs: [join(dataDir, "events"), join(dataDir, "columnar"), target],
      spillDir: spill,
    },
    () => new Date(),
  );
  try {
    const result = await exportHistory(engine, format, target, () => randomIds.alnum(16));
    out(`exported ${result.records} events in ${result.files} ${format} files under ${target}`);
  } finally {
    await engine.close();
    rmSync(spill, { recursive: true, force: true });
  }
}
