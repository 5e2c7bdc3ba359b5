import { AwsError } from "../types/aws-error.js";
import type { Call } from "../types/request-context.js";

/**
 * The request id goes in a header (SDK v3 reads only headers) and, where the protocol has one, in the body
 * (boto3 reads the body for query and ec2): the same id, also the record's requestID.
 */
export function requestIdHeaders(call: Call): Record<string, string> {
  return { "x-amzn-requestid": call.requestId };
}

/** The protocol's error for input that does not fit the model, in the service's own spelling. */
export function invalidInput(call: Call): (message: string) => AwsError {
  const style = call.service?.definition.validation;
  return (message) =>
    new AwsError(style?.code ?? "ValidationException", `1 validation error detected: ${message}`, {
      status: style?.status ?? 400,
      recordedCode: style?.recordedCode,
    });
}
