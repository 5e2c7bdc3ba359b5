import type { Step } from "../types/step.js";
import { validateInput } from "./validate-input.js";

/** The codec turns the request into the operation's input, which is then checked against the model. */
export function decodeInput(): Step {
  return async function decodeInput(call, next) {
    const { codec, model, operation, service } = call;
    const input = await codec!.decodeInput(call, operation!, model!);
    // Input that decodes but breaks a constraint is still recorded as requestParameters, as AWS does.
    call.input = input;
    if (operation!.input) validateInput(model!, operation!.input.shape, input, service!.definition.validation);
    await next();
  };
}
