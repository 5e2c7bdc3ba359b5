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

  // The defaults are shaped only when used: most overrides build their own (S3's input has 60 members).
  const defaultRequest = () => (call.input === undefined ? null : recordObject(model, operation.input?.shape, call.input, shaping));
  const requestParameters =
    call.input === undefined || call.error?.unauthorized ? null : audit?.requestParameters ? fact(inputs, () => audit.requestParameters!(call, once(defaultRequest)), defaultRequest) : defaultRequest();
  // AWS leaves responseElements null for failures and for reads, except reads whose operation writes them
  // (STS AssumeRoleWithWebIdentity is read-only and records its credentials).
  const noResponse = failed || (readOnly && !audit?.readRecordsResponse);
  const defaultResponse = () => recordObject(model, operation.output?.shape, call.output, shaping);
  const responseElements = noResponse ? null : audit?.responseElements ? fact(inputs, () => audit.responseElements!(call, once(defaultResponse)), defaultResponse) : defaultResponse();
  const resources = audit?.resources ? fact(inputs, () => audit.resources!(call), noValue) : undefined;
  const additionalEventData = audit?.additionalEventData ? fact(inputs, () => audit.additionalEventData!(call), noValue) : undefined;

  // S3 brackets a client's user agent, not an AWS service's (`"userAgent": "cloudtrail.amazonaws.com"` on its PutObject).
  const bracketed = inputs.serviceAudit?.bracketUserAgent && call.caller.type !== "AWSService";

  // Optional fields are left out, never written as null (requestParameters/responseElements are the
  // exceptions): set one by one, in AWS's key order, rather than copied without the undefined ones.
  const record = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(call.caller),
    eventTime: isoSeconds(inputs.eventTime),
    eventSource: inputs.eventSource,
    eventName: audit?.eventName ?? operation.name,
    awsRegion: inputs.recordRegion ?? call.region,
    sourceIPAddress: inputs.sourceIp,
  } as CloudTrailRecord;
  if (inputs.userAgent !== undefined) record.userAgent = truncate(bracketed ? `[${inputs.userAgent}]` : inputs.userAgent);
  if (failed) {
    record.errorCode = truncate(inputs.errorCode ?? call.error!.code);
    if (call.error!.message) record.errorMessage = truncate(call.error!.message);
  }
  record.requestParameters = capped(requestParameters, ELEMENTS_LIMIT);
  record.responseElements = capped(responseElements, ELEMENTS_LIMIT);
  if (additionalEventData !== undefined) record.additionalEventData = capped(additionalEventData, ADDITIONAL_DATA_LIMIT);
  if (call.requestId !== undefined) record.requestID = call.requestId;
  record.eventID = inputs.eventId;
  record.readOnly = readOnly;
  if (resources && resources.length > 0) record.resources = resources;
  record.eventType = "AwsApiCall";
  if (inputs.serviceAudit?.apiVersion !== undefined) record.apiVersion = inputs.serviceAudit.apiVersion;
  record.managementEvent = category === "Management";
  record.recipientAccountId = call.accountId;
  record.eventCategory = category;
  if (call.caller.session?.fromConsole) record.sessionCredentialFromConsole = "true";
  return { record, lookupResources: lookupResources(inputs, resources) };
}

const noValue = () => undefined;

/**
 * An audit fact of the operation. Facts see input that may have failed validation (required members
 * missing): one that throws must not cost the call its record, so the field falls back to its default.
 */
function fact<T>(inputs: RecordInputs, compute: () => T, fallback: () => T): T {
  try {
    return compute();
  } catch (e) {
    inputs.onAuditError?.(e);
    return fallback();
  }
}

/**
 * What LookupEvents lists as the event's resources: members the service names as resources (UserName ->
 * AWS::IAM::User) in the input, and on success in the output, plus the record's own resources.
 */
function lookupResources(inputs: RecordInputs, resources: RecordResource[] | undefined): LookupResource[] {
  const { call } = inputs;
  const found: LookupResource[] = [];
  const members = inputs.serviceAudit?.resourceMembers;
  if (members) {
    scanResources(call.input, members, found, 0);
    if (!call.error) scanResources(call.output, members, found, 0);
  }
  const extra = inputs.audit?.lookupResources;
  if (extra) for (const r of fact(inputs, () => extra(call), () => [])) addResource(found, r.type, r.name);
  if (resources) {
    for (const r of resources) {
      const name = inputs.serviceAudit?.lookupName?.(r) ?? r.ARN ?? r.ARNPrefix;
      if (name) addResource(found, r.type, name);
    }
  }
  return found;
}

/** Members named as resources, in a value and the objects it holds (two levels down). */
function scanResources(value: unknown, members: Record<string, string>, found: LookupResource[], depth: number): void {
  if (!value || typeof value !== "object" || depth > 2) return;
  const object = value as Record<string, unknown>;
  for (const k in object) {
    const v = object[k];
    const type = members[k];
    if (type && typeof v === "string") addResource(found, type, v);
    else if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array)) scanResources(v, members, found, depth + 1);
  }
}

/** A call names a handful of resources: a scan of them finds a repeat. */
function addResource(found: LookupResource[], type: string, name: string): void {
  for (const r of found) if (r.type === type && r.name === name) return;
  found.push({ type, name });
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
