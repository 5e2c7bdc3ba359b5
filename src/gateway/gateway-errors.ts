import { AwsError } from "../types/aws-error.js";
import type { Protocol } from "../types/model.js";

/** The protocol's answer to an operation name the service does not have. */
export function unknownOperation(protocol: Protocol | undefined, name: string | undefined, version: string): AwsError {
  switch (protocol) {
    case "json":
      return new AwsError("UnknownOperationException", name ? `Unknown operation ${name}` : "Missing X-Amz-Target", { status: 400 });
    case "rest-json":
      return new AwsError("UnknownOperationException", "Unknown operation", { status: 404 });
    case "rest-xml":
      return new AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.", { status: 405 });
    default:
      return new AwsError("InvalidAction", name ? `Could not find operation ${name} for version ${version}` : "Missing Action", { status: 400 });
  }
}

/** An operation AWS has and localtrail does not emulate yet: answered, not recorded. */
export function notImplemented(service: string, operation: string): AwsError {
  return new AwsError("NotImplemented", `localtrail does not emulate ${service}:${operation} yet`, { status: 501, senderFault: false });
}

/** A request for a service localtrail does not emulate. */
export function unknownService(signal: string): AwsError {
  return new AwsError("NotImplemented", `localtrail does not emulate the service named by ${signal}`, { status: 501, senderFault: false });
}

/** A body over the limit held in memory, in the protocol's spelling (Lambda: RequestEntityTooLargeException). */
export function bodyTooLarge(protocol: Protocol | undefined, limit: number): AwsError {
  const code = protocol === "rest-json" || protocol === "json" ? "RequestEntityTooLargeException" : "RequestEntityTooLarge";
  return new AwsError(code, `Request must be smaller than ${limit} bytes`, { status: 413 });
}
