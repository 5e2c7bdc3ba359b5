import { readFile, readdir, stat } from "node:fs/promises";
import { join, sep } from "node:path";
import { parseArgs } from "node:util";
import { CommandError, endpointOf } from "./command.js";

export const IMPORT_HELP = `Usage: localtrail import [--endpoint <url>] [--to columnar|log] <file or folder>...

Imports CloudTrail log files (.json.gz or .json, as trails deliver them; folders are walked, digest files
skipped) into a running localtrail, with a progress bar.

  --endpoint <url>   the emulator                          LOCALTRAIL_ENDPOINT (default http://127.0.0.1:4566)
  --to columnar      Parquet in the data dir, for SQL at any scale (default)
  --to log           the event log, for LookupEvents as well as SQL (held in memory by its indexes)`;

interface Totals {
  files: number;
  imported: number;
  duplicates: number;
  rejected: number;
}

/** `localtrail import <paths>`: each log file POSTed to /_localtrail/import, one after another. */
export async function importCommand(argv: string[], env: NodeJS.ProcessEnv, out: (text: string) => void, progress: (text: string) => void): Promise<Totals> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { endpoint: { type: "string" }, to: { type: "string", default: "columnar" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    out(IMPORT_HELP);
    return { files: 0, imported: 0, duplicates: 0, rejected: 0 };
  }
  if (values.to !== "columnar" && values.to !== "log") throw new CommandError(`--to: expected columnar or log, got ${values.to}`);
  if (positionals.length === 0) throw new CommandError(`give the log files or folders to import\n\n${IMPORT_HELP}`);
  const files: string[] = [];
  for (const path of positionals) files.push(...(await logFilesUnder(path)));
  files.sort();
  const url = `${endpointOf(values.endpoint, env)}/_localtrail/import${values.to === "columnar" ? "?store=columnar" : ""}`;
  const totals: Totals = { files: 0, imported: 0, duplicates: 0, rejected: 0 };
  const started = Date.now();
  const rate = () => Math.round(totals.imported / Math.max((Date.now() - started) / 1000, 0.001));
  for (const file of files) {
    const res = await fetch(url, { method: "POST", body: await readFile(file) });
    const answer = (await res.json()) as { imported: number; duplicates: number; rejected: number; error?: string };
    if (!res.ok) throw new CommandError(`${file}: ${answer.error ?? `HTTP ${res.status}`}`);
    totals.files++;
    totals.imported += answer.imported;
    totals.duplicates += answer.duplicates;
    totals.rejected += answer.rejected;
    progress(bar(totals.files, files.length, `${totals.imported.toLocaleString("en-US")} events, ${rate().toLocaleString("en-US")} events/s`));
  }
  out(
    `imported ${totals.imported} events from ${totals.files} files (${totals.duplicates} already there, ${totals.rejected} not CloudTrail records) at ${rate()} events/s`,
  );
  return totals;
}

function bar(done: number, total: number, detail: string): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total} files, ${detail}`;
}

/** Log files under a path: .json.gz and .json, digests (CloudTrail-Digest folders) left out. */
async function logFilesUnder(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new CommandError(`${path}: no such file or folder`);
  }
  if (info.isFile()) return [path];
  const found: string[] = [];
  for (const entry of await readdir(path, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.json(\.gz)?$/.test(entry.name)) continue;
    const full = join(entry.parentPath, entry.name);
    if (full.split(sep).includes("CloudTrail-Digest")) continue;
    found.push(full);
  }
  return found;
}
