import type { Step } from "../types/step.js";
import type { StateStore } from "./store.js";

/**
 * Around the handler: a call that may have changed state answers only once the documents it touched are
 * written, so a 2xx means the change survives a crash, as its record does.
 */
export function persistState(store: StateStore): Step {
  return async function persistState(call, next) {
    try {
      await next();
    } finally {
      if (call.touchedState.size > 0) await store.persist(call.touchedState);
    }
  };
}
