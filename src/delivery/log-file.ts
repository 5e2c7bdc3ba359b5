import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import type { CloudTrailRecord } from "../types/cloudtrail-record.js";
import { isoSeconds } from "../protocols/timestamps.js";

/**
 * One CloudTrail log file (reference/cloudtrail.md §6.2): `{"Records":[...]}`, serialised once; the
 * SHA-256 that digests name is over exactly those uncompressed bytes, and the object body is their gzip
 * (a single member). Pure.
 */
export interface LogFile {
  /** The gzip bytes, as the object's body. */
  body: Buffer;
  /** Lowercase hex SHA-256 of the uncompressed JSON. */
  sha256: string;
  /** The newest and oldest eventTime among the records, `YYYY-MM-DDTHH:MM:SSZ`. */
  newestEventTime: string;
  oldestEventTime: string;
  records: number;
}

/**
 * AWS caps a log file at 50 MB compressed; JSON records compress about tenfold, so files are cut at this
 * many uncompressed bytes.
 */
export const MAX_LOG_FILE_BYTES = 256 * 1024 * 1024;

/** The log files that hold `records`, in order: one, unless they exceed `maxBytes` uncompressed. */
export function buildLogFiles(records: readonly CloudTrailRecord[], maxBytes = MAX_LOG_FILE_BYTES): LogFile[] {
  const files: LogFile[] = [];
  let group: { json: string; record: CloudTrailRecord }[] = [];
  let bytes = 0;
  for (const record of records) {
    const json = JSON.stringify(record);
    if (group.length > 0 && bytes + json.length + 1 > maxBytes) {
      files.push(logFileOf(group));
      group = [];
      bytes = 0;
    }
    group.push({ json, record });
    bytes += json.length + 1;
  }
  if (group.length > 0) files.push(logFileOf(group));
  return files;
}

function logFileOf(group: { json: string; record: CloudTrailRecord }[]): LogFile {
  // The same bytes JSON.stringify({ Records }) writes, from records serialised once.
  const raw = Buffer.from(`{"Records":[${group.map((g) => g.json).join(",")}]}`, "utf8");
  let newest = -Infinity;
  let oldest = Infinity;
  for (const g of group) {
    const t = Date.parse(g.record.eventTime);
    if (t > newest) newest = t;
    if (t < oldest) oldest = t;
  }
  return {
    body: gzipSync(raw),
    sha256: createHash("sha256").update(raw).digest("hex"),
    newestEventTime: isoSeconds(new Date(newest)),
    oldestEventTime: isoSeconds(new Date(oldest)),
    records: group.length,
  };
}
