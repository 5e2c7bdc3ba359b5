import type { Step } from "../types/step.js";
import type { StateStore } from "./store.js";
import { isReadOnly } from "../recorder/read-only.js";

/**
 * Around the handler: a call that may have changed state answers only once the documents it touched are
 * written, so a 2xx means the change survives a crash, as its record does. Reads touch documents too, but
 * change nothing: rewriting a document for every GetUser would cost more than the call.
 */
export function persistState(store: StateStore): Step {
  return async function persistState(call, next) {
    try {
      await next();
    } finally {
      const name = call.operation!.name;
      if (call.touchedState.size > 0 && !isReadOnly(name, call.service!.operation(name)?.audit)) await store.persist(call.touchedState);
    }
  };
}
