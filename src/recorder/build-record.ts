import type { CloudTrailRecord, LookupResource, RecordResource } from "../types/cloudtrail-record.js";
import type { OperationModel, ServiceModel } from "../types/model.js";
import type { AuditFacts, AuditView, ServiceAuditDefaults } from "../types/service.js";
import type { StoredEvent } from "../event-log/event-history.js";
import { isoSeconds } from "../protocols/timestamps.js";
import { recordObject, type RecordShaping } from "./shape-record.js";
import { userIdentity } from "./user-identity.js";
import { isReadOnly } from "./read-only.js";

export const EVENT_VERSION = "1.11";

/** Everything one record is made of. Building it does no I/O and reads no clock: golden tests pin every input. */
export interface RecordInputs {
  eventSource: string;
  /** Global services record in this region whatever region was called. */
  recordRegion?: string;
  serviceAudit?: ServiceAuditDefaults;
  model: ServiceModel;
  operation: OperationModel;
  audit?: AuditFacts<unknown, unknown>;
  recordStyle: RecordShaping["style"];
  /** errorCode as the protocol spells it in records. */
  errorCode?: string;
  call: AuditView<unknown, unknown>;
  userAgent?: string;
  sourceIp: string;
  eventTime: Date;
  eventId: string;
  /** Told when an operation's audit fact throws; the record then falls back to the default for that field. */
  onAuditError?: (error: unknown) => void;
}

const LIMIT = 1024;

/** Builds the CloudTrail record of one call, in AWS's key order (reference/cloudtrail.md §2.2). */
export function buildRecord(inputs: RecordInputs): StoredEvent {
  const { call, audit, operation, model } = inputs;
  const shaping: RecordShaping = { style: inputs.recordStyle, dateFormat: inputs.serviceAudit?.dateFormat ?? "iso" };
  const readOnly = isReadOnly(operation.name, audit);
  const category = audit?.category ?? "Management";
  const failed = call.error !== undefined;

  // Audit facts see input that may have failed validation (required members missing): one that throws
  // must not cost the call its record, so the field falls back to its default.
  const fact = <T>(compute: (() => T) | undefined, fallback: () => T): T => {
    if (!compute) return fallback();
    try {
      return compute();
    } catch (e) {
      inputs.onAuditError?.(e);
      return fallback();
    }
  };
  // The defaults are shaped only when used: most overrides build their own (S3's input has 60 members).
  const shapedRequest = once(() => (call.input === undefined ? null : recordObject(model, operation.input?.shape, call.input, shaping)));
  const requestParameters = call.input === undefined || call.error?.unauthorized ? null : fact(audit?.requestParameters && (() => audit.requestParameters!(call, shapedRequest)), shapedRequest);
  // AWS leaves responseElements null for failures and for reads, except reads whose operation writes them
  // (STS AssumeRoleWithWebIdentity is read-only and records its credentials).
  const noResponse = failed || (readOnly && !audit?.responseElements);
  const shapedResponse = once(() => (failed ? null : recordObject(model, operation.output?.shape, call.output, shaping)));
  const responseElements = noResponse ? null : fact(audit?.responseElements && (() => audit.responseElements!(call, shapedResponse)), shapedResponse);
  const resources = fact(audit?.resources && (() => audit.resources!(call)), () => undefined);
  const additionalEventData = fact(audit?.additionalEventData && (() => audit.additionalEventData!(call)), () => undefined);

  // S3 brackets a client's user agent, not an AWS service's (`"userAgent": "cloudtrail.amazonaws.com"` on its PutObject).
  const bracketed = inputs.serviceAudit?.bracketUserAgent && call.caller.type !== "AWSService";
  const userAgent = inputs.userAgent === undefined ? undefined : truncate(bracketed ? `[${inputs.userAgent}]` : inputs.userAgent);
  const record: CloudTrailRecord = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(call.caller),
    eventTime: isoSeconds(inputs.eventTime),
    eventSource: inputs.eventSource,
    eventName: audit?.eventName ?? operation.name,
    awsRegion: inputs.recordRegion ?? call.region,
    sourceIPAddress: inputs.sourceIp,
    userAgent,
    errorCode: failed ? truncate(inputs.errorCode ?? call.error!.code) : undefined,
    errorMessage: failed && call.error!.message ? truncate(call.error!.message) : undefined,
    requestParameters: capped(requestParameters, ELEMENTS_LIMIT),
    responseElements: capped(responseElements, ELEMENTS_LIMIT),
    additionalEventData: capped(additionalEventData, ADDITIONAL_DATA_LIMIT),
    requestID: call.requestId,
    eventID: inputs.eventId,
    readOnly,
    resources: resources && resources.length > 0 ? resources : undefined,
    eventType: "AwsApiCall",
    apiVersion: inputs.serviceAudit?.apiVersion,
    managementEvent: category === "Management",
    recipientAccountId: call.accountId,
    eventCategory: category,
    sessionCredentialFromConsole: call.caller.session?.fromConsole ? "true" : undefined,
  };
  return { record: dropUndefined(record), lookupResources: lookupResources(inputs, resources, fact) };
}

