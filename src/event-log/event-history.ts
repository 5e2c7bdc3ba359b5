import type { CloudTrailRecord, LookupResource } from "../types/cloudtrail-record.js";

/** A record as the log keeps it: the record itself and the resources LookupEvents shows for it. */
export interface StoredEvent {
  record: CloudTrailRecord;
  lookupResources: LookupResource[];
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

export interface LookupPage {
  events: StoredEvent[];
  nextToken?: string;
}

/** Thrown for a NextToken that is garbage, tampered with, or from a different query. */
export class InvalidPageTokenError extends Error {}

/** The history as services see it (CloudTrail's LookupEvents). */
export interface EventHistory {
  lookup(query: LookupQuery): LookupPage;
}
