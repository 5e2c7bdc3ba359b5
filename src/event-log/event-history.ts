import type { CloudTrailRecord, LookupResource } from "../types/cloudtrail-record.js";


/** A record as the log keeps it: the record itself and the resources LookupEvents shows for it. */
export interface StoredEvent {
  record: CloudTrailRecord;
  lookupResources: LookupResource[];
  /** Loaded from a log file (POST /_localtrail/import): history to look up, not activity to deliver. */
  imported?: boolean;
}

/** The eight attributes of LookupEvents. */
export type LookupAttributeKey = "EventId" | "EventName" | "ReadOnly" | "Username" | "ResourceType" | "ResourceName" | "EventSource" | "AccessKeyId";

export const LOOKUP_ATTRIBUTE_KEYS: readonly LookupAttributeKey[] = [
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId",
];

export interface LookupQuery {
  accountId: string;
  region: string;
  /** Management events unless Insights events are asked for (LookupEvents' EventCategory `insight`). */
  category?: "Management" | "Insight";
  attribute?: { key: LookupAttributeKey; value: string };
  /** Inclusive bounds on eventTime, epoch milliseconds. */
  startTime: number;
  endTime: number;
  maxResults: number;
  /** The NextToken of the previous page, as returned by lookup(). */
  nextToken?: string;
  /** The request parameters a NextToken is bound to, as the client gave them (defaults such as "now" excluded). */
  tokenScope: string;
}

/** What Event history shows of a stored event: read from a short summary, never by parsing the whole record. */
export interface HistoryEvent {
  eventId: string;
  eventName: string;
  eventTime: string;
  eventSource: string;
  readOnly: boolean;
  username?: string;
  accessKeyId?: string;
  resources: LookupResource[];
  /** The record exactly as it is stored: LookupEvents' CloudTrailEvent. */
  recordJson: string;
}

export interface LookupPage {
  events: HistoryEvent[];
  nextToken?: string;
}

/** Thrown for a NextToken that is garbage, tampered with, or from a different query. */
export class InvalidPageTokenError extends Error {}

/** An event with its place in the history: seq grows with every append. */
export interface SequencedEvent {
  seq: number;
  event: StoredEvent;
}

/** Told about every batch of new events once it is durable (trail delivery and other sinks). */
export type AppendListener = (events: SequencedEvent[]) => void;

/** The history as services see it: LookupEvents, and sinks such as trail delivery. */
export interface EventHistory {
  lookup(query: LookupQuery): LookupPage;
  /** Subscribes to new live events (imported history is not announced); the function returned unsubscribes. */
  onAppend(listener: AppendListener): () => void;
  /** Live events after `seq`, oldest first (imported ones skipped): a sink catching up after a restart. */
  eventsAfter(seq: number, limit: number): SequencedEvent[];
  /** The seq of the newest event, or -1 when the history is empty. */
  lastSeq(): number;
}