/**
 * What LookupEvents lists as the event's resources: members the service names as resources (UserName ->
 * AWS::IAM::User) in the input, and on success in the output, plus the record's own resources.
 */
function lookupResources(inputs: RecordInputs, resources: RecordResource[] | undefined, fact: <T>(compute: (() => T) | undefined, fallback: () => T) => T): LookupResource[] {
  const { call } = inputs;
  const found: LookupResource[] = [];
  const seen = new Set<string>();
  const add = (type: string, name: string) => {
    const k = `${type}\u0000${name}`;
    if (!seen.has(k)) {
      seen.add(k);
      found.push({ type, name });
    }
  };
  const members = inputs.serviceAudit?.resourceMembers ?? {};
  const scan = (value: unknown, depth: number) => {
    if (!value || typeof value !== "object" || depth > 2) return;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const type = members[k];
      if (type && typeof v === "string") add(type, v);
      else if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array)) scan(v, depth + 1);
    }
  };
  scan(call.input, 0);
  if (!call.error) scan(call.output, 0);
  const extra = inputs.audit?.lookupResources;
  for (const r of fact(extra && (() => extra(call)), () => [])) add(r.type, r.name);
  for (const r of resources ?? []) {
    const name = inputs.serviceAudit?.lookupName?.(r) ?? r.ARN ?? r.ARNPrefix;
    if (name) add(r.type, name);
  }
  return found;
}

const truncate = (s: string) => (s.length > LIMIT ? s.slice(0, LIMIT) : s);

/** requestParameters and responseElements hold at most 100 KB, additionalEventData 28 KB (reference/cloudtrail.md §2.2). */
const ELEMENTS_LIMIT = 100 * 1024;
const ADDITIONAL_DATA_LIMIT = 28 * 1024;

/**
 * A field over its size is not written: "CloudTrail truncates a field if the field's contents exceeds the
 * maximum field size. If a field is truncated, omitted is present with a value of true" (CloudTrail User Guide,
 * "CloudTrail record contents"). So a 5 MB policy or payload never makes a multi-megabyte record.
 */
function capped<T extends Record<string, unknown> | null | undefined>(field: T, limit: number): T | { omitted: true } {
  return field && jsonLengthOver(field, limit) ? { omitted: true } : field;
}

/** Whether the value's JSON is longer than `limit` characters, worked out without building it (stops early). */
function jsonLengthOver(value: unknown, limit: number): boolean {
  let length = 0;
  const walk = (v: unknown): boolean => {
    if (typeof v === "string") length += v.length + 2;
    else if (Array.isArray(v)) {
      length += 2 + v.length;
      for (const item of v) if (walk(item)) return true;
    } else if (v && typeof v === "object" && !(v instanceof Date)) {
      for (const [k, item] of Object.entries(v)) {
        length += k.length + 4;
        if (walk(item)) return true;
      }
      length += 2;
    } else length += 8;
    return length > limit;
  };
  return walk(value);
}

/**
 * Optional fields are left out, never written as null (requestParameters/responseElements are the
 * exceptions). A copy rather than `delete`, which would slow every later use of the record.
 */
function dropUndefined<T extends object>(record: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * The copy of a record AWS delivers to the account that owns the resource of a cross-account call: the
 * caller appears as that account's `AWSAccount` principal, and both copies carry the same sharedEventID
 * (IAM User Guide, "Example cross-account AWS STS API events in CloudTrail log files").
 */
export function crossAccountCopies(event: StoredEvent, resourceAccount: string, sharedEventId: string, copyEventId: string): [StoredEvent, StoredEvent] {
  const own: CloudTrailRecord = withSharedEventId(event.record, sharedEventId);
  const identity = event.record.userIdentity;
  const other: CloudTrailRecord = withSharedEventId(
    {
      ...event.record,
      userIdentity: { type: "AWSAccount", principalId: identity.principalId, accountId: identity.accountId },
      eventID: copyEventId,
      recipientAccountId: resourceAccount,
    },
    sharedEventId,
  );
  return [
    { record: own, lookupResources: event.lookupResources },
    { record: other, lookupResources: event.lookupResources },
  ];
}

/** sharedEventID sits after recipientAccountId in AWS's key order. */
function withSharedEventId(record: CloudTrailRecord, sharedEventId: string): CloudTrailRecord {
  const { eventCategory, sessionCredentialFromConsole, ...rest } = record;
  return { ...rest, sharedEventID: sharedEventId, eventCategory, ...(sessionCredentialFromConsole && { sessionCredentialFromConsole }) };
}

/** A value worked out on first use. */
function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}
