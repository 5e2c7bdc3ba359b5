import { compilePattern } from "./pattern/compile-pattern.js";
import { matchesPattern } from "./pattern/match-pattern.js";
import { validation } from "./errors.js";
import type { Op } from "./op.js";
import { checkPattern } from "./rules.js";

// The fields TestEventPattern requires of the event (API Reference, TestEventPattern).
const REQUIRED = ["id", "account", "source", "time", "region", "detail-type"];

/** Answers with the same matcher that routes events to rules. */
export const testEventPattern: Op<"TestEventPattern"> = (input) => {
  checkPattern(input.EventPattern);
  let event: unknown;
  try {
    event = JSON.parse(input.Event);
  } catch {
    throw validation("Parameter Event is not valid.");
  }
  if (event === null || typeof event !== "object" || Array.isArray(event)) throw validation("Parameter Event is not valid.");
  const missing = REQUIRED.find((f) => !Object.hasOwn(event as object, f));
  if (missing) throw validation(`Parameter Event is not valid. Reason: Provided Event is missing required field ${missing}.`);
  return { Result: matchesPattern(compilePattern(input.EventPattern), event) };
};
