import type { ServiceEnv } from "../../../src/types/service.js";
import type { AwsError } from "../../../src/types/aws-error.js";
import type { BusEvent, Publication } from "./bus-event.js";

/** Who EventBridge is when it calls a target: its service principal, for the rule's account. */
export const EVENTS_PRINCIPAL = "events.amazonaws.com";

/** The outcome of one attempt: delivered, or failed with AWS's error code and whether to try again. */
export type Attempt = { ok: true } | { ok: false; code: string; message: string; retriable: boolean };

export interface TargetCall {
  env: ServiceEnv;
  accountId: string;
  /** The rule the target belongs to: Lambda's resource policy reads it as aws:SourceArn. */
  ruleArn: string;
  targetArn: string;
  input: string;
  event: BusEvent;
  /** Puts an event on another bus of the account (bus-to-bus targets). */
  publish(publication: Publication): Promise<void>;
  from: Publication;
}

// Throttling and the service's own failures are worth another attempt; a function that is not there or
// a policy that refuses are not, until someone acts (EventBridge User Guide, "Using dead-letter queues").
const RETRIABLE = new Set(["TooManyRequestsException", "ThrottlingException", "ResourceConflictException", "ServiceException", "InternalFailure", "ServiceUnavailable"]);

function failed(error: AwsError): Attempt {
  return { ok: false, code: error.code, message: error.message, retriable: RETRIABLE.has(error.code) || (error.status ?? 400) >= 500 };
}

/** One attempt at delivering to a Lambda function, a log group or an event bus. */
export async function deliverOnce(call: TargetCall): Promise<Attempt> {
  const arn = call.targetArn.split(":");
  const [service, region, account] = [arn[2], arn[3]!, arn[4]!];
  const as = { service: EVENTS_PRINCIPAL, accountId: call.accountId, sourceArn: call.ruleArn };
  if (service === "lambda") {
    // EventBridge invokes functions asynchronously; the function's resource policy decides (AddPermission).
    const outcome = await call.env.invoke({
      service: "lambda",
      operation: "Invoke",
      input: { FunctionName: call.targetArn, InvocationType: "Event", Payload: Buffer.from(call.input, "utf8") },
      region,
      as,
    });
    return outcome.error ? failed(outcome.error) : { ok: true };
  }
  if (service === "logs") {
    const group = /:log-group:([^:]+)/.exec(call.targetArn)?.[1];
    if (!group || account !== call.accountId) return { ok: false, code: "ResourceNotFoundException", message: "The specified log group does not exist.", retriable: false };
    // One log stream per event, named by the event's id, as EventBridge writes to a log group target.
    const stream = await call.env.invoke({ service: "logs", operation: "CreateLogStream", input: { logGroupName: group, logStreamName: call.event.id }, region, as });
    if (stream.error && stream.error.code !== "ResourceAlreadyExistsException") return failed(stream.error);
    const put = await call.env.invoke({
      service: "logs",
      operation: "PutLogEvents",
      input: { logGroupName: group, logStreamName: call.event.id, logEvents: [{ timestamp: Date.parse(call.event.time), message: call.input }] },
      region,
      as,
    });
    return put.error ? failed(put.error) : { ok: true };
  }
  if (service === "events") {
    const bus = /:event-bus\/(.+)$/.exec(call.targetArn)?.[1];
    if (!bus || account !== call.accountId) return { ok: false, code: "AccessDeniedException", message: "Cross-account event bus targets are not supported by localtrail.", retriable: false };
    const visited = call.from.visited ?? [`${call.from.region}/${call.from.bus}`];
    if (visited.includes(`${region}/${bus}`)) return { ok: true };
    await call.publish({ accountId: account, region, bus, event: call.event, visited: [...visited, `${region}/${bus}`] });
    return { ok: true };
  }
  return { ok: false, code: "ValidationException", message: `Unsupported target ${call.targetArn}`, retriable: false };
}
