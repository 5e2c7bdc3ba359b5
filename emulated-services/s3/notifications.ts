import type { LambdaFunctionConfiguration, NotificationConfiguration } from "../../src/generated/types/s3.js";
import { AwsError } from "../../src/types/aws-error.js";
import { callerPrincipalId, type Caller } from "../../src/types/caller.js";
import type { CallContext, ServiceEnv } from "../../src/types/service.js";
import { putServiceEvent } from "../events/directory.js";
import { ownedBucket } from "./bucket-access.js";
import type { Op } from "./op.js";
import { canonicalId } from "./owner.js";
import { bucketTable, objectTable, type StoredBucket } from "./state.js";

/**
 * S3 event notifications (S3 User Guide, "Amazon S3 Event Notifications"): Lambda functions invoked
 * asynchronously with the event message structure (eventVersion 2.1) for the event types and key
 * prefix/suffix each configuration names, and EventBridge's "Object Created" / "Object Deleted" events
 * when EventBridge is on. Objects written by services (trail delivery) notify as well.
 */
export interface ObjectEvent {
  /** `ObjectCreated:Put`, `ObjectRemoved:Delete`, ... */
  name: string;
  key: string;
  size?: number;
  etag?: string;
  /** In a versioned bucket, the version written or removed (or the delete marker made). */
  versionId?: string;
  /** Who wrote or deleted it, and from where. */
  requester: { principalId: string; accountId: string };
  sourceIp: string;
  requestId: string;
}

const SUPPORTED = /^s3:(ObjectCreated|ObjectRemoved|ObjectRestore|Replication|LifecycleExpiration|ObjectTagging|ObjectAcl|LifecycleTransition|IntelligentTiering|ReducedRedundancyLostObject)(:[A-Za-z*]+)?$/;

export const putBucketNotificationConfiguration: Op<"PutBucketNotificationConfiguration"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  const config = input.NotificationConfiguration;
  if ((config.TopicConfigurations ?? []).length > 0 || (config.QueueConfigurations ?? []).length > 0) {
    throw invalidArgument("localtrail delivers notifications to Lambda functions and EventBridge only: SNS and SQS are not emulated.");
  }
  for (const c of config.LambdaFunctionConfigurations ?? []) {
    for (const event of c.Events) if (!SUPPORTED.test(event)) throw invalidArgument("The event is not supported for notifications");
    for (const rule of c.Filter?.Key?.FilterRules ?? []) {
      if (!/^(prefix|suffix)$/i.test(String(rule.Name))) throw invalidArgument("filter rule name must be either prefix or suffix");
    }
  }
  const stored: NotificationConfiguration = {
    LambdaFunctionConfigurations: (config.LambdaFunctionConfigurations ?? []).map((c) => ({
      ...c,
      Id: c.Id ?? ctx.env.ids.alnum(48),
      Filter: c.Filter?.Key?.FilterRules ? { Key: { FilterRules: c.Filter.Key.FilterRules.map((r) => ({ Name: capitalized(r.Name!), Value: r.Value })) } } : undefined,
    })),
    EventBridgeConfiguration: config.EventBridgeConfiguration,
  };
  bucketTable(ctx.state).set(bucket.name, { ...bucket, notification: stored });
};

export const getBucketNotificationConfiguration: Op<"GetBucketNotificationConfiguration"> = (input, ctx) => {
  const bucket = ownedBucket(ctx, input.Bucket);
  return bucket.notification ?? {};
};

// S3 answers the filter rule names capitalised whatever case they were put in.
const capitalized = (name: string) => (name.toLowerCase() === "prefix" ? "Prefix" : "Suffix") as "prefix" | "suffix";

const invalidArgument = (message: string) => new AwsError("InvalidArgument", message, { status: 400 });

/** How S3 names the principal in an event record: `AWS:<unique id>` of the user or role, the account for root. */
export function requesterOf(caller: Caller): { principalId: string; accountId: string } {
  switch (caller.type) {
    case "IAMUser":
      return { principalId: `AWS:${caller.userId}`, accountId: caller.accountId };
    case "AssumedRole":
      return { principalId: `AWS:${caller.roleId}:${caller.sessionName}`, accountId: caller.accountId };
    case "Root":
      return { principalId: `AWS:${caller.accountId}`, accountId: caller.accountId };
    case "AWSService":
    case "WebIdentityUser":
      return { principalId: callerPrincipalId(caller), accountId: caller.accountId };
  }
}

/** The facts of a call an object event carries. */
export const callFacts = (ctx: CallContext) => ({ requester: requesterOf(ctx.caller), sourceIp: ctx.request.sourceIp, requestId: ctx.requestId });

let sequence = 0;

