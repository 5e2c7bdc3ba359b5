import type { CloudTrailRecord } from "../types/cloudtrail-record.js";
import type { EventHistory } from "../event-log/event-history.js";
import { describeRecord } from "./describe-record.js";

export type LogFormat = "text" | "json";

const ansi = (code: string) => (text: string) => `\x1b[${code}m${text}\x1b[0m`;
const dim = ansi("2");
const cyan = ansi("36");
const bold = ansi("1");
const green = ansi("32");
const red = ansi("31");
const plain = (text: string) => text;

const pad = (text: string, width: number) => (text.length >= width ? text : text + " ".repeat(width - text.length));

/** The columns of a call line: `localtrail events` prints them as its table's header. */
export const CALL_COLUMNS: [string, number][] = [
  ["ACCOUNT", 12],
  ["WHO", 20],
  ["CALL", 34],
  ["RESOURCE", 28],
  ["OUTCOME", 24],
  ["TOOL", 0],
];

/** The header of call lines, for a table (`withDate`: the time column holds the date too). */
export function callHeader(withDate: boolean): string {
  return [pad("TIME", withDate ? 19 : 8), ...CALL_COLUMNS.map(([name, width]) => pad(name, width))].join(" ").trimEnd();
}

/**
 * One line per call for people: time (emulated, UTC), account, who, service:operation, resource, outcome,
 * tool. `color` for a terminal; `withDate` for history, where calls span days.
 */
export function callLine(record: CloudTrailRecord, color: boolean, withDate = false): string {
  const f = describeRecord(record);
  const c = color ? { dim, cyan, bold, ok: green, err: red } : { dim: plain, cyan: plain, bold: plain, ok: plain, err: plain };
  const at = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(f.time);
  const time = at ? (withDate ? `${at[1]} ${at[2]}` : at[2]!) : f.time;
  const [account, who, call, resource, outcome] = CALL_COLUMNS.map(([, width]) => width);
  return [
    c.dim(time),
    c.dim(pad(f.account, account!)),
    c.cyan(pad(f.who, who!)),
    c.bold(pad(f.call, call!)),
    pad(f.resource || "-", resource!),
    (f.ok ? c.ok : c.err)(pad(f.outcome, outcome!)),
    c.dim(f.tool),
  ]
    .join(" ")
    .trimEnd();
}

/** The same facts for machines (`--log-format json`): one JSON object per call. */
export function callJson(record: CloudTrailRecord): string {
  const f = describeRecord(record);
  const [service, operation] = [f.call.slice(0, f.call.indexOf(":")), record.eventName];
  return JSON.stringify({
    time: f.time,
    account: f.account,
    region: f.region,
    who: f.who,
    identityType: record.userIdentity?.type,
    service,
    operation,
    resource: f.resource || undefined,
    outcome: f.ok ? "OK" : "error",
    errorCode: record.errorCode,
    tool: f.tool || undefined,
    sourceIPAddress: record.sourceIPAddress,
    eventID: record.eventID,
    eventCategory: record.eventCategory,
  });
}

/**
 * Prints each new call as the history announces it, after it is durable: a subscriber of the history like
 * any sink, so the recorder knows nothing of the terminal. One write per batch of the group commit.
 */
export function printCalls(history: EventHistory, options: { format: LogFormat; color: boolean; write(text: string): void }): void {
  history.onAppend((events) => {
    let text = "";
    for (const { event } of events) text += `${options.format === "json" ? callJson(event.record) : callLine(event.record, options.color)}\n`;
    options.write(text);
  });
}
