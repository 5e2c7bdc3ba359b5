import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import { setImmediate as nextTurn } from "node:timers/promises";
import type { CloudTrailRecord, LookupResource } from "../types/cloudtrail-record.js";
import type { ServiceDefinition } from "../types/service.js";
import type { EventLog } from "../event-log/event-log.js";
import type { StoredEvent } from "../event-log/event-history.js";
import { lowerFirst } from "../protocols/shapes.js";

/** Uncompressed, one CloudTrail log file is at most this big (AWS splits at 50 MB compressed). */
const MAX_UNCOMPRESSED = 1024 * 1024 * 1024;
/**
 * Records appended between turns of the event loop: a 50,000-record file otherwise holds the server for
 * seconds, stalling every other client (and ageing their keep-alive timers, so they reuse closed sockets).
 */
const RECORDS_PER_TURN = 2000;
const REQUIRED: (keyof CloudTrailRecord)[] = ["eventTime", "eventSource", "eventName", "awsRegion", "eventID", "recipientAccountId"];

const gunzipAsync = promisify(gunzip);

export class ImportError extends Error {}

export interface ImportResult {
  imported: number;
  /** Records already in the history (same event id): importing a file twice adds nothing. */
  duplicates: number;
  /** Records that are not CloudTrail records (missing eventTime, eventID, ...). */
  rejected: number;
}

/**
 * Adds the records of a CloudTrail log file (gzipped or plain `{"Records":[...]}`, as trails deliver them)
 * to the history, so real logs can be investigated locally with LookupEvents. Imported events are history,
 * not new activity: trails do not deliver them again. Two imports must not run side by side: the history
 * sees records only once they are written, so each would find the other's records new.
 */
export async function importLogFile(body: Buffer, eventLog: EventLog, services: ServiceDefinition[]): Promise<ImportResult> {
  let text: string;
  try {
    text = (body[0] === 0x1f && body[1] === 0x8b ? await gunzipAsync(body, { maxOutputLength: MAX_UNCOMPRESSED }) : body).toString("utf8");
  } catch {
    throw new ImportError("The body is not a readable gzip file.");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ImportError('The body is not JSON: expected a CloudTrail log file, {"Records":[...]}.');
  }
  const records = (parsed as { Records?: unknown })?.Records;
  if (!Array.isArray(records)) throw new ImportError('Expected a CloudTrail log file: {"Records":[...]}.');

  const resourceTypes = resourceTypesBySource(services);
  const result: ImportResult = { imported: 0, duplicates: 0, rejected: 0 };
  const seen = new Set<string>();
  const appended: Promise<void>[] = [];
  for (let start = 0; start < records.length; start += RECORDS_PER_TURN) {
    if (start > 0) await nextTurn();
    const events: StoredEvent[] = [];
    for (const candidate of records.slice(start, start + RECORDS_PER_TURN)) {
      if (!isRecord(candidate)) {
        result.rejected++;
        continue;
      }
      if (seen.has(candidate.eventID) || eventLog.contains(candidate)) {
        result.duplicates++;
        continue;
      }
      seen.add(candidate.eventID);
      events.push({ record: candidate, lookupResources: lookupResourcesOf(candidate, resourceTypes.get(candidate.eventSource)), imported: true });
    }
    appended.push(eventLog.appendMany(events));
    result.imported += events.length;
  }
  await Promise.all(appended);
  return result;
}

/** Several log files, one after the other; a file that is not a log file is listed, the others imported. */
export async function importLogFiles(files: { name: string; body: Buffer }[], eventLog: EventLog, services: ServiceDefinition[]): Promise<ImportResult & { failed: { name: string; error: string }[] }> {
  const total = { imported: 0, duplicates: 0, rejected: 0, failed: [] as { name: string; error: string }[] };
  for (const file of files) {
    try {
      const one = await importLogFile(file.body, eventLog, services);
      total.imported += one.imported;
      total.duplicates += one.duplicates;
      total.rejected += one.rejected;
    } catch (e) {
      if (!(e instanceof ImportError)) throw e;
      total.failed.push({ name: file.name, error: e.message });
    }
  }
  return total;
}

function isRecord(value: unknown): value is CloudTrailRecord {
  if (!value || typeof value !== "object") return false;
  const r = value as Record<string, unknown>;
  return REQUIRED.every((k) => typeof r[k] === "string") && !Number.isNaN(Date.parse(String(r.eventTime))) && typeof r.userIdentity === "object";
}

/** requestParameters names (lowerCamel) that name a resource, per event source, from the services' audit facts. */
function resourceTypesBySource(services: ServiceDefinition[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const s of services) {
    const members = new Map<string, string>();
    for (const [member, type] of Object.entries(s.audit?.resourceMembers ?? {})) members.set(lowerFirst(member), type);
    out.set(s.eventSource, members);
  }
  return out;
}

/** What LookupEvents shows for a record it did not make: its resources, and resource names in its request. */
function lookupResourcesOf(record: CloudTrailRecord, members: Map<string, string> | undefined): LookupResource[] {
  const found = new Map<string, LookupResource>();
  for (const r of record.resources ?? []) if (r.type && r.ARN) found.set(`${r.type}\u0000${r.ARN}`, { type: r.type, name: r.ARN });
  for (const [key, value] of Object.entries(record.requestParameters ?? {})) {
    const type = members?.get(key);
    if (type && typeof value === "string") found.set(`${type}\u0000${value}`, { type, name: value });
  }
  return [...found.values()];
}
