import type { Step } from "./types/step.js";
import type { CallContext, ServiceEnv } from "./types/service.js";
import type { StateStore } from "./state/store.js";
import { notImplemented } from "./gateway/gateway-errors.js";

/**
 * Runs the operation's handler with its typed input; its output (or the AwsError it throws) goes on the call.
 * An operation of the model that localtrail does not emulate answers NotImplemented (501) in the protocol's envelope.
 */
export function invokeHandler(store: StateStore, env: ServiceEnv): Step {
  return async function invokeHandler(call) {
    const operation = call.service!.operation(call.operation!.name);
    if (!operation) throw notImplemented(call.service!.definition.name, call.operation!.name);
    const ctx: CallContext = {
      requestId: call.requestId,
      caller: call.caller!,
      accountId: call.caller!.accountId,
      region: call.region,
      now: env.now(),
      state: store.view(call.touchedState),
      request: call.raw,
      auth: call.auth!,
      env,
      authorized: call.authorized,
      identifyCaller: (caller) => {
        call.caller = caller;
      },
    };
    call.output = await operation.handler(call.input, ctx);
  };
}
