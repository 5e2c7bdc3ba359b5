import { own, setEntry } from "../../src/state/own-entries.js";
import type { LogStream } from "../../src/generated/types/logs.js";
import type { Ids } from "../../src/types/service.js";
import { alreadyExists, invalidParameter } from "./errors.js";
import { dropEvents } from "./event-store.js";
import type { Op } from "./op.js";
import { pageOf } from "./pagination.js";
import { findGroup, findStream, logStreamArn, type StoredLogGroup, type StoredLogStream } from "./state.js";

export function toLogStream(stream: StoredLogStream, group: StoredLogGroup, accountId: string, region: string): LogStream {
  return {
    logStreamName: stream.name,
    creationTime: stream.creationTime,
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
    uploadSequenceToken: stream.uploadSequenceToken,
    arn: logStreamArn(accountId, region, group.name, stream.name),
    storedBytes: 0,
  };
}

/** Sequence tokens are 56-digit numbers (PutLogEvents no longer requires them, but still returns one). */
export const sequenceToken = (ids: Ids) => `4${Array.from(ids.hex(55), (c) => String(parseInt(c, 16) % 10)).join("")}`;

export function newStream(group: StoredLogGroup, name: string, ids: Ids, now: Date): StoredLogStream {
  const stream: StoredLogStream = { name, id: ids.uuid(), creationTime: now.getTime(), eventCount: 0, uploadSequenceToken: sequenceToken(ids) };
  setEntry(group.streams, name, stream);
  return stream;
}

export const createLogStream: Op<"CreateLogStream"> = (input, ctx) => {
  const group = findGroup(ctx, { logGroupName: input.logGroupName });
  if (own(group.streams, input.logStreamName)) throw alreadyExists("The specified log stream already exists");
  newStream(group, input.logStreamName, ctx.env.ids, ctx.now);
};

/** By name (default) or by last event time, ascending unless `descending`. */
export const describeLogStreams: Op<"DescribeLogStreams"> = (input, ctx) => {
  const group = findGroup(ctx, input);
  const byTime = input.orderBy === "LastEventTime";
  if (byTime && input.logStreamNamePrefix !== undefined) throw invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
  const streams = Object.values(group.streams)
    .filter((s) => input.logStreamNamePrefix === undefined || s.name.startsWith(input.logStreamNamePrefix))
    .sort((a, b) => (byTime ? (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || compare(a.name, b.name) : compare(a.name, b.name)));
  if (input.descending) streams.reverse();
  const page = pageOf(streams, (s) => s.name, input.nextToken, input.limit ?? 50);
  return { logStreams: page.items.map((s) => toLogStream(s, group, ctx.accountId, ctx.region)), nextToken: page.nextToken };
};

export const deleteLogStream: Op<"DeleteLogStream"> = async (input, ctx) => {
  const group = findGroup(ctx, { logGroupName: input.logGroupName });
  const stream = findStream(group, input.logStreamName);
  delete group.streams[stream.name];
  await dropEvents(ctx.state, stream);
};

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
