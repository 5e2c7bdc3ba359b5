import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { CommandError, control, parseCommandArgs } from "./http.js";
import type { Subcommand } from "./commands.js";

const USAGE = `Usage: localtrail import <file or folder>... [--to log|columnar] [--endpoint http://127.0.0.1:4566]

Adds real CloudTrail log files (.json.gz as trails deliver them, or plain .json {"Records":[...]}) to the
history of a running localtrail, to investigate them with LookupEvents or localtrail events. Folders are
read recursively (an S3 download of a trail's AWSLogs/ folder); digest files are skipped. Importing a file
twice adds nothing. A progress bar shows on a terminal.

  --to log        the event log (default): LookupEvents, Event history, localtrail events and SQL see it
  --to columnar   Parquet files in the data dir, for SQL only, at any scale (memory does not grow with the count)`;

interface ImportAnswer {
  imported: number;
  duplicates: number;
  rejected: number;
  failed?: { name: string; error: string }[];
}

/**
 * A request's worth of log files for the columnar store: about 64 MB of JSON (the size a gzip file
 * states in its last four bytes), which bounds what the server holds at once whatever the count.
 */
const BATCH_JSON_BYTES = 64 * 1024 * 1024;
const BATCH_FILES = 1000;

function batches(files: { path: string; bytes: number }[]): { path: string; bytes: number }[][] {
  const out: { path: string; bytes: number }[][] = [];
  let batch: { path: string; bytes: number }[] = [];
  let size = 0;
  for (const file of files) {
    const json = jsonBytes(file);
    if (batch.length > 0 && (size + json > BATCH_JSON_BYTES || batch.length >= BATCH_FILES)) {
      out.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(file);
    size += json;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** Log files as a multipart body, each part named by its path (the server's answer names failed files by it). */
function formOf(files: { path: string }[]): FormData {
  const form = new FormData();
  for (const file of files) form.append("file", new Blob([readFileSync(file.path)]), file.path);
  return form;
}

/** A file's uncompressed size: a gzip member ends with it (modulo 4 GB); a plain file is its size. */
function jsonBytes(file: { path: string; bytes: number }): number {
  if (!file.path.endsWith(".gz") || file.bytes < 18) return file.bytes;
  const fd = openSync(file.path, "r");
  try {
    const tail = Buffer.alloc(4);
    readSync(fd, tail, 0, 4, file.bytes - 4);
    return Math.max(tail.readUInt32LE(0), file.bytes);
  } finally {
    closeSync(fd);
  }
}

/** Log files under the paths given: CloudTrail's own names end .json.gz; digests sit in CloudTrail-Digest/. */
export function logFiles(paths: string[]): { path: string; bytes: number }[] {
  const out: { path: string; bytes: number }[] = [];
  const visit = (path: string, given: boolean) => {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new CommandError(`localtrail: no such file or folder: ${path}`);
    }
    if (stat.isDirectory()) {
      if (!given && /CloudTrail-Digest$/.test(path)) return;
      for (const name of readdirSync(path).sort()) visit(join(path, name), false);
    } else if (given || (/\.json(\.gz)?$/.test(path) && !/_CloudTrail-Digest_/.test(path))) {
      out.push({ path, bytes: stat.size });
    }
  };
  for (const p of paths) visit(p, true);
  return out;
}

export const importCommand: Subcommand = {
  summary: "add real CloudTrail log files (or folders of them) to the history",
  usage: USAGE,
  async run(args) {
    const a = parseCommandArgs(args, { to: { type: "string" } }, true);
    const positionals = a.positionals;
    if (a.flag("help")) return void console.log(USAGE), 0;
    const to = a.text("to") ?? "log";
    if (to !== "log" && to !== "columnar") throw new CommandError(`localtrail import: --to is log or columnar, not ${to}.`, 2);
    const path = to === "columnar" ? "/_localtrail/import?store=columnar" : "/_localtrail/import";
    if (positionals.length === 0) throw new CommandError(`localtrail import: give log files or folders.\n\n${USAGE}`, 2);
    const files = logFiles(positionals);
    if (files.length === 0) throw new CommandError("localtrail import: no CloudTrail log files (*.json.gz, *.json) found there.");
    const progress = new ProgressBar(files.reduce((n, f) => n + f.bytes, 0), files.length, process.stderr.isTTY === true);
    const total: ImportAnswer = { imported: 0, duplicates: 0, rejected: 0 };
    const failed: string[] = [];
    // The columnar store takes many files per request (one DuckDB statement reads them all); the event log one at a time.
    for (const batch of to === "columnar" ? batches(files) : files.map((f) => [f])) {
      try {
        const res = await control(a.endpoint, path, { method: "POST", body: to === "log" ? readFileSync(batch[0]!.path) : formOf(batch) });
        const answer = (await res.json()) as ImportAnswer;
        total.imported += answer.imported;
        total.duplicates += answer.duplicates;
        total.rejected += answer.rejected;
        for (const f of answer.failed ?? []) failed.push(`${f.name}: ${f.error}`);
      } catch (e) {
        // A server that is gone fails every file: stop at the first.
        if (e instanceof CommandError && e.message.includes("nothing answers")) throw e;
        for (const file of batch) failed.push(`${file.path}: ${(e as Error).message.replace(/^localtrail: \S+: /, "")}`);
      }
      for (const file of batch) progress.advance(file.bytes, total.imported);
    }
    progress.done();
    console.log(`imported ${total.imported} records from ${files.length - failed.length} of ${files.length} files (${total.duplicates} already there, ${total.rejected} not CloudTrail records)`);
    for (const f of failed) console.error(`  not imported: ${f}`);
    return failed.length > 0 ? 1 : 0;
  },
};

/** A one-line bar on a terminal, redrawn in place; nothing when the output is not a terminal. */
class ProgressBar {
  private bytes = 0;
  private files = 0;

  constructor(
    private readonly totalBytes: number,
    private readonly totalFiles: number,
    private readonly tty: boolean,
  ) {}

  advance(bytes: number, records: number): void {
    this.bytes += bytes;
    this.files++;
    if (!this.tty) return;
    const width = 30;
    const share = this.totalBytes > 0 ? this.bytes / this.totalBytes : this.files / this.totalFiles;
    const filled = Math.round(share * width);
    process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.round(share * 100)}%  ${this.files}/${this.totalFiles} files  ${records} records`);
  }

  done(): void {
    if (this.tty) process.stderr.write("\n");
  }
}
