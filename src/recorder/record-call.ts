import type { Step } from "../types/step.js";
import { AwsError, isAwsError } from "../types/aws-error.js";
import type { EventLog } from "../event-log/event-log.js";
import { recordedRegion, type Ids } from "../types/service.js";
import { buildRecord, crossAccountCopies } from "./build-record.js";

export interface RecordCallOptions {
  eventLog: EventLog;
  ids: Ids;
  now: () => Date;
}

/**
 * The around-step that makes every call from an authenticated caller a record, whether it succeeded or
 * failed, malformed input included. It runs the rest of the pipeline, keeps the outcome on the call, and
 * answers only once the record is durable. It knows no service: everything comes from the call.
 */
export function recordCall(options: RecordCallOptions): Step {
  return async function recordCall(call, next) {
    try {
      await next();
    } catch (e) {
      call.error = toAwsError(e);
    }
    // An unsigned call whose token named no provider is not attributable: AWS does not record it either.
    if (call.unrecorded || (call.caller?.type === "WebIdentityUser" && !call.caller.identity)) return;
    const service = call.service!;
    const operation = call.operation!;
    const model = service.model();
    const codec = service.codec();
    const audit = service.operation(operation.name)?.audit;
    const view = {
      input: call.input,
      output: call.output,
      error: call.error,
      caller: call.caller!,
      accountId: call.caller!.accountId,
      region: call.region,
      requestId: call.requestId,
      request: call.raw,
      auth: call.auth!,
    };
    const event = buildRecord({
      eventSource: service.definition.eventSource,
      recordRegion: recordedRegion(service.definition, call.region, call.raw),
      serviceAudit: service.definition.audit,
      model,
      operation,
      audit,
      recordStyle: codec.recordStyle,
      errorCode: call.error ? codec.recordedErrorCode(model, call.error) : undefined,
      call: view,
      userAgent: call.raw.headers["user-agent"],
      sourceIp: call.raw.sourceIp,
      eventTime: options.now(),
      eventId: options.ids.uuid(),
      onAuditError: (e) => console.error(`localtrail: audit fact of ${service.definition.name}:${operation.name} failed:`, e),
    });
    // Soft enforcement: the call went on; its record tells, beside AWS's fields, what would have been refused.
    if (call.softDenial) event.record.additionalEventData = { ...event.record.additionalEventData, localtrailEnforcement: { mode: "soft", decision: "Deny", ...call.softDenial } };
    let resourceAccount: string | undefined;
    try {
      resourceAccount = audit?.resourceAccount?.(view);
    } catch (e) {
      console.error(`localtrail: audit fact of ${service.definition.name}:${operation.name} failed:`, e);
    }
    if (resourceAccount && /^\d{12}$/.test(resourceAccount) && resourceAccount !== view.accountId) {
      await Promise.all(crossAccountCopies(event, resourceAccount, options.ids.uuid(), options.ids.uuid()).map((copy) => options.eventLog.append(copy)));
    } else {
      await options.eventLog.append(event);
    }
  };
}

/** An exception that is not an AwsError is a bug of ours: AWS would answer InternalFailure. */
export function toAwsError(e: unknown): AwsError {
  if (isAwsError(e)) return e;
  console.error("localtrail: internal error:", e);
  return new AwsError("InternalFailure", "The request processing has failed because of an unknown error, exception or failure.", {
    status: 500,
    senderFault: false,
  });
}
