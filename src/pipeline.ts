/**
 * THE path of every AWS request, one step per line, in order (read this file first). Each step fills the
 * call (src/types/request-context.ts) and calls next(); recordCall wraps everything after authentication,
 * so every call from a known caller is recorded, malformed input and failures included, while a request
 * that fails authentication is answered but not recorded.
 */
import type { Step } from "./types/step.js";
import type { Call } from "./types/request-context.js";
import { resolveOperation, type ResolveOperationOptions } from "./gateway/resolve-operation.js";
import { authenticate, type AuthenticateOptions } from "./auth/authenticate.js";
import { recordCall, toAwsError, type RecordCallOptions } from "./recorder/record-call.js";
import { persistState } from "./state/persist-state.js";
import { decodeInput } from "./protocols/decode-input.js";
import { invokeHandler } from "./invoke-handler.js";
import type { StateStore } from "./state/store.js";
import type { ServiceEnv } from "./types/service.js";
import { encodeResponse } from "./protocols/encode-response.js";
import { enforceIam, type EnforceOptions } from "./enforcement/enforce-step.js";
import { crossAccountAccess } from "./enforcement/cross-account-step.js";
import type { Authorizer } from "./enforcement/authorizer.js";

export interface PipelineOptions {
  gateway: ResolveOperationOptions;
  auth: AuthenticateOptions;
  recorder: RecordCallOptions;
  store: StateStore;
  env: ServiceEnv;
  /** IAM policy enforcement, when on (--enforce-iam). */
  enforcement?: EnforceOptions;
  /** When enforcement is off: resource-based policies still decide cross-account access. */
  crossAccount?: Authorizer;
}

export function buildPipeline(o: PipelineOptions): Step[] {
  return [
    resolveOperation(o.gateway), //  which service and operation; the body read unless it streams
    authenticate(o.auth), //         signature checked, caller resolved from the access key
    recordCall(o.recorder), //       around: records the outcome of everything below, durably, before the answer
    persistState(o.store), //        around: state the call changed is written before the answer
    decodeInput(), //                codec: request -> input, checked against the model
    ...(o.enforcement ? [enforceIam(o.enforcement)] : o.crossAccount ? [crossAccountAccess(o.crossAccount)] : []), // IAM policies allow the call (or only other accounts' resource policies, unenforced)
    invokeHandler(o.store, o.env), // handler(input, ctx) -> output | AwsError
  ];
}

/** Runs the steps for one call; its outcome (output or error) is left on the call. */
export async function runSteps(steps: Step[], call: Call): Promise<void> {
  const dispatch = async (i: number): Promise<void> => {
    const step = steps[i];
    if (step) await step(call, () => dispatch(i + 1));
  };
  try {
    await dispatch(0);
  } catch (e) {
    call.error = toAwsError(e);
  }
}

/** Runs the steps for one HTTP call and encodes its outcome with the service's codec. */
export async function runPipeline(steps: Step[], call: Call): Promise<Response> {
  await runSteps(steps, call);
  const response = encodeResponse(call);
  if (call.bodyAbandoned) response.headers.set("connection", "close");
  return response;
}
