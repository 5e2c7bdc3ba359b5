import type { AwsError } from "./aws-error.js";
import type { Call } from "./request-context.js";
import type { OperationModel, Protocol, ServiceModel } from "./model.js";

/**
 * One generic codec per wire protocol, driven by the service model: request -> input object,
 * output object or AwsError -> HTTP response. Handlers never see XML or JSON.
 */
export interface Codec {
  readonly protocol: Protocol;
  /** The operation an RPC request names (awsQuery `Action`, JSON `X-Amz-Target`); REST protocols route by path. */
  operationName?(call: Call): string | undefined;
  decodeInput(call: Call, operation: OperationModel, model: ServiceModel): Promise<Record<string, unknown>>;
  encodeOutput(call: Call, operation: OperationModel, model: ServiceModel, output: unknown): Response;
  encodeError(call: Call, model: ServiceModel, error: AwsError): Response;
  /** errorCode as CloudTrail writes it for this protocol (the model's shape name; EC2 prefixes `Client.`). */
  recordedErrorCode(model: ServiceModel, error: AwsError): string;
  /** How records name members: API names in lowerCamelCase, or EC2's XML names with `{items: [...]}` lists. */
  readonly recordStyle: "camel" | "ec2";
}