/** Sends the bucket's notifications for an object event, after the call that caused it has answered. */
export function notifyObjectEvent(env: ServiceEnv, bucket: StoredBucket, event: ObjectEvent): void {
  const config = bucket.notification;
  if (!config) return;
  const now = env.now();
  // Sequencers grow with each event of a key, so consumers can order them (S3 User Guide, event structure).
  const sequencer = (now.getTime() * 1000 + (sequence++ % 1000)).toString(16).toUpperCase().padStart(16, "0");
  for (const c of config.LambdaFunctionConfigurations ?? []) {
    if (!selects(c, event)) continue;
    const record = eventRecord(bucket, event, c.Id!, now, sequencer);
    const region = c.LambdaFunctionArn.split(":")[3] ?? bucket.region;
    setImmediate(() => {
      void env
        .invoke({
          service: "lambda",
          operation: "Invoke",
          input: { FunctionName: c.LambdaFunctionArn, InvocationType: "Event", Payload: Buffer.from(JSON.stringify({ Records: [record] })) },
          region,
          as: { service: "s3.amazonaws.com", accountId: bucket.ownerAccountId, sourceArn: `arn:aws:s3:::${bucket.name}` },
        })
        .then((outcome) => {
          if (outcome.error) console.error(`localtrail: s3: notification of ${bucket.name} to ${c.LambdaFunctionArn} failed: ${outcome.error.code}: ${outcome.error.message}`);
        });
    });
  }
  if (config.EventBridgeConfiguration) {
    const created = event.name.startsWith("ObjectCreated:");
    const removed = event.name.startsWith("ObjectRemoved:");
    if (!created && !removed) return;
    putServiceEvent(env, bucket.ownerAccountId, bucket.region, {
      "detail-type": created ? "Object Created" : "Object Deleted",
      source: "aws.s3",
      time: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
      resources: [`arn:aws:s3:::${bucket.name}`],
      detail: {
        version: "0",
        bucket: { name: bucket.name },
        object: created
          ? { key: event.key, size: event.size, etag: event.etag?.replace(/"/g, ""), "version-id": event.versionId, sequencer }
          : { key: event.key, "version-id": event.versionId, sequencer },
        "request-id": event.requestId,
        requester: event.requester.accountId,
        "source-ip-address": event.sourceIp,
        reason: REASONS[event.name] ?? event.name,
        ...(removed ? { "deletion-type": event.name === "ObjectRemoved:DeleteMarkerCreated" ? "Delete Marker Created" : "Permanently Deleted" } : {}),
      },
    });
  }
}

const REASONS: Record<string, string> = {
  "ObjectCreated:Put": "PutObject",
  "ObjectCreated:Copy": "CopyObject",
  "ObjectCreated:CompleteMultipartUpload": "CompleteMultipartUpload",
  "ObjectRemoved:Delete": "DeleteObject",
  "ObjectRemoved:DeleteMarkerCreated": "DeleteObject",
};

function selects(c: LambdaFunctionConfiguration, event: ObjectEvent): boolean {
  const typeOk = c.Events.some((e) => {
    const wanted = e.replace(/^s3:/, "");
    return wanted.endsWith(":*") ? event.name.startsWith(wanted.slice(0, -1)) : wanted === event.name;
  });
  if (!typeOk) return false;
  return (c.Filter?.Key?.FilterRules ?? []).every((r) => (r.Name!.toLowerCase() === "prefix" ? event.key.startsWith(r.Value ?? "") : event.key.endsWith(r.Value ?? "")));
}

/** One record of the event message (S3 User Guide, "Event message structure"), keys URL-encoded as S3 sends them. */
function eventRecord(bucket: StoredBucket, event: ObjectEvent, configurationId: string, now: Date, sequencer: string) {
  const created = event.name.startsWith("ObjectCreated:");
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: bucket.region,
    eventTime: now.toISOString(),
    eventName: event.name,
    userIdentity: { principalId: event.requester.principalId },
    requestParameters: { sourceIPAddress: event.sourceIp },
    responseElements: { "x-amz-request-id": event.requestId, "x-amz-id-2": Buffer.from(event.requestId).toString("base64") },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId,
      bucket: { name: bucket.name, ownerIdentity: { principalId: canonicalId(bucket.ownerAccountId) }, arn: `arn:aws:s3:::${bucket.name}` },
      object: created
        ? { key: encodeKey(event.key), size: event.size, eTag: event.etag?.replace(/"/g, ""), versionId: event.versionId, sequencer }
        : { key: encodeKey(event.key), versionId: event.versionId, sequencer },
    },
  };
}

/** Keys in event records are form-encoded: spaces as `+`. */
const encodeKey = (key: string) => encodeURIComponent(key).replace(/%20/g, "+").replace(/%2F/g, "/");

type Handler<I, O> = (input: I, ctx: CallContext) => O | Promise<O>;

/** An object-writing operation that notifies `ObjectCreated:<kind>` once it has written the object. */
export function notifyingCreate<I extends { Bucket: string; Key: string }, O>(kind: string, handler: Handler<I, O>): Handler<I, O> {
  return async (input, ctx) => {
    const output = await handler(input, ctx);
    const bucket = bucketTable(ctx.state).get(input.Bucket);
    if (bucket?.notification) {
      const object = objectTable(ctx.state, bucket).get(input.Key);
      const versionId = (output as { VersionId?: string } | undefined)?.VersionId;
      notifyObjectEvent(ctx.env, bucket, { name: `ObjectCreated:${kind}`, key: input.Key, size: object?.size, etag: object?.etag, versionId, ...callFacts(ctx) });
    }
    return output;
  };
}

/** What a delete removed, as the bucket's notifications tell it. */
export interface Removal {
  key: string;
  /** A delete without a version id in a versioned bucket adds a delete marker instead of removing. */
  deleteMarker?: boolean;
  versionId?: string;
}

/** A deleting operation that notifies `ObjectRemoved:Delete` or `ObjectRemoved:DeleteMarkerCreated` for each key it removed. */
export function notifyingDelete<I extends { Bucket: string }, O>(removed: (input: I, output: O) => Removal[], handler: Handler<I, O>): Handler<I, O> {
  return async (input, ctx) => {
    const output = await handler(input, ctx);
    const bucket = bucketTable(ctx.state).get(input.Bucket);
    if (bucket?.notification) {
      for (const r of removed(input, output)) {
        notifyObjectEvent(ctx.env, bucket, { name: r.deleteMarker ? "ObjectRemoved:DeleteMarkerCreated" : "ObjectRemoved:Delete", key: r.key, versionId: r.versionId, ...callFacts(ctx) });
      }
    }
    return output;
  };
}
