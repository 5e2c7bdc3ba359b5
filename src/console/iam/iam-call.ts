import type { Operations } from "../../generated/types/iam.js";
import type { InternalCallOutcome } from "../../internal-calls.js";
import { awsCall } from "../aws-call.js";
import type { ConsoleContext } from "../context.js";

/** An IAM call as the session's principal, typed by IAM's model. IAM is global: its calls go to us-east-1. */
export function iamCall<K extends keyof Operations>(c: ConsoleContext, operation: K, input: Operations[K]["input"]): Promise<InternalCallOutcome<Operations[K]["output"]>> {
  return awsCall<Operations[K]["output"]>(c, { service: "iam", operation, input, region: "us-east-1" });
}

/** An error a page shows: AWS's code and message, as the console's red banner does. */
export const errorText = (e: { code: string; message: string }) => `${e.code}: ${e.message}`;
