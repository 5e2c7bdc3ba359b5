import type { Step } from "../types/step.js";
import { validateInput } from "./validate-input.js";

/** The codec turns the request into the operation's input, which is then checked against the model. */
export function decodeInput(): Step {
  return async function decodeInput(call, next) {
    const { codec, model, operation, service } = call;
    // A call made inside the emulator brings its input; it is checked all the same.
    const input = call.internal ? (call.input as Record<string, unknown>) : await codec!.decodeInput(call, operation!, model!);
    // Input that decodes but breaks a constraint is still recorded as requestParameters, as AWS does.
    call.input = input;
    if (operation!.input) validateInput(model!, operation!.input.shape, input, service!.definition.validation);
    await next();
  };
}
